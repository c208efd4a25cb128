"""The TOS directory with 5 000 published TOS: the directory page, the API, the map feed and coverage, as ratios of
their median (p50) response time to a bare listing measured in the same run, with the number of queries of each.

Run with ``make bench PYTEST_ARGS="-k bench_tos"``. The baseline is a plain Django view defined here (no DRF, no
serializers, no filters, no page URLs): the titles and ids of 50 live TOS from ``values()`` rendered as JSON, behind
the same middleware. The 5 000 pages are written straight into the page tree (paths computed, rows bulk-inserted,
no revisions) and put into the search index in batches; the time that takes is printed too.
"""

import random
import statistics
import time
import uuid
from datetime import date
from itertools import islice

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.http import JsonResponse
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.utils import timezone
from wagtail.models import Page

from search import registry
from search.service import get_backend
from tests.tos.factories import TOSIndexPageFactory
from tos.models import ActivityArea, LegalForm, TOSIndexPage, TOSProfilePage, TOSProject
from website.models import Municipality
from website.urls import urlpatterns as site_urlpatterns

TOS_COUNT = 5_000
SEED = 2026
ROUNDS = 30
WARMUP = 2
MIN_ROUNDS = 5
BUDGET_SECONDS = 20.0
INDEX_BATCH = 500
BARE_URL = "/bench/bare-tos/"
NAMES = [
    "Солнечный",
    "Липки",
    "Заречье",
    "Центральный",
    "Школьный",
    "Молодёжный",
    "Берёзки",
    "Сосновый бор",
    "Родник",
    "Дружба",
    "Лесная поляна",
    "Ветеран",
]
STREETS = ["Ленина", "Гагарина", "Мира", "Пушкина", "Королёва", "Циолковского", "Маркса", "Кирова", "Чехова"]


def bare_listing(request):
    rows = TOSProfilePage.objects.live().order_by("title").values("id", "title")[:50]
    return JsonResponse({"results": list(rows)})


urlpatterns = [path(BARE_URL.strip("/") + "/", bare_listing), *site_urlpatterns]


def chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def geometry(rng):
    lon, lat = rng.uniform(34.0, 37.3), rng.uniform(53.3, 55.3)
    if rng.random() < 0.5:
        return {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}
    step = 0.002
    ring = [[lon, lat], [lon + step, lat], [lon + step, lat + step], [lon, lat + step], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring]]}


def build_directory(index, count):
    """``count`` published TOS profiles under ``index``: page rows in bulk, profile rows raw, areas and projects."""
    rng = random.Random(SEED)
    municipalities = list(Municipality.objects.order_by("pk"))
    areas = list(ActivityArea.objects.all())
    content_type = ContentType.objects.get_for_model(TOSProfilePage)
    now = timezone.now()
    base_depth = index.depth + 1
    with transaction.atomic():
        pages = Page.objects.bulk_create(
            Page(
                title=f"ТОС «{NAMES[number % len(NAMES)]} {number}»",
                draft_title=f"ТОС «{NAMES[number % len(NAMES)]} {number}»",
                slug=f"tos-{number}",
                content_type=content_type,
                path=TOSProfilePage._get_path(index.path, base_depth, number + 1),
                depth=base_depth,
                numchild=0,
                url_path=f"{index.url_path}tos-{number}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                locale_id=index.locale_id,
                translation_key=uuid.uuid4(),
            )
            for number in range(count)
        )
        Page.objects.filter(pk=index.pk).update(numchild=count)
        links, projects = [], []
        for number, page in enumerate(pages):
            municipality = rng.choice(municipalities)
            profile = TOSProfilePage(
                page_ptr_id=page.pk,
                municipality=municipality,
                settlement="",
                summary=f"ТОС в {municipality.short_name}: дворы по улице {rng.choice(STREETS)}.",
                about="Благоустройство дворов, праздники улицы, субботники и помощь пожилым соседям.",
                boundaries_text=f"ул. {rng.choice(STREETS)}, д. 1–{rng.randint(5, 60)}",
                geometry=geometry(rng),
                founded_at=date(rng.randint(2005, 2024), rng.randint(1, 12), rng.randint(1, 28)),
                legal_form=LegalForm.NO_LEGAL_ENTITY,
                chair_name="Иванова Анна Петровна",
                residents_count=rng.randint(80, 4000),
                households_count=rng.randint(30, 1500),
            )
            profile.save_base(raw=True)
            links += [
                TOSProfilePage.activity_areas.through(tosprofilepage_id=page.pk, activityarea_id=area.pk)
                for area in rng.sample(areas, rng.randint(1, 3))
            ]
            if number % 3 == 0:
                projects.append(
                    TOSProject(
                        page_id=page.pk,
                        title=f"Площадка у дома {number}",
                        year=rng.randint(2019, 2025),
                        funding_source="tos_competition",
                        amount=rng.randint(100_000, 2_000_000),
                        status="completed",
                    )
                )
        TOSProfilePage.activity_areas.through.objects.bulk_create(links)
        TOSProject.objects.bulk_create(projects)
        Municipality.objects.update(population=200_000, population_year=2024)


