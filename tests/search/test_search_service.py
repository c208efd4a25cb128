"""The search service on the database backend of the run (SQLite in `make test`, PostgreSQL in CI's second pass)."""

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from search import service
from search.models import IndexEntry, QueryStat

pytestmark = pytest.mark.django_db


def titles(query, **kwargs):
    return [
        hit.title.replace("<mark>", "").replace("</mark>", "") for hit in service.search(query, "ru", **kwargs).hits
    ]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("дворовых территорий", "Благоустройство: дворовая территория у дома 5"),
        ("освещения", "Наружное освещение вдоль дорожек"),
        ("контейнерные площадки ТКО", "Контейнерная площадка для ТКО на 4 контейнера"),
        ("ремонт дворовых проездов", "Ремонт дворового проезда и тротуаров"),
    ],
)
def test_word_forms_match(publish, query, text):
    publish("Типовое решение", body_text=text)
    publish("Постороннее", body_text="Совсем о другом: регламент заседаний")
    assert titles(query) == ["Типовое решение"]


def test_matches_are_highlighted_and_text_is_escaped(publish):
    publish("Освещение <script>двора</script>", body_text="Опоры освещения ставят до асфальта.")
    hit = service.search("освещения", "ru").hits[0]
    assert hit.title == "<mark>Освещение</mark> &lt;script&gt;двора&lt;/script&gt;"
    assert hit.snippet == "Опоры <mark>освещения</mark> ставят до асфальта."


def test_title_outranks_body(publish):
    publish("Озеленение двора", body_text="Посадка деревьев")
    publish("Асфальт", body_text="После асфальта — озеленение газонов")
    assert titles("озеленение") == ["Озеленение двора", "Асфальт"]


def test_drafts_never_appear(site_tree, publish, committed):
    from tests.factories import ContentPageFactory

    with committed():
        draft = ContentPageFactory(parent=site_tree["home"], title="Черновик про освещение", live=False)
        draft.save_revision()
    assert titles("освещение") == []


def test_unpublish_and_delete_remove_from_results(publish, committed):
    first = publish("Освещение улиц")
    second = publish("Освещение парков")
    with committed():
        first.unpublish()
    assert titles("освещение") == ["Освещение парков"]
    with committed():
        second.delete()
    assert titles("освещение") == []
    assert not IndexEntry.objects.exists()


def test_private_pages_and_their_children_never_appear(publish, committed):
    section = publish("Служебный раздел по освещению")
    publish("Освещение: внутренняя записка", parent=section)
    assert len(titles("освещению")) == 2
    with committed():
        PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    assert titles("освещению") == []
    with committed():
        PageViewRestriction.objects.filter(page=section).delete()
    assert len(titles("освещению")) == 2


def test_move_updates_the_address(publish, committed):
    section = publish("Раздел", slug="razdel")
    page = publish("Освещение дворов", slug="osveshchenie")
    with committed():
        page.move(section, pos="last-child")
    assert service.search("освещение", "ru").hits[0].url == "/ru/razdel/osveshchenie/"


def test_results_are_in_the_readers_language(site_tree, publish, committed):
    page = publish("Освещение", body_text="Наружное освещение")
    with committed():
        english = page.copy_for_translation(site_tree["en"])
        english.title = "Outdoor lighting"
        english.save_revision().publish()
    assert titles("освещение") == ["Освещение"]
    assert [hit.url for hit in service.search("lighting", "en").hits] == [english.url]


def test_facet_counts_equal_the_counts_of_filtered_results(publish, site_tree):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    moscow = ZoneInfo("Europe/Moscow")
    for year, count in ((2024, 2), (2025, 3)):
        for number in range(count):
            page = publish(f"Благоустройство двора {year}-{number}")
            page.first_published_at = datetime(year, 5, 1, tzinfo=moscow)
            page.save()
            service.index_page(page)
    response = service.search("благоустройство", "ru")
    assert response.total == 5
    for facet in response.facets:
        for option in facet.options:
            filtered = service.search("благоустройство", "ru", {facet.name: [option.value]})
            assert filtered.total == option.count, (facet.name, option.value)
    years = {
        option.value: option.count for facet in response.facets if facet.name == "year" for option in facet.options
    }
    assert years["2024"] == 2 and years["2025"] == 3


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "а" * 10_000,
        '"дворовая территория"',
        "& | ! : * ( )",
        "'; DROP TABLE search_indexentry; --",
        "1' OR '1'='1",
        "освещение OR 1=1",
        "дворовые territory лайтинг",
        "\x00\x01",
    ],
)
def test_hostile_or_odd_queries_give_a_sensible_answer(client, publish, query):
    publish("Освещение", body_text="Наружное освещение")
    response = client.get("/ru/search/", {"q": query})
    assert response.status_code == 200
    api = client.get("/api/v1/search/", {"q": query})
    assert api.status_code == 200 or (api.status_code == 400 and "q" in api.json())  # e.g. NUL characters
    assert IndexEntry.objects.count() == 1


