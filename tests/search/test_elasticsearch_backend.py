"""The Elasticsearch backend: request bodies and the rebuild sequence without a server, the search contract
against a live cluster when ELASTICSEARCH_URL is set."""

import json
import os
import uuid
from datetime import date
from typing import NamedTuple

import pytest
from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elasticsearch import Elasticsearch
from elasticsearch.helpers import BulkIndexError

from search.backends.base import FACETS, SearchDocument, SearchRequest
from search.backends.elasticsearch import ElasticsearchBackend, index_settings_and_mappings

HOSTILE_QUERIES = [
    '"\' OR 1=1; -- & | ! : * ( ) \\"',
    "title:(a OR b) AND body:* ~2 ^3 /regex/ [a TO z] {1 TO 2}",
    "'; DROP TABLE search_indexentry; --",
    "<script>alert(1)</script>",
    "а" * 10_000,
    "слово " * 2_000,
    "&" * 10_000,
]


# --- a stand-in for the cluster: the real client, helpers and elasticsearch.dsl, only HTTP is canned ---------


class NodeResponse(NamedTuple):
    meta: ApiResponseMeta
    body: bytes


class FakeCluster:
    """Answers the client's HTTP requests and records them as (method, path, query string, body).

    ``answers`` maps (method, path) to (status, JSON); bulk requests are answered item by item, each with
    ``bulk_status``.
    """

    def __init__(self, answers=None, bulk_status=201):
        self.requests = []
        self.answers = answers or {}
        self.bulk_status = bulk_status
        cluster = self

        class Node(BaseNode):
            def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
                status, payload = cluster.answer(method, target, body)
                headers = HttpHeaders({"content-type": "application/json", "x-elastic-product": "Elasticsearch"})
                meta = ApiResponseMeta(status, "1.1", headers, 0.0, self.config)
                return NodeResponse(meta, json.dumps(payload).encode())

        self.client = Elasticsearch("http://cluster.invalid:9200", node_class=Node)

    def answer(self, method, target, body):
        path, _, query = target.partition("?")
        if path == "/_bulk":
            lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
            self.requests.append((method, path, query, lines))
            return 200, {"errors": self.bulk_status >= 300, "took": 1, "items": self._bulk_items(lines)}
        self.requests.append((method, path, query, json.loads(body) if body else None))
        return self.answers.get((method, path), (200, {"acknowledged": True}))

    def _bulk_items(self, lines):
        items, position = [], 0
        while position < len(lines):
            operation, meta = next(iter(lines[position].items()))
            position += 1 if operation == "delete" else 2
            item = {"_index": meta["_index"], "_id": meta["_id"], "status": self.bulk_status}
            if self.bulk_status >= 300:
                item["error"] = {"type": "document_parsing_exception", "reason": "refused"}
            items.append({operation: item})
        return items

    def calls(self):
        return [(method, path) for method, path, _, _ in self.requests]


def document(key, title, locale="ru", summary="", body="", rows="", day=None, **facets):
    return SearchDocument(
        key=key,
        locale=locale,
        title=title,
        url=f"/{locale}/{key.replace(':', '-')}/",
        summary=summary,
        body=body,
        rows=rows,
        date=day,
        facets={name: [values] if isinstance(values, str) else values for name, values in facets.items()},
    )


def fake_backend(cluster):
    return ElasticsearchBackend("http://cluster.invalid:9200", index_prefix="unit", client=cluster.client)


def facet_terms(condition):
    """The facet names a bool filter restricts, e.g. {"facet_type", "facet_year"}."""
    return {next(iter(clause["terms"])) for clause in condition["bool"].get("filter", [])}


# --- the index definition --------------------------------------------------------------------------------


def test_text_fields_use_the_russian_analysis():
    body = index_settings_and_mappings()
    properties = body["mappings"]["properties"]
    analysis = body["settings"]["analysis"]
    for name in ("title", "summary", "body", "rows"):
        assert (properties[name]["type"], properties[name]["analyzer"]) == ("text", "russian_text")
    russian = analysis["analyzer"]["russian_text"]
    assert russian["tokenizer"] == "standard"
    assert russian["char_filter"] == ["yo_as_ye"]
    assert analysis["char_filter"]["yo_as_ye"]["mappings"] == ["ё => е", "Ё => Е"]
    assert russian["filter"][0] == "lowercase"
    filters = [analysis["filter"][name] for name in russian["filter"][1:]]
    assert {"type": "stop", "stopwords": "_russian_"} in filters
    assert {"type": "snowball", "language": "Russian"} in filters


