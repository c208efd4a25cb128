"""The public TOS directory: filters, search in any word form, pagination, map, counts and coverage by municipality."""

import json
import re
from html import unescape
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from tests.tos.factories import publish_profile
from tos.models import ActivityArea, LegalForm, TOSProject
from tos.moderation import save_draft, working_copy
from website.models import Municipality

DIRECTORY = "/ru/tos/"


@pytest.fixture
def kaluga(db):
    return Municipality.objects.get(short_name="Калуга")


@pytest.fixture
def borovsky(db):
    return Municipality.objects.get(short_name="Боровский")


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run the search index updates that publishing schedules for after the commit (tests never commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def landscaping(db):
    return ActivityArea.objects.create(name="Благоустройство", sort_order=1)


@pytest.fixture
def sport(db):
    return ActivityArea.objects.create(name="Спорт и здоровье", sort_order=2)


@pytest.fixture
def three(tos_index, kaluga, borovsky, landscaping, sport, indexed):
    with indexed():
        embankment = publish_profile(
            tos_index,
            title="ТОС «Окская набережная»",
            municipality=kaluga,
            legal_form=LegalForm.LEGAL_ENTITY,
            activity_areas=[landscaping],
            projects=[TOSProject(title="Сквер у реки", year=2024, funding_source="tos_competition")],
            residents_count=1800,
        )
        forest = publish_profile(
            tos_index, title="ТОС «Лесной»", municipality=borovsky, activity_areas=[sport], residents_count=400
        )
        sunny = publish_profile(tos_index, title="ТОС «Солнечный»", municipality=kaluga, residents_count=1200)
    return {"embankment": embankment, "forest": forest, "sunny": sunny}


def card_titles(response):
    html = response.content.decode()
    return [unescape(title) for title in re.findall(r'class="tos-card__title"><a href="[^"]*">([^<]+)</a>', html)]


def test_the_directory_lists_published_tos_with_their_facts(client, three):
    response = client.get(DIRECTORY)

    assert response.status_code == 200
    html = response.content.decode()
    assert card_titles(response) == ["ТОС «Лесной»", "ТОС «Окская набережная»", "ТОС «Солнечный»"]
    assert "Найдено 3 ТОС" in html
    assert f'href="{three["embankment"].url}"' in html
    assert "Жителей: 1\xa0800" in html
    assert html.count("есть проекты") == 1
    assert '<span class="tos-tag">Благоустройство</span>' in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (lambda m: {"municipality": m["kaluga"].pk}, ["ТОС «Окская набережная»", "ТОС «Солнечный»"]),
        (lambda m: {"area": m["sport"].pk}, ["ТОС «Лесной»"]),
        (lambda m: {"legal_form": "legal_entity"}, ["ТОС «Окская набережная»"]),
        (lambda m: {"has_projects": "1"}, ["ТОС «Окская набережная»"]),
        (lambda m: {"q": "набережной"}, ["ТОС «Окская набережная»"]),
        (lambda m: {"q": "лесного"}, ["ТОС «Лесной»"]),
        (lambda m: {"q": "реки"}, ["ТОС «Окская набережная»"]),  # a word of a project's title
        (lambda m: {"municipality": m["kaluga"].pk, "has_projects": "1"}, ["ТОС «Окская набережная»"]),
    ],
    ids=["municipality", "area", "legal-form", "has-projects", "q-word-form", "q-adjective", "q-project", "combined"],
)
def test_each_filter_narrows_the_list(client, three, kaluga, sport, params, expected):
    query = params({"kaluga": kaluga, "sport": sport})

    response = client.get(DIRECTORY, query)

    assert card_titles(response) == expected
    html = response.content.decode()
    assert "Выбрано:" in html and "Сбросить все фильтры" in html


