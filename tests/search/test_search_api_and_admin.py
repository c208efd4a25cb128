import pytest
import yaml

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_api_returns_the_same_results_and_facets_as_the_page(client, publish):
    publish("Наружное освещение", body_text="Опоры освещения вдоль дорожек")
    publish("Озеленение", body_text="Газоны")
    data = client.get("/api/v1/search/", {"q": "освещения", "locale": "ru"}).json()
    assert data["total"] == 1
    assert data["hits"][0]["title"] == "Наружное <mark>освещение</mark>"
    assert data["hits"][0]["type_label"] == "Страница"
    (type_facet,) = [facet for facet in data["facets"] if facet["name"] == "type"]
    assert type_facet["options"] == [
        {"value": "website.contentpage", "label": "Страница", "count": 1, "selected": False}
    ]
    filtered = client.get("/api/v1/search/", {"q": "освещения", "type": "website.homepage"}).json()
    assert filtered["total"] == 0


def test_api_suggest(client, publish):
    page = publish("Контейнерная площадка ТКО")
    publish("Детская площадка")
    response = client.get("/api/v1/search/suggest/", {"q": "контейн"})
    assert response.json() == [{"title": "Контейнерная площадка ТКО", "url": page.url}]


def test_search_endpoints_are_in_the_openapi_schema(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    parameters = {parameter["name"] for parameter in schema["paths"]["/api/v1/search/"]["get"]["parameters"]}
    assert {"q", "page", "per_page", "locale", "type", "municipality", "year"} <= parameters
    assert "/api/v1/search/suggest/" in schema["paths"]


def test_search_page_shows_facets_highlights_and_counts(client, publish):
    publish("Освещение двора", body_text="Наружное освещение")
    html = client.get("/ru/search/", {"q": "освещение"}).content.decode()
    assert "<mark>Освещение</mark> двора" in html
    assert "Тип материала" in html and 'Страница <span class="facet__count">(1)</span>' in html
    assert "Найден 1 результат по запросу «освещение»" in html


def test_queries_report_is_for_editors_not_for_the_public(client, site_tree):
    assert client.get("/admin/reports/search-queries/").status_code == 302
    leader = UserFactory(roles=["Лидер ТОС"])
    client.login(username=leader.username, password=TEST_PASSWORD)
    assert client.get("/admin/reports/search-queries/").status_code in (302, 403)
    methodologist = UserFactory(roles=["Методист"])
    client.login(username=methodologist.username, password=TEST_PASSWORD)
    client.get("/ru/search/", {"q": "фонтан"})
    html = client.get("/admin/reports/search-queries/").content.decode()
    assert "Без результатов" in html and "фонтан" in html


def test_english_search_page_speaks_english(client, publish, site_tree, committed):
    page = publish("Освещение")
    with committed():
        english = page.copy_for_translation(site_tree["en"])
        english.title = "Outdoor lighting"
        english.save_revision().publish()
    html = client.get("/en/search/", {"q": "lighting"}).content.decode()
    assert "Outdoor <mark>lighting</mark>" in html
    assert "Refine" in html and "Type of material" in html and "Page" in html