def test_title_has_a_prefix_subfield_for_suggestions():
    body = index_settings_and_mappings()
    prefix = body["mappings"]["properties"]["title"]["fields"]["prefix"]
    analyzers = body["settings"]["analysis"]["analyzer"]
    assert analyzers[prefix["analyzer"]]["filter"][-1] == "prefixes"
    assert body["settings"]["analysis"]["filter"]["prefixes"]["type"] == "edge_ngram"
    assert "prefixes" not in analyzers[prefix["search_analyzer"]]["filter"]


def test_facets_are_keywords_and_stored_only_fields_are_not_searchable():
    properties = index_settings_and_mappings()["mappings"]["properties"]
    for name in FACETS:
        assert properties[f"facet_{name}"] == {"type": "keyword"}
    assert properties["key"] == properties["locale"] == {"type": "keyword"}
    assert properties["date"] == {"type": "date"}
    assert properties["url"]["index"] is False


# --- the search request ------------------------------------------------------------------------------------


def build(query="дворовых территорий", filters=None, page=1, per_page=10, locale="ru"):
    backend = ElasticsearchBackend("http://cluster.invalid:9200")
    return backend.build_search(SearchRequest(query, locale, filters or {}, page=page, per_page=per_page)).to_dict()


def test_query_matches_all_words_across_weighted_fields_within_the_locale():
    query = build(locale="en")["query"]["bool"]
    assert query["must"] == [
        {
            "multi_match": {
                "query": "дворовых территорий",
                "fields": ["title^4", "summary^3", "body^2", "rows"],
                "type": "cross_fields",
                "operator": "and",
            }
        }
    ]
    assert query["filter"] == [{"term": {"locale": "en"}}]


def test_facet_filters_are_post_filters_and_each_facet_counts_under_the_others():
    body = build(filters={"type": ["standard", "practice"], "year": ["2024"], "municipality": []})
    assert body["post_filter"]["bool"]["filter"] == [
        {"terms": {"facet_type": ["standard", "practice"]}},
        {"terms": {"facet_year": ["2024"]}},
    ]
    aggregations = body["aggs"]
    assert set(aggregations) == set(FACETS)
    for name in FACETS:
        assert aggregations[name]["aggs"]["counts"]["terms"]["field"] == f"facet_{name}"
        assert aggregations[name]["aggs"]["counts"]["terms"]["size"] >= 100
    assert facet_terms(aggregations["type"]["filter"]) == {"facet_year"}
    assert facet_terms(aggregations["year"]["filter"]) == {"facet_type"}
    for name in ("municipality", "work_type", "stage", "object_type"):
        assert facet_terms(aggregations[name]["filter"]) == {"facet_type", "facet_year"}


def test_without_filters_there_is_no_post_filter_and_facets_count_everything_found():
    body = build()
    assert "post_filter" not in body
    assert all(facet_terms(body["aggs"][name]["filter"]) == set() for name in FACETS)


def test_unknown_facets_are_ignored():
    assert "post_filter" not in build(filters={"author": ["x"]})


def test_highlights_are_marked_and_html_escaped():
    highlight = build()["highlight"]
    assert highlight["pre_tags"] == ["<mark>"]
    assert highlight["post_tags"] == ["</mark>"]
    assert highlight["encoder"] == "html"
    assert highlight["fragment_size"] == 240
    assert highlight["fields"]["title"] == {"number_of_fragments": 0}
    assert {"body", "summary"} <= set(highlight["fields"])


def test_paging_and_exact_totals():
    body = build(page=3)
    assert (body["from"], body["size"]) == (20, 10)
    assert body["track_total_hits"] is True


def test_paging_stays_within_the_result_window():
    body = build(page=5000, per_page=10)
    assert body["from"] + body["size"] <= 10_000


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_reach_the_cluster_as_plain_words(query):
    body = build(query=query)
    text = body["query"]["bool"]["must"][0]["multi_match"]["query"]
    assert isinstance(text, str)
    assert len(text.split()) <= 32
    assert all(word.isalnum() for word in text.split())
    serialised = json.dumps(body)
    assert "query_string" not in serialised
    assert "simple_query_string" not in serialised