def test_active_filters_name_what_is_chosen_and_each_can_be_removed(client, three, kaluga):
    response = client.get(DIRECTORY, {"municipality": kaluga.pk, "has_projects": "1", "q": "набережной"})

    html = response.content.decode()
    assert "Муниципалитет: Калуга" in html
    assert "Поиск: «набережной»" in html
    assert "Только с проектами" in html
    # removing the municipality keeps the other two filters
    assert f'href="{DIRECTORY}?has_projects=1&amp;q={quote("набережной")}"' in html
    assert f'<option value="{kaluga.pk}" selected>Калуга</option>' in html
    assert 'name="has_projects" value="1" checked' in html


def test_nothing_found_says_so_and_offers_the_whole_list(client, three):
    response = client.get(DIRECTORY, {"q": "космодром"})

    html = response.content.decode()
    assert card_titles(response) == []
    assert "Найдено 0 ТОС" in html
    assert "ТОС не нашлось" in html
    assert f'<a href="{DIRECTORY}">Показать все ТОС</a>' in html


def test_malformed_filter_values_are_ignored(client, three):
    response = client.get(DIRECTORY, {"municipality": "abc", "legal_form": "llc", "sort": "drop table", "page": "x"})

    assert response.status_code == 200
    assert len(card_titles(response)) == 3


def test_pagination_shows_twenty_and_keeps_the_filters(client, tos_index, kaluga, borovsky):
    for number in range(25):
        publish_profile(tos_index, title=f"ТОС «Двор {number:02d}»", municipality=kaluga)
    publish_profile(tos_index, title="ТОС «Боровский»", municipality=borovsky)

    # as the form submits it: every field, the untouched ones empty
    form = {"q": "", "municipality": kaluga.pk, "area": "", "legal_form": "", "sort": "title"}
    first = client.get(DIRECTORY, form)
    html = first.content.decode()
    assert len(card_titles(first)) == 20
    assert "Найдено 25 ТОС" in html
    next_link = f'href="?municipality={kaluga.pk}&amp;sort=title&amp;page=2#tos-list" rel="next"'
    assert next_link in html
    assert 'aria-label="Страницы списка ТОС"' in html and 'aria-current="page"' in html

    second = client.get(DIRECTORY, {"municipality": kaluga.pk, "page": 2})
    titles = card_titles(second)
    assert titles == [f"ТОС «Двор {number:02d}»" for number in range(20, 25)]
    assert "ТОС «Боровский»" not in titles
    assert f'href="?municipality={kaluga.pk}&amp;page=1#tos-list" rel="prev"' in second.content.decode()


def test_drafts_and_unpublished_edits_are_never_shown(client, tos_index, kaluga, three, indexed):
    leader_draft = publish_profile(tos_index, title="ТОС «Заречный»", municipality=kaluga)
    copy = working_copy(leader_draft)
    copy.title = "ТОС «Заречный — черновик»"
    copy.projects.add(TOSProject(title="Фонтан", year=2025, funding_source="own_funds"))
    with indexed():
        save_draft(leader_draft, copy, None)
        never_published = publish_profile(tos_index, title="ТОС «Новый»", municipality=kaluga)
        never_published.unpublish()

    response = client.get(DIRECTORY)
    titles = card_titles(response)
    assert "ТОС «Заречный»" in titles
    assert "ТОС «Заречный — черновик»" not in titles and "ТОС «Новый»" not in titles
    assert "Найдено 4 ТОС" in response.content.decode()
    assert card_titles(client.get(DIRECTORY, {"has_projects": "1"})) == ["ТОС «Окская набережная»"]
    assert card_titles(client.get(DIRECTORY, {"q": "черновик"})) == []


