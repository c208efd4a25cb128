"""The database backend: SQLite FTS5 over Snowball stems in the embedded default, PostgreSQL full-text
search with the ``russian`` configuration in production. Facets, filters and paging are plain SQL shared by
both; highlights are made in Python from the stems, so they look the same on both databases."""

from itertools import islice

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from search.backends.base import FACETS, Hit, SearchBackend, SearchResult
from search.models import IndexEntry, IndexFacet
from search.text import highlight, normalise_query, query_stems, stem, stems, words

BATCH = 500
# Weights of title, summary, body, rows: bm25 column weights on SQLite. PostgreSQL ranks with ts_rank's
# default weights of A, B, C, D (1.0, 0.4, 0.2, 0.1), set on the vector's parts when it is written.
SQLITE_WEIGHTS = "10.0, 5.0, 2.0, 1.0"


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class DatabaseBackend(SearchBackend):
    def __init__(self):
        self.vendor = connection.vendor
        if self.vendor not in ("sqlite", "postgresql"):
            raise ImproperlyConfigured("Поиск по базе данных работает на SQLite и PostgreSQL.")

    # --- writing -----------------------------------------------------------------------------------------

    def index(self, documents):
        written = 0
        for chunk in _chunks(documents, BATCH):
            with transaction.atomic():
                self._write(chunk)
            written += len(chunk)
        return written

    def _write(self, documents):
        existing = dict(IndexEntry.objects.filter(key__in=[d.key for d in documents]).values_list("key", "id"))
        entries = []
        for document in documents:
            entry = IndexEntry(id=existing.get(document.key), **document.stored_fields())
            if entry.id:
                entry.save(force_update=True)
            else:
                entry.save(force_insert=True)
            entries.append(entry)
        ids = [entry.id for entry in entries]
        IndexFacet.objects.filter(entry_id__in=ids).delete()
        IndexFacet.objects.bulk_create(
            IndexFacet(entry=entry, name=name, value=value[:100])
            for entry, document in zip(entries, documents, strict=True)
            for name, values in document.facets.items()
            for value in dict.fromkeys(values)
        )
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({', '.join(['%s'] * len(ids))})", ids)
                cursor.executemany(
                    "INSERT INTO search_fts (rowid, title, summary, body, rows) VALUES (%s, %s, %s, %s, %s)",
                    [
                        (entry.id, *(" ".join(stems(text)) for text in (d.title, d.summary, d.body, d.rows)))
                        for entry, d in zip(entries, documents, strict=True)
                    ],
                )
            else:
                cursor.execute(
                    "UPDATE search_indexentry SET search_vector ="
                    " setweight(to_tsvector('russian', title), 'A') || setweight(to_tsvector('russian', summary), 'B')"
                    " || setweight(to_tsvector('russian', body), 'C') || setweight(to_tsvector('russian', rows), 'D')"
                    " WHERE id = ANY(%s)",
                    [ids],
                )

    def delete(self, keys):
        keys = list(keys)
        ids = list(IndexEntry.objects.filter(key__in=keys).values_list("id", flat=True))
        if not ids:
            return
        with transaction.atomic():
            if self.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({', '.join(['%s'] * len(ids))})", ids)
            IndexEntry.objects.filter(id__in=ids).delete()

    def rebuild(self, documents, total=None, progress=None):
        """Upserts in batches, then removes what is gone: readers see old or new rows, never an empty index.

        Entries written by anyone after the rebuild began (a page published meanwhile) are never taken for stale.
        """
        started = timezone.now()
        seen, done = set(), 0
        for chunk in _chunks(documents, BATCH):
            with transaction.atomic():
                self._write(chunk)
            seen.update(document.key for document in chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
        stale = [
            key
            for key in IndexEntry.objects.filter(indexed_at__lt=started).values_list("key", flat=True)
            if key not in seen
        ]
        for chunk in _chunks(stale, BATCH):
            self.delete(chunk)
        return done

    # --- reading -----------------------------------------------------------------------------------------

    def _match(self, query):
        """SQL that selects (id, score) of entries matching the query, and its parameters; None if nothing can."""
        if self.vendor == "sqlite":
            wanted = query_stems(query)
            if not wanted:
                return None
            expression = " ".join(f'"{item}"' for item in wanted)  # stems are letters and digits only
            return (
                f"SELECT rowid AS id, -bm25(search_fts, {SQLITE_WEIGHTS}) AS score FROM search_fts"
                " WHERE search_fts MATCH %s",
                [expression],
            )
        text = normalise_query(query)
        if not words(text):
            return None
        return (
            "SELECT id, ts_rank(search_vector, q, 1) * 1.0 AS score FROM search_indexentry,"
            " websearch_to_tsquery('russian', %s) AS q WHERE search_vector @@ q",
            [text],
        )

    def _where(self, locale, filters, skip_facet=None):
        clauses, params = ["e.locale = %s"], [locale]
        for name, values in filters.items():
            if name == skip_facet or name not in FACETS or not values:
                continue
            placeholders = ", ".join(["%s"] * len(values))
            clauses.append(
                f"e.id IN (SELECT entry_id FROM search_indexfacet WHERE name = %s AND value IN ({placeholders}))"
            )
            params += [name, *values]
        return " AND ".join(clauses), params

    def search(self, request):
        match = self._match(request.query)
        if match is None:
            return SearchResult(hits=[], total=0, facets={})
        match_sql, match_params = match
        # SQLite must run the full-text match once, first (joined inline it reruns it for every row of the locale);
        # PostgreSQL plans better with the match inlined.
        materialized = "MATERIALIZED " if self.vendor == "sqlite" else ""
        base = (
            f"WITH m AS {materialized}({match_sql}) SELECT {{columns}} FROM m JOIN search_indexentry e ON e.id = m.id"
        )
        where, where_params = self._where(request.locale, request.filters)
        per_page = max(1, min(request.per_page, 100))
        offset = (max(1, request.page) - 1) * per_page
        facet_join = " JOIN search_indexfacet f ON f.entry_id = e.id"
        with connection.cursor() as cursor:
            cursor.execute(f"{base.format(columns='COUNT(*)')} WHERE {where}", match_params + where_params)
            total = cursor.fetchone()[0]
            cursor.execute(
                f"{base.format(columns='e.id, m.score')} WHERE {where} ORDER BY m.score DESC, e.date DESC, e.id"
                f" LIMIT {per_page} OFFSET {offset}",
                match_params + where_params,
            )
            ranked = cursor.fetchall()
            facets = {}
            # Facets without a filter of their own count over the filtered results, all in one query;
            # a facet with a filter counts over the results of the other facets' filters (see SearchBackend).
            filtered = [name for name in FACETS if request.filters.get(name)]
            unfiltered = [name for name in FACETS if name not in filtered]
            if unfiltered:
                cursor.execute(
                    f"{base.format(columns='f.name, f.value, COUNT(*)')}{facet_join} WHERE {where}"
                    f" AND f.name IN ({', '.join(['%s'] * len(unfiltered))}) GROUP BY f.name, f.value",
                    [*match_params, *where_params, *unfiltered],
                )
                for name, value, count in cursor.fetchall():
                    facets.setdefault(name, {})[value] = count
            for name in filtered:
                facet_where, facet_params = self._where(request.locale, request.filters, skip_facet=name)
                cursor.execute(
                    f"{base.format(columns='f.value, COUNT(*)')}{facet_join}"
                    f" WHERE {facet_where} AND f.name = %s GROUP BY f.value",
                    [*match_params, *facet_params, name],
                )
                counts = dict(cursor.fetchall())
                if counts:
                    facets[name] = counts
        entries = IndexEntry.objects.in_bulk([row[0] for row in ranked])
        types = dict(IndexFacet.objects.filter(entry_id__in=entries, name="type").values_list("entry_id", "value"))
        wanted = query_stems(request.query)
        hits = [self._hit(entries[entry_id], score, types.get(entry_id, ""), wanted) for entry_id, score in ranked]
        return SearchResult(hits=hits, total=total, facets=facets)

    @staticmethod
    def _hit(entry, score, type_key, wanted):
        wanted_set = set(wanted)
        snippet_source = next(
            (text for text in (entry.body, entry.summary, entry.rows) if wanted_set & set(stems(text))),
            entry.summary or entry.body,
        )
        return Hit(
            key=entry.key,
            title=highlight(entry.title, wanted, length=1000),
            snippet=highlight(snippet_source, wanted),
            url=entry.url,
            type=type_key,
            date=entry.date,
            score=float(score),
        )

    def suggest(self, prefix, locale, limit=8):
        typed = words(normalise_query(prefix))[-8:]
        if not typed:
            return []
        whole, last = [stem(word) for word in typed[:-1]], stem(typed[-1])
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                expression = " ".join([*(f'"{item}"' for item in whole), f'"{last}"*'])
                cursor.execute(
                    "SELECT e.title, e.url FROM search_fts JOIN search_indexentry e ON e.id = search_fts.rowid"
                    " WHERE search_fts MATCH %s AND e.locale = %s ORDER BY rank LIMIT %s",
                    [f"title : ({expression})", locale, limit],
                )
            else:
                expression = " & ".join([*(f"{item}:A" for item in whole), f"{last}:*A"])
                cursor.execute(
                    "SELECT title, url FROM search_indexentry WHERE locale = %s"
                    " AND search_vector @@ to_tsquery('simple', %s) ORDER BY title LIMIT %s",
                    [locale, expression, limit],
                )
            return cursor.fetchall()
