"""The directory costs the same number of queries for 3 TOS as for 30: nothing is fetched row by row."""

import pytest
from django.db import connection
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test.utils import CaptureQueriesContext

from tests.tos.factories import publish_profile
from tos.models import ActivityArea, TOSCouncilMember, TOSIndexPage, TOSProject
from website.models import Municipality

pytestmark = pytest.mark.django_db


def add_profiles(index, count, start, areas):
    kaluga = Municipality.objects.get(short_name="Калуга")
    for number in range(start, start + count):
        publish_profile(
            index,
            title=f"ТОС «Двор {number}»",
            slug=f"dvor-{number}",
            municipality=kaluga,
            geometry={"type": "Point", "coordinates": [36.2 + number / 1000, 54.5]},
            activity_areas=areas,
            council_members=[TOSCouncilMember(name=f"Член совета {number}", consent_to_publish=True)],
            projects=[TOSProject(title=f"Площадка {number}", year=2024, funding_source="tos_competition")],
        )


def query_counts(client, urls):
    """Queries of each URL on a second request (the first one fills the caches of sites and content types)."""
    counts = {}
    for url in urls:
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(captured)
    return counts


def grow_and_compare(client, tos_index, urls, django_capture_on_commit_callbacks):
    areas = list(ActivityArea.objects.all()[:3])
    with django_capture_on_commit_callbacks(execute=True):
        add_profiles(tos_index, 3, 0, areas)
    small = query_counts(client, urls(tos_index))
    with django_capture_on_commit_callbacks(execute=True):
        add_profiles(tos_index, 27, 3, areas)
    large = query_counts(client, urls(tos_index))
    assert large == small


def api_urls(index):
    kaluga = Municipality.objects.get(short_name="Калуга")
    first = index.get_children().first()
    return [
        "/api/v1/tos/",
        f"/api/v1/tos/?municipality={kaluga.pk}&has_projects=1&sort=-residents",
        "/api/v1/tos/?q=двора",
        "/api/v1/tos/map/",
        "/api/v1/tos/coverage/",
        f"/api/v1/tos/{first.pk}/",
    ]


def test_api_runs_the_same_queries_for_3_and_30_tos(client, tos_index, django_capture_on_commit_callbacks):
    grow_and_compare(client, tos_index, api_urls, django_capture_on_commit_callbacks)


def test_api_lists_every_tos_the_count_test_relies_on(client, tos_index, django_capture_on_commit_callbacks):
    areas = list(ActivityArea.objects.all()[:3])
    with django_capture_on_commit_callbacks(execute=True):
        add_profiles(tos_index, 4, 0, areas)
    assert client.get("/api/v1/tos/?q=двора").json()["count"] == 4
    assert len(client.get("/api/v1/tos/map/").json()["features"]) == 4


def test_directory_page_runs_the_same_queries_for_3_and_30_tos(client, tos_index, django_capture_on_commit_callbacks):
    try:
        get_template(TOSIndexPage.template)
    except TemplateDoesNotExist:
        pytest.skip("Шаблона страницы реестра ТОС ещё нет: считаются запросы только API.")

    def page_urls(index):
        return [index.url, f"{index.url}?q=двора", f"{index.url}?has_projects=1"]

    grow_and_compare(client, tos_index, page_urls, django_capture_on_commit_callbacks)
