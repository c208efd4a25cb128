"""The Elasticsearch backend: documents and queries written with ``elasticsearch.dsl``.

Searches and writes go through the alias ``<prefix>-search``, which points at one concrete index
``<prefix>-search-<UTC timestamp>``. A full rebuild fills a fresh concrete index and then moves the alias in a
single atomic call, so readers never see a half-built or empty index.

Text is analysed like the database backends do it: «ё» read as «е», lower case, Russian stop words, Snowball
stemmers (Russian, then English for Latin words).
"""

import functools
import html
from datetime import UTC, date, datetime
from itertools import islice

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.dsl import Date, Document, Index, Keyword, Q, Search, Text, analyzer, char_filter, token_filter
from elasticsearch.helpers import bulk

from search.backends.base import FACETS, Hit, SearchBackend, SearchResult, SearchUnavailable
from search.text import MAX_QUERY_WORDS, highlight, normalise_query, words

BATCH = 500
FACET_SIZE = 500  # more values than any facet has: the region's municipalities of all levels are a few hundred
MAX_RESULT_WINDOW = 10_000  # the cluster's index.max_result_window: from + size beyond it is refused
MAX_PREFIX = 20  # longest word beginning stored for suggestions; longer typed stems are cut to it
WEIGHTED_FIELDS = ["title^4", "summary^3", "body^2", "rows"]
SOURCE_FIELDS = ["key", "title", "url", "date", "facet_type", "preview"]

_yo = char_filter("yo_as_ye", "mapping", mappings=["ё => е", "Ё => Е"])
_russian_filters = [
    "lowercase",
    token_filter("russian_stop", "stop", stopwords="_russian_"),
    token_filter("russian_snowball", "snowball", language="Russian"),
    token_filter("english_snowball", "snowball", language="English"),
]
russian_text = analyzer("russian_text", tokenizer="standard", char_filter=[_yo], filter=_russian_filters)
# Suggestions: every beginning of every stem of the title, so that each typed word may be a word begun.
title_prefixes = analyzer(
    "title_prefixes",
    tokenizer="standard",
    char_filter=[_yo],
    filter=[*_russian_filters, token_filter("prefixes", "edge_ngram", min_gram=1, max_gram=MAX_PREFIX)],
)
typed_prefixes = analyzer(
    "typed_prefixes",
    tokenizer="standard",
    char_filter=[_yo],
    filter=[*_russian_filters, token_filter("prefix_length", "truncate", length=MAX_PREFIX)],
)


