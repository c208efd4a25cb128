"""Page-rendering cost of the site's main pages, as ratios to a trivial view measured in the same run.

Run with ``make bench``. Absolute times depend on the machine; the ratios show where rendering
grows heavier than the baseline (robots.txt: routing, middleware and a two-line template).
"""

import statistics
import time

import pytest
from django.core.management import call_command

ROUNDS = 30
WARMUP = 3


def median_seconds(client, url):
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


@pytest.mark.django_db
def bench_site_pages(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    baseline = median_seconds(client, "/robots.txt")
    targets = {
        "главная /ru/": "/ru/",
        "главная /en/": "/en/",
        "страница «О платформе»": "/ru/o-platforme/",
        "поиск «платформа»": "/ru/search/?q=платформа",
        "Wagtail API v2 /api/v2/pages/": "/api/v2/pages/",
        "справочник МО /api/v1/municipalities/": "/api/v1/municipalities/",
    }
    print(f"\nБазовая линия robots.txt: медиана {baseline * 1000:.2f} мс за {ROUNDS} запросов")
    for label, url in targets.items():
        ratio = median_seconds(client, url) / baseline
        print(f"  {label:<40} {ratio:6.1f}× базовой линии")