def test_suggest_matches_word_beginnings_of_titles_in_the_locale():
    backend = ElasticsearchBackend("http://cluster.invalid:9200")
    body = backend.build_suggest("Дворовые  террит", "ru", 5).to_dict()
    assert body["query"]["bool"]["must"] == [
        {"match": {"title.prefix": {"query": "дворовые террит", "operator": "and"}}}
    ]
    assert body["query"]["bool"]["filter"] == [{"term": {"locale": "ru"}}]
    assert body["size"] == 5


# --- reading answers, with a canned cluster -----------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "&& || !", "«»—"])
def test_a_query_without_words_asks_nothing(query):
    cluster = FakeCluster()
    backend = fake_backend(cluster)
    assert backend.search(SearchRequest(query, "ru")).total == 0
    assert backend.suggest(query, "ru") == []
    assert cluster.requests == []


def test_answers_become_hits_and_facet_counts():
    answer = {
        "took": 1,
        "timed_out": False,
        "hits": {
            "total": {"value": 12, "relation": "eq"},
            "max_score": 3.5,
            "hits": [
                {
                    "_index": "unit-search-1",
                    "_id": "page:1",
                    "_score": 3.5,
                    "_source": {
                        "key": "page:1",
                        "title": "Дворовая территория",
                        "url": "/ru/yard/",
                        "date": "2024-05-01",
                        "facet_type": ["standard"],
                        "preview": "Начало",
                    },
                    "highlight": {
                        "title": ["<mark>Дворовая</mark> территория"],
                        "summary": ["о <mark>дворах</mark>"],
                        "body": ["в <mark>дворе</mark> &amp; рядом"],
                    },
                },
                {
                    "_index": "unit-search-1",
                    "_id": "page:2",
                    "_score": 1.0,
                    "_source": {"key": "page:2", "title": "A & <b>", "url": "/ru/b/", "preview": "Начало &amp;"},
                },
            ],
        },
        "aggregations": {
            name: {
                "doc_count": 12,
                "counts": {"buckets": [{"key": "standard", "doc_count": 7}] if name == "type" else []},
            }
            for name in FACETS
        },
    }
    cluster = FakeCluster({("POST", "/unit-search/_search"): (200, answer)})
    result = fake_backend(cluster).search(SearchRequest("двор", "ru"))
    assert result.total == 12
    assert result.facets == {"type": {"standard": 7}}
    first, second = result.hits
    assert (first.key, first.title, first.url, first.type, first.date, first.score) == (
        "page:1",
        "<mark>Дворовая</mark> территория",
        "/ru/yard/",
        "standard",
        date(2024, 5, 1),
        3.5,
    )
    assert first.snippet == "в <mark>дворе</mark> &amp; рядом"
    assert (second.title, second.snippet, second.type, second.date) == ("A &amp; &lt;b&gt;", "Начало &amp;", "", None)


def test_searching_before_the_first_index_finds_nothing():
    missing = (404, {"error": {"type": "index_not_found_exception"}, "status": 404})
    cluster = FakeCluster({("POST", "/unit-search/_search"): missing})
    assert fake_backend(cluster).search(SearchRequest("двор", "ru")).hits == []
    assert fake_backend(cluster).suggest("двор", "ru") == []


# --- writing, with a canned cluster -------------------------------------------------------------------------

ALIAS_MISSING = (404, {"error": "alias [unit-search] missing", "status": 404})
ALIAS_ON_OLD = (200, {"unit-search-1": {"aliases": {"unit-search": {}}}})


def test_first_write_creates_an_index_behind_the_alias():
    cluster = FakeCluster({("HEAD", "/_alias/unit-search"): (404, {})})
    backend = fake_backend(cluster)
    assert backend.index([document("page:1", "Сквер", type="practice")]) == 1
    (_, head), (_, create), (_, write) = cluster.calls()
    assert head == "/_alias/unit-search"
    assert create.startswith("/unit-search-")
    assert cluster.requests[1][3]["aliases"] == {"unit-search": {}}
    assert write == "/_bulk"
    _, _, query, lines = cluster.requests[2]
    assert "require_alias=true" in query and "refresh=wait_for" in query
    assert lines[0] == {"index": {"_id": "page:1", "_index": "unit-search"}}
    assert lines[1]["facet_type"] == ["practice"]
    backend.index([document("page:2", "Двор")])
    assert cluster.calls()[3:] == [("PUT", "/_bulk")]