def index_directory():
    backend = get_backend()
    pages = (
        TOSProfilePage.objects.live()
        .select_related("municipality", "locale")
        .prefetch_related("projects", "news_items", "activity_areas")
        .iterator(chunk_size=INDEX_BATCH)
    )
    for chunk in chunks(pages, INDEX_BATCH):
        backend.index([document for document in map(registry.document_for, chunk) if document is not None])


def median_seconds(client, url):
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200, url
    samples, spent = [], 0.0
    while len(samples) < ROUNDS and (len(samples) < MIN_ROUNDS or spent < BUDGET_SECONDS):
        started = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - started)
        spent += samples[-1]
    return statistics.median(samples), len(samples)


def query_count(client, url):
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


@pytest.mark.urls("tests.benchmarks.bench_tos")
@pytest.mark.django_db
def bench_tos_directory(client, site_tree):
    index = TOSIndexPageFactory(parent=site_tree["home"])
    index.save_revision().publish()
    index = TOSIndexPage.objects.get(pk=index.pk)

    started = time.perf_counter()
    build_directory(index, TOS_COUNT)
    built = time.perf_counter() - started
    started = time.perf_counter()
    index_directory()
    indexed = time.perf_counter() - started

    kaluga = Municipality.objects.get(short_name="Калуга")
    in_kaluga = TOSProfilePage.objects.filter(municipality=kaluga).count()
    map_features = len(client.get("/api/v1/tos/map/").json()["features"])
    found = client.get("/api/v1/tos/", {"q": "солнечного"}).json()["count"]
    assert client.get("/api/v1/tos/").json()["count"] == TOS_COUNT
    named_so = TOSProfilePage.objects.filter(title__contains="Солнечный").count()
    assert map_features == TOS_COUNT and 0 < found <= named_so

    targets = {}
    try:
        get_template(TOSIndexPage.template)
        targets["страница реестра /ru/tos/"] = index.url
        targets["страница реестра, поиск «солнечного»"] = f"{index.url}?q=солнечного"
    except TemplateDoesNotExist:
        print("\nШаблона страницы реестра ещё нет: измеряется только API.")
    targets.update(
        {
            "API список ?limit=50": "/api/v1/tos/?limit=50",
            f"API список ?municipality=Калуга ({in_kaluga} ТОС)": f"/api/v1/tos/?municipality={kaluga.pk}",
            f"API список ?q=солнечного ({found} ТОС)": "/api/v1/tos/?q=солнечного",
            f"API карта /map/ ({map_features} объектов)": "/api/v1/tos/map/",
            "API охват /coverage/": "/api/v1/tos/coverage/",
        }
    )

    baseline, baseline_rounds = median_seconds(client, BARE_URL)
    print(f"\nРеестр ТОС: {TOS_COUNT} опубликованных ТОС")
    print(f"  Создание страниц: {built:.1f} с; индексация для поиска: {indexed:.1f} с")
    if found < named_so:
        print(f"  ВНИМАНИЕ: поиск «солнечного» нашёл {found} ТОС из {named_so} с этим словом в названии")
    print(
        f"  Базовая линия — голый список: 50 названий из values() в JsonResponse ({BARE_URL}), "
        f"p50 {baseline * 1000:.2f} мс за {baseline_rounds} запросов, запросов к БД: {query_count(client, BARE_URL)}"
    )
    print(f"  {'адрес':<52}{'p50, мс':>10}{'× базовой':>11}{'запросов':>10}{'замеров':>9}")
    for label, url in targets.items():
        median, rounds = median_seconds(client, url)
        queries = query_count(client, url)
        print(f"  {label:<52}{median * 1000:>10.1f}{median / baseline:>10.1f}×{queries:>10}{rounds:>9}")