def test_unknown_filters_and_pages_are_ignored(client, publish):
    publish("Освещение")
    response = client.get("/ru/search/", {"q": "освещение", "colour": "red", "year": "x" * 500, "page": "abc"})
    assert response.status_code == 200
    assert client.get("/api/v1/search/", {"q": "освещение", "page": "0"}).status_code == 400


def test_suggestions_complete_titles_as_you_type(publish):
    publish("Контейнерная площадка ТКО")
    publish("Детская игровая площадка")
    suggested = [title for title, _url in service.suggest("контейнерн", "ru")]
    assert suggested == ["Контейнерная площадка ТКО"]
    assert len(service.suggest("площадк", "ru")) == 2


def test_nothing_found_offers_suggestions(client, publish):
    publish("Контейнерная площадка ТКО")
    html = client.get("/ru/search/", {"q": "контейнерн регламент"}).content.decode()
    assert "Ничего не найдено" in html
    assert "Возможно, вы искали" in html and "Контейнерная площадка ТКО" in html


def test_promoted_results_come_first(publish):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    page = publish("Порядок приёмки работ")
    publish("Освещение")
    SearchPromotion.objects.create(query=Query.get("освещение"), page=page, description="Сначала прочтите это")
    response = service.search("Освещение", "ru")
    assert response.promoted == [
        {"title": "Порядок приёмки работ", "url": page.url, "description": "Сначала прочтите это"}
    ]


def test_queries_are_counted_without_personal_data(client, publish):
    publish("Освещение")
    client.get("/ru/search/", {"q": "Освещение"})
    client.get("/ru/search/", {"q": "освещение"})
    client.get("/ru/search/", {"q": "фонтан"})
    stats = {row.query: (row.hits, row.zero_results) for row in QueryStat.objects.all()}
    assert stats == {"освещение": (2, 0), "фонтан": (1, 1)}
    assert [field.name for field in QueryStat._meta.get_fields()] == ["id", "query", "day", "hits", "zero_results"]


def test_reindex_rebuilds_from_live_pages_and_drops_stale_entries(publish):
    publish("Освещение")
    IndexEntry.objects.create(key="page:999999", locale="ru", title="Устаревшее", url="/ru/old/")
    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(IndexEntry.objects.values_list("title", flat=True)) == {
        "Освещение",
        "Главная платформы",
        "Platform home",
    }
    assert titles("освещение") == ["Освещение"]


@pytest.fixture
def elasticsearch_down(settings):
    """The Elasticsearch backend pointed at a port where nothing listens: every request is refused at once."""
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    service._elasticsearch_backend.cache_clear()
    yield
    service._elasticsearch_backend.cache_clear()


def test_an_unreachable_backend_never_fails_publishing_or_the_search_page(client, publish, elasticsearch_down):
    page = publish("Освещение")  # publishing still succeeds; the index catches up with search_reindex
    assert page.live
    response = client.get("/ru/search/", {"q": "освещение"})
    assert response.status_code == 200
    assert "Поиск временно недоступен" in response.content.decode()
    api = client.get("/api/v1/search/", {"q": "освещение"})
    assert api.status_code == 503 and "временно недоступен" in api.json()["detail"]
    assert client.get("/api/v1/search/suggest/", {"q": "осв"}).json() == []


def test_rebuild_drops_what_is_gone_but_keeps_what_was_published_while_it_ran(publish):
    from search.backends.database import DatabaseBackend

    gone = publish("Освещение снятое")
    publish("Освещение старое")
    # The rebuild reads the live pages: the first one has been taken down since it was indexed.
    documents = [document for document in service.all_documents() if document.key != f"page:{gone.pk}"]

    def editor_publishes_meanwhile(done, total):
        if "Освещение новое" not in titles("освещение"):
            publish("Освещение новое")

    DatabaseBackend().rebuild(documents, progress=editor_publishes_meanwhile)
    assert sorted(titles("освещение")) == ["Освещение новое", "Освещение старое"]


def test_every_facet_filtered_at_once(publish):
    publish("Освещение")
    filters = {name: ["x"] for name in ("type", "municipality", "work_type", "stage", "object_type", "year")}
    assert service.search("освещение", "ru", filters).total == 0