def test_delete_ignores_unknown_keys():
    cluster = FakeCluster(bulk_status=404)
    fake_backend(cluster).delete(["page:1", "page:404"])
    assert cluster.requests[0][3] == [
        {"delete": {"_index": "unit-search", "_id": "page:1"}},
        {"delete": {"_index": "unit-search", "_id": "page:404"}},
    ]


def test_rebuild_fills_a_new_index_then_swaps_the_alias_in_one_call():
    cluster = FakeCluster({("GET", "/_alias/unit-search"): ALIAS_ON_OLD})
    documents = [document(f"page:{number}", f"Страница {number}") for number in range(1, 1202)]
    progress = []
    assert fake_backend(cluster).rebuild(iter(documents), len(documents), lambda *call: progress.append(call)) == 1201
    new = cluster.calls()[0][1]
    assert cluster.calls() == [
        ("PUT", new),
        ("PUT", "/_bulk"),
        ("PUT", "/_bulk"),
        ("PUT", "/_bulk"),
        ("POST", f"{new}/_refresh"),
        ("GET", "/_alias/unit-search"),
        ("POST", "/_aliases"),
        ("DELETE", "/unit-search-1"),
    ]
    assert new.startswith("/unit-search-") and new != "/unit-search-1"
    assert cluster.requests[0][3]["mappings"] == index_settings_and_mappings()["mappings"]
    assert {line["index"]["_index"] for line in cluster.requests[1][3][::2]} == {new.lstrip("/")}
    assert cluster.requests[6][3] == {
        "actions": [
            {"remove": {"indices": ["unit-search-1"], "alias": "unit-search"}},
            {"add": {"index": new.lstrip("/"), "alias": "unit-search"}},
        ]
    }
    assert progress == [(500, 1201), (1000, 1201), (1201, 1201)]


def test_first_rebuild_only_adds_the_alias():
    cluster = FakeCluster({("GET", "/_alias/unit-search"): ALIAS_MISSING})
    fake_backend(cluster).rebuild([document("page:1", "Сквер")])
    new = cluster.calls()[0][1].lstrip("/")
    assert cluster.calls()[-1] == ("POST", "/_aliases")
    assert cluster.requests[-1][3] == {"actions": [{"add": {"index": new, "alias": "unit-search"}}]}


def test_a_failed_rebuild_deletes_its_new_index_and_leaves_the_alias_alone():
    cluster = FakeCluster({("GET", "/_alias/unit-search"): ALIAS_ON_OLD}, bulk_status=400)
    with pytest.raises(BulkIndexError):
        fake_backend(cluster).rebuild([document("page:1", "Сквер")])
    new = cluster.calls()[0][1]
    assert cluster.calls() == [("PUT", new), ("PUT", "/_bulk"), ("DELETE", new)]


# --- the contract, against a live cluster ---------------------------------------------------------------------

LIVE_URL = os.environ.get("ELASTICSEARCH_URL")

YARD = document(
    "page:1",
    "Дворовая территория: нормы и состав работ",
    summary="Что входит в благоустройство двора.",
    body="Дворовая территория многоквартирного дома включает проезды, площадки и озеленение. Благоустройство.",
    day=date(2024, 5, 1),
    type="standard",
    municipality="kaluga",
    work_type="yard",
    year="2024",
)
LIGHT = document(
    "page:2",
    "Уличное освещение в поселениях",
    body="Освещение улиц & дворов <b>важно</b>: опоры, светильники, режимы. Благоустройство.",
    type="practice",
    municipality="obninsk",
    work_type="lighting",
    year="2023",
)
SQUARE = document(
    "page:3",
    "Сквер у школы",
    summary="Практика: дворовая территория стала сквером.",
    body="Благоустройство сквера, посадка деревьев.",
    type="practice",
    municipality="kaluga",
    work_type=["greening", "yard"],
    year="2024",
)
CHECKLIST = document(
    "page:4",
    "Чек-лист приёмки работ",
    rows="Покрытие | Освещение | Благоустройство",
    type="checklist",
    municipality="borovsk",
    year="2025",
)
ENGLISH = document("page:5", "Yard territory rules", locale="en", body="Благоустройство", type="standard")
DOCUMENTS = [YARD, LIGHT, SQUARE, CHECKLIST, ENGLISH]