def unavailable_on_errors(method):
    """Cluster and transport errors become SearchUnavailable, which the service turns into a notice."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except (ApiError, TransportError) as error:
            raise SearchUnavailable(str(error)) from error

    return wrapper


def facet_field(name):
    return f"facet_{name}"


SearchEntry = type(
    "SearchEntry",
    (Document,),
    {
        "__doc__": "One SearchDocument as the index stores it; ``preview`` is the snippet shown when nothing matched.",
        "key": Keyword(),
        "locale": Keyword(),
        "title": Text(
            analyzer=russian_text,
            fields={"prefix": Text(analyzer=title_prefixes, search_analyzer=typed_prefixes)},
        ),
        "summary": Text(analyzer=russian_text),
        "body": Text(analyzer=russian_text),
        "rows": Text(analyzer=russian_text),
        "url": Keyword(index=False, doc_values=False),
        "preview": Keyword(index=False, doc_values=False),
        "date": Date(),
        **{facet_field(name): Keyword(multi=True) for name in FACETS},
    },
)


def index_settings_and_mappings():
    """{"settings": ..., "mappings": ...}: the body that creates a concrete index.

    One shard: the corpus is small, and facet counts and scores are then exact.
    """
    index = Index("search")
    index.settings(number_of_shards=1, auto_expand_replicas="0-1")
    index.document(SearchEntry)
    return index.to_dict()


def query_text(query):
    """The words of a query, at most MAX_QUERY_WORDS of them, joined by spaces.

    Punctuation never reaches the cluster, so no input can turn into query syntax, and the few words keep
    every request far below the cluster's limit of clauses.
    """
    return " ".join(words(normalise_query(query))[:MAX_QUERY_WORDS])


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class ElasticsearchBackend(SearchBackend):
    def __init__(self, url, index_prefix="platform", client=None):
        self.client = client or Elasticsearch(url, request_timeout=10)
        self.alias = f"{index_prefix}-search"
        self._alias_ready = False

    def _new_index_name(self):
        return f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    def _create_index(self, name, **options):
        self.client.indices.create(index=name, **index_settings_and_mappings(), **options)

    # --- writing -----------------------------------------------------------------------------------------

    @staticmethod
    def _action(document, index):
        entry = SearchEntry(
            meta={"id": document.key, "index": index},
            **document.stored_fields(),
            preview=highlight(document.summary or document.body, ()),
            **{facet_field(name): list(values) for name, values in document.facets.items() if name in FACETS},
        )
        return entry.to_dict(include_meta=True)

    def _ensure_alias(self):
        """Before the first rebuild, an empty index behind the alias, so that writes never create an index of
        the alias's name with guessed mappings (``require_alias`` refuses that too)."""
        if not self._alias_ready and not self.client.indices.exists_alias(name=self.alias):
            self._create_index(self._new_index_name(), aliases={self.alias: {}})
        self._alias_ready = True

    @unavailable_on_errors
    def index(self, documents):
        """Writes wait for the next refresh, so an editor finds what they have just published."""
        self._ensure_alias()
        actions = (self._action(document, self.alias) for document in documents)
        written, _ = bulk(self.client, actions, chunk_size=BATCH, refresh="wait_for", require_alias=True)
        return written

    @unavailable_on_errors
    def delete(self, keys):
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": key} for key in keys)
        bulk(self.client, actions, chunk_size=BATCH, refresh="wait_for", ignore_status=(404,))

    def rebuild(self, documents, total=None, progress=None):
        new = self._new_index_name()
        self._create_index(new)
        writer = self.client.options(request_timeout=120)  # a batch of long documents takes a while
        done = 0
        try:
            for batch in _batches(documents, BATCH):
                bulk(writer, (self._action(document, new) for document in batch))
                done += len(batch)
                if progress:
                    progress(done, total)
            writer.indices.refresh(index=new)
            old = self._indices_behind_alias()
            removals = [{"remove": {"indices": old, "alias": self.alias}}] if old else []
            self.client.indices.update_aliases(actions=[*removals, {"add": {"index": new, "alias": self.alias}}])
        except BaseException:  # an interrupted rebuild leaves no stray index behind
            self.client.indices.delete(index=new)
            raise
        self._alias_ready = True
        if old:
            self.client.indices.delete(index=old)
        return done

    def _indices_behind_alias(self):
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    # --- reading -----------------------------------------------------------------------------------------

    def build_search(self, request):
        """The search request: facet filters go to ``post_filter`` so that each facet's aggregation can apply
        every filter but its own (disjunctive counts, see SearchBackend)."""
        chosen = {
            name: Q("terms", **{facet_field(name): list(values)})
            for name, values in request.filters.items()
            if name in FACETS and values
        }
        search = Search(using=self.client, index=self.alias).query(
            "bool",
            must=[
                Q(
                    "multi_match",
                    query=query_text(request.query),
                    fields=WEIGHTED_FIELDS,
                    type="cross_fields",
                    operator="and",
                )
            ],
            filter=[Q("term", locale=request.locale)],
        )
        if chosen:
            search = search.post_filter("bool", filter=list(chosen.values()))
        for name in FACETS:
            others = [condition for other, condition in chosen.items() if other != name]
            search.aggs.bucket(name, "filter", filter=Q("bool", filter=others)).bucket(
                "counts", "terms", field=facet_field(name), size=FACET_SIZE
            )
        search = search.highlight_options(
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            encoder="html",
            fragment_size=240,
            number_of_fragments=1,
            max_analyzed_offset=1_000_000,  # a very long body is highlighted in its first million characters
        )
        search = search.highlight("title", number_of_fragments=0).highlight("body", "summary", "rows")
        per_page = max(1, min(request.per_page, 100))
        start = min((max(1, request.page) - 1) * per_page, MAX_RESULT_WINDOW)
        size = min(per_page, MAX_RESULT_WINDOW - start)
        return search.source(SOURCE_FIELDS).extra(track_total_hits=True)[start : start + size]

    @unavailable_on_errors
    def search(self, request):
        if not query_text(request.query):
            return SearchResult(hits=[], total=0, facets={})
        try:
            response = self.build_search(request).execute()
        except NotFoundError:  # no index yet
            return SearchResult(hits=[], total=0, facets={})
        facets = {}
        for name in FACETS:
            counts = {bucket.key: bucket.doc_count for bucket in response.aggregations[name].counts.buckets}
            if counts:
                facets[name] = counts
        hits = [self._hit(hit) for hit in response]
        return SearchResult(hits=hits, total=response.hits.total.value, facets=facets)

    @staticmethod
    def _hit(hit):
        marked = {field: fragments[0] for field, fragments in hit.meta.to_dict().get("highlight", {}).items()}
        source = hit.to_dict()
        snippet = next(
            (marked[field] for field in ("body", "summary", "rows") if field in marked), source.get("preview", "")
        )
        return Hit(
            key=source["key"],
            title=marked.get("title") or html.escape(source["title"]),
            snippet=snippet,
            url=source["url"],
            type=(source.get("facet_type") or [""])[0],
            date=date.fromisoformat(source["date"][:10]) if source.get("date") else None,
            score=float(hit.meta.score or 0),
        )

    def build_suggest(self, prefix, locale, limit=8):
        match = Q("match", **{"title.prefix": {"query": query_text(prefix), "operator": "and"}})
        search = Search(using=self.client, index=self.alias).query(
            "bool", must=[match], filter=[Q("term", locale=locale)]
        )
        return search.source(["title", "url"])[: max(0, limit)]

    @unavailable_on_errors
    def suggest(self, prefix, locale, limit=8):
        if not query_text(prefix) or limit < 1:
            return []
        try:
            response = self.build_suggest(prefix, locale, limit).execute()
        except NotFoundError:
            return []
        return [(hit.title, hit.url) for hit in response]