def test_coverage_table_counts_published_tos_against_the_population(client, tos_index, three, kaluga, borovsky):
    kaluga.population = 300000
    kaluga.population_year = 2024
    kaluga.save()
    hidden = publish_profile(tos_index, title="ТОС «Снятый»", municipality=kaluga, residents_count=90000)
    hidden.unpublish()

    html = client.get(DIRECTORY).content.decode()
    table = html[html.index('id="coverage"') :]
    kaluga_row = re.search(r"<tr>\s*<th scope=\"row\">Калуга</th>(.*?)</tr>", table, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", kaluga_row, re.S)]
    assert cells == ["2", "3\xa0000", "300\xa0000 (2024)", "1,0\xa0%"]
    assert 'style="width: 1.0%"' in kaluga_row
    assert f'href="{DIRECTORY}?municipality={kaluga.pk}"' in kaluga_row

    borovsky_row = re.search(r"<tr>\s*<th scope=\"row\">Боровский</th>(.*?)</tr>", table, re.S).group(1)
    assert "400" in borovsky_row and "нет данных о населении" in borovsky_row

    totals = re.search(r"<tfoot>(.*?)</tfoot>", table, re.S).group(1)
    totals_cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", totals, re.S)]
    assert totals_cells == ["3", "3\xa0400", "300\xa0000", "1,0\xa0%"]
    assert "2024" in table[table.index("tos-coverage__note") :]


def test_coverage_table_sorts_by_share(client, tos_index, three, kaluga, borovsky):
    kaluga.population, kaluga.population_year = 300000, 2024
    kaluga.save()
    borovsky.population, borovsky.population_year = 4000, 2024
    borovsky.save()

    html = client.get(DIRECTORY, {"coverage": "-share"}).content.decode()
    table = html[html.index('id="coverage"') :]
    order = re.findall(r'<th scope="row">([^<]+)</th>', table)
    assert order[:2] == ["Боровский", "Калуга"]  # 10 % before 1 %
    assert 'aria-sort="descending"><a href="?coverage=-share#coverage">Доля жителей в ТОС' in table


def map_config(html):
    match = re.search(r'<script id="tos-directory-map-config" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_the_map_loads_the_feed_with_the_same_filters_and_draws_without_tiles(client, three, kaluga):
    response = client.get(DIRECTORY, {"q": "", "municipality": kaluga.pk, "sort": "-residents", "page": "1"})

    html = response.content.decode()
    assert f'data-feed-url="/api/v1/tos/map/?municipality={kaluga.pk}"' in html
    assert 'data-config-id="tos-directory-map-config"' in html and 'data-tiles="off"' in html
    config = map_config(html)
    assert config["tiles"] is None
    assert config["centre"] == [54.45, 35.8] and config["zoom"] == 7
    assert "Подложка карты не подключена — ТОС показаны точками и границами" in html
    assert '<a href="#tos-list">Те же ТОС списком — ниже</a>' in html
    assert "leaflet/leaflet.js" in html and "js/tos-map.js" in html
    map_markup = html[html.index('class="tos-map-wrap"') : html.index("tos-directory-map-config")]
    assert "aria-hidden" not in map_markup


@override_settings(MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png", MAP_TILE_ATTRIBUTION="© Участники карты")
def test_the_map_uses_tiles_when_a_tile_url_is_configured(client, three):
    html = client.get(DIRECTORY).content.decode()

    config = map_config(html)
    assert config["tiles"] == {"url": "https://tiles.example.org/{z}/{x}/{y}.png", "attribution": "© Участники карты"}
    assert 'data-tiles="on"' in html
    assert "Подложка карты не подключена" not in html


def test_the_directory_costs_the_same_number_of_queries_for_3_and_25_tos(client, tos_index, kaluga, landscaping, sport):
    def add(count, start):
        for number in range(start, start + count):
            publish_profile(
                tos_index,
                title=f"ТОС «Квартал {number:02d}»",
                municipality=kaluga,
                activity_areas=[landscaping, sport],
                projects=[TOSProject(title=f"Проект {number}", year=2024, funding_source="own_funds")],
            )

    def measure(params):
        client.get(DIRECTORY, params)  # warm the caches a first request fills
        with CaptureQueriesContext(connection) as queries:
            response = client.get(DIRECTORY, params)
        assert response.status_code == 200
        return len(queries), len(card_titles(response))

    add(3, 0)
    small = measure({})
    small_filtered = measure({"area": sport.pk, "has_projects": "1"})
    add(22, 3)
    large = measure({})
    large_filtered = measure({"area": sport.pk, "has_projects": "1"})

    assert small[1] == 3 and large[1] == 20
    assert small[0] == large[0]
    assert small_filtered[0] == large_filtered[0]