@pytest.fixture
def live():
    """A backend on an index prefix of its own, filled with DOCUMENTS; its indices are deleted afterwards."""
    backend = ElasticsearchBackend(LIVE_URL, index_prefix=f"test-{uuid.uuid4().hex[:16]}")
    backend.rebuild(DOCUMENTS)
    yield backend
    names = list(backend.client.indices.get(index=f"{backend.alias}-*", allow_no_indices=True))
    if names:
        backend.client.indices.delete(index=names)


def keys(backend, query, locale="ru", **filters):
    return {hit.key for hit in backend.search(SearchRequest(query, locale, filters, per_page=100)).hits}


@pytest.mark.elasticsearch
@pytest.mark.skipif(not LIVE_URL, reason="ELASTICSEARCH_URL не задан: контрактные тесты Elasticsearch пропущены")
class TestAgainstCluster:
    def test_russian_word_forms_match(self, live):
        assert keys(live, "дворовых территорий") == {"page:1", "page:3"}
        assert keys(live, "освещения") == {"page:2", "page:4"}
        assert keys(live, "приемки") == {"page:4"}  # «ё» in the title
        assert keys(live, "благоустройство", locale="en") == {"page:5"}

    def test_facet_counts_are_what_selecting_the_value_finds(self, live):
        filters = {"municipality": ["kaluga"], "year": ["2024", "2023"]}
        result = live.search(SearchRequest("благоустройство", "ru", filters))
        assert result.total == 2
        assert result.facets["municipality"] == {"kaluga": 2, "obninsk": 1}
        for name, counts in result.facets.items():
            for value, count in counts.items():
                narrowed = {**filters, name: [value]}
                assert live.search(SearchRequest("благоустройство", "ru", narrowed)).total == count, (name, value)

    def test_matches_are_marked_and_the_rest_escaped(self, live):
        hit = live.search(SearchRequest("освещение улиц", "ru")).hits[0]
        assert hit.key == "page:2"
        assert "<mark>" in hit.title
        assert "<mark>" in hit.snippet
        assert "&lt;b&gt;" in hit.snippet and "<b>" not in hit.snippet
        assert (hit.type, hit.url) == ("practice", "/ru/page-2/")

    def test_paging_and_dates(self, live):
        first = live.search(SearchRequest("благоустройство", "ru", per_page=2))
        second = live.search(SearchRequest("благоустройство", "ru", page=2, per_page=2))
        assert first.total == second.total == 4
        assert len({hit.key for hit in first.hits + second.hits}) == 4
        assert next(hit for hit in first.hits + second.hits if hit.key == "page:1").date == date(2024, 5, 1)

    def test_delete_removes_and_ignores_unknown_keys(self, live):
        live.delete(["page:2", "page:404"])
        assert keys(live, "освещение") == {"page:4"}

    def test_index_replaces_a_document(self, live):
        assert live.index([document("page:2", "Фонтан в парке", type="practice")]) == 1
        assert keys(live, "освещение") == {"page:4"}
        assert keys(live, "фонтаны") == {"page:2"}

    def test_rebuild_swaps_the_alias_and_drops_the_old_index(self, live):
        (old,) = live.client.indices.get_alias(name=live.alias)
        progress = []
        live.rebuild([document("page:9", "Детская площадка")], total=1, progress=lambda *call: progress.append(call))
        (new,) = live.client.indices.get_alias(name=live.alias)
        assert new != old
        assert not live.client.indices.exists(index=old)
        assert keys(live, "благоустройство") == set()
        assert keys(live, "площадки") == {"page:9"}
        assert progress == [(1, 1)]

    def test_suggest_finds_titles_by_word_beginnings(self, live):
        title = ("Дворовая территория: нормы и состав работ", "/ru/page-1/")
        assert title in live.suggest("двор", "ru")
        assert live.suggest("Дворовые террит", "ru") == [title]
        assert live.suggest("прием", "ru") == [("Чек-лист приёмки работ", "/ru/page-4/")]
        assert live.suggest("двор", "en") == []

    @pytest.mark.parametrize("query", HOSTILE_QUERIES)
    def test_hostile_queries_are_answered(self, live, query):
        live.search(SearchRequest(query, "ru", {"type": [query[:100]]}))
        live.suggest(query, "ru")
