"""Concurrent survey submissions through gunicorn on PostgreSQL, as ratios to a bare view writing one row.

Run with ``make bench`` (``PYTEST_ARGS="-k form_submissions"`` for this one alone). Needs PostgreSQL at
127.0.0.1:5432 (or the server of DATABASE_URL when that is a PostgreSQL address); skipped when none answers.

The benchmark creates a database of its own (other runs may use ``test_platform`` meanwhile), migrates it, publishes
an anonymous one-answer-per-person survey of eight questions and starts gunicorn on it. 200 respondents, each with a
cookie jar of its own, open the survey (for the CSRF token), meet at a barrier and post a complete answer at once.
The baseline is the same burst of posts, with the same body, to a CSRF-exempt view that inserts one row with raw SQL
(tests/benchmarks/bench_urls.py), on the same gunicorn. Latency is that of the POST, queueing included: the burst is
larger than the server's threads. Client, server and PostgreSQL share the machine's cores.

Correctness is asserted (every answer stored exactly once and complete, no draft left, no failed request); times are
only printed.
"""

import http.client
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import requests
from django.db import connection
from wagtail.models import Locale, Page, Site

from forms.models import Submission, SurveyPage
from tests.benchmarks.bench_urls import BARE_TABLE, BARE_URL
from tests.factories import HomePageFactory
from tests.forms.factories import block, publish_survey

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RESPONDENTS = 200
CORES = os.cpu_count() or 2
WORKERS = CORES + 1
THREADS = 4
HOST = "127.0.0.1"
DEFAULT_SERVER = "postgres://postgres:postgres@127.0.0.1:5432"
REQUEST_TIMEOUT = 120  # a burst on a machine busy with other work may queue for long
BARRIER_TIMEOUT = 120
STARTUP_SECONDS = 60
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

OFTEN = ["Каждый день", "Несколько раз в неделю", "Раз в неделю", "Реже"]
MISSING = ["Детской площадки", "Освещения", "Лавочек", "Парковки", "Озеленения", "Контейнерной площадки"]
DISTRICTS = ["город Калуга", "город Обнинск", "Боровский район", "Козельский район", "Малоярославецкий район"]
WISHES = [
    "Отремонтировать дворовый проезд",
    "Поставить освещение у подъездов",
    "Сделать детскую площадку с мягким покрытием",
    "Перенести контейнерную площадку дальше от окон",
    "Высадить деревья вдоль дорожек",
]


def question_id(name):
    """A fixed block id per question, so that the respondents know the field names."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench_form_submissions/{name}"))


SURVEY_FIELDS = [
    block("single_choice", "Как часто вы бываете во дворе?", id=question_id("often"), options="\n".join(OFTEN)),
    block(
        "multiple_choice",
        "Чего не хватает во дворе?",
        id=question_id("missing"),
        options="\n".join(MISSING),
        max_selections=3,
    ),
    block("single_choice", "Где вы живёте?", id=question_id("district"), options="\n".join(DISTRICTS), widget="select"),
    block(
        "number",
        "Сколько человек живёт в вашей квартире?",
        id=question_id("household"),
        integer_only=True,
        min_value=1,
        max_value=20,
        unit="чел.",
    ),
    block(
        "number",
        "Сколько минут вы готовы идти до сквера?",
        id=question_id("minutes"),
        min_value=0,
        max_value=120,
        unit="мин",
    ),
    block("yes_no", "Участвовали ли вы в собрании жителей о благоустройстве?", id=question_id("meeting")),
    block("yes_no", "Готовы ли вы выйти на субботник?", id=question_id("volunteer")),
    block("short_text", "Что изменить во дворе в первую очередь?", id=question_id("wish"), max_length=255),
]


def answers(number):
    """Respondent ``number``'s complete answer as posted fields, varied but the same on every run."""
    rng = random.Random(number)
    return [
        (question_id("often"), rng.choice(OFTEN)),
        *((question_id("missing"), option) for option in rng.sample(MISSING, rng.randint(1, 3))),
        (question_id("district"), rng.choice(DISTRICTS)),
        (question_id("household"), str(rng.randint(1, 6))),
        (question_id("minutes"), f"{rng.randint(2, 40)},5"),
        (question_id("meeting"), rng.choice(["yes", "no"])),
        (question_id("volunteer"), rng.choice(["yes", "no"])),
        (question_id("wish"), f"{rng.choice(WISHES)} (респондент {number})"),
    ]


def multipart(fields):
    """Fields as requests sends them in a multipart body, as the survey's form does (enctype multipart/form-data)."""
    return [(name, (None, value)) for name, value in fields]


# --- Run inside the benchmark's database (manage.py shell) --------------------------------------------------------


def prepare_survey():
    """A Russian home page as the default site's root, the survey under it and the baseline's table."""
    Page.objects.filter(depth=2).delete()
    home = HomePageFactory(
        parent=Page.get_first_root_node(),
        slug="home",
        locale=Locale.objects.get(language_code="ru"),
        title="Главная платформы",
    )
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": HOST, "port": 80, "root_page": home})
    survey = publish_survey(
        home,
        SURVEY_FIELDS,
        title="Опрос о благоустройстве двора",
        slug="opros-dvor",
        allow_anonymous=True,
        one_per_user=True,
        results_visibility=SurveyPage.ResultsVisibility.PUBLIC,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {BARE_TABLE} (id bigserial PRIMARY KEY, respondent varchar(100) NOT NULL,"
            " written_at timestamptz NOT NULL DEFAULT now())"
        )
    print(json.dumps({"page_id": survey.pk, "url": survey.url}))


def count_stored(page_id):
    """What the database holds after the bursts, for the correctness checks."""
    submitted = Submission.objects.submitted().filter(page_id=page_id)
    questions = {item["id"] for item in SURVEY_FIELDS}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), count(DISTINCT respondent) FROM {BARE_TABLE}")
        bare_rows, bare_respondents = cursor.fetchone()
    counts = {
        "submitted": submitted.count(),
        "respondents": submitted.order_by().values("respondent_key").distinct().count(),
        "complete": sum(1 for data in submitted.values_list("data", flat=True) if questions <= data.keys()),
        "drafts": Submission.objects.drafts().filter(page_id=page_id).count(),
        "bare_rows": bare_rows,
        "bare_respondents": bare_respondents,
    }
    print(json.dumps(counts))


# --- The benchmark ---------------------------------------------------------------------------------------------------


def postgres_server():
    """The PostgreSQL server to use: that of DATABASE_URL when it names one, else the local default."""
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith(("postgres://", "postgresql://")):
        return urlsplit(configured)._replace(path="", query="", fragment="").geturl()
    return DEFAULT_SERVER


def maintenance(server, statement):
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement)


def manage(environment, *arguments):
    completed = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if completed.returncode:
        pytest.fail(f"manage.py {arguments[0]} завершился с ошибкой:\n{completed.stderr[-4000:]}")
    return completed.stdout


def in_database(environment, function, *arguments):
    """Runs ``function`` of this module in the benchmark's database (manage.py shell); what it printed as JSON."""
    name = function.__name__
    code = f"from tests.benchmarks.bench_form_submissions import {name}; {name}(*{arguments!r})"
    return json.loads(manage(environment, "shell", "--verbosity", "0", "-c", code).strip().splitlines()[-1])


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(environment, port, log):
    return subprocess.Popen(  # noqa: S603 - our own command line
        [
            str(BIN / "gunicorn"), "website.wsgi:application", "--bind", f"{HOST}:{port}", "--chdir", str(ROOT),
            "--worker-class", "gthread", "--workers", str(WORKERS), "--threads", str(THREADS), "--timeout", "60",
            "--log-level", "warning", "--error-logfile", log,
        ],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def wait_until_answering(server, base, log):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn завершился с кодом {server.returncode}:\n{Path(log).read_text()[-4000:]}")
        try:
            if requests.get(f"{base}/robots.txt", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or its workers still loading Django
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn не ответил за {STARTUP_SECONDS} с:\n{Path(log).read_text()[-4000:]}")


def stop(server):
    """Quick shutdown (SIGINT): every request has been answered by now, nothing to wait for."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=5)


class Refused(Exception):
    """A respondent's request got an unexpected answer."""


@dataclass(frozen=True)
class Post:
    """A POST built beforehand by requests (body, cookies), sent after the barrier with http.client.

    The client shares the cores with the server: building requests' multipart bodies and cookie headers at the barrier
    would throttle the burst itself, most visibly the baseline's.
    """

    request: requests.PreparedRequest
    status: int
    location_suffix: str = ""

    def send(self):
        address = urlsplit(self.request.url)
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request("POST", self.request.path_url, self.request.body, dict(self.request.headers))
            response = connection.getresponse()
            response.read()
        finally:
            connection.close()
        location = response.getheader("Location", "")
        if response.status != self.status or not location.endswith(self.location_suffix):
            raise Refused(f"POST {self.request.path_url}: {response.status} {location}".strip())


@dataclass
class Outcome:
    latency: float = 0.0
    finished: float = 0.0
    failure: str = ""


def survey_respondent(base, url):
    """Opens the survey in a cookie jar of its own and builds the POST of a complete answer with that jar."""

    def prepare(number):
        session = requests.Session()
        page = session.get(f"{base}{url}", timeout=REQUEST_TIMEOUT)
        token = CSRF_INPUT.search(page.text)
        if page.status_code != 200 or not token:
            raise Refused(f"GET {url}: {page.status_code}, токен CSRF {'есть' if token else 'не найден'}")
        session.close()
        body = multipart([("csrfmiddlewaretoken", token[1]), ("step", "1"), ("action", "submit"), *answers(number)])
        return Post(session.prepare_request(requests.Request("POST", f"{base}{url}", files=body)), 302, "?done=1")

    return prepare


def bare_respondent(base):
    def prepare(number):
        body = multipart([("respondent", f"respondent-{number}"), *answers(number)])
        return Post(requests.Request("POST", f"{base}{BARE_URL}", files=body).prepare(), 204)

    return prepare


def burst(prepare):
    """RESPONDENTS threads prepare, meet at a barrier and post together. Returns (outcomes, seconds of the burst)."""
    released = []
    barrier = threading.Barrier(
        RESPONDENTS, action=lambda: released.append(time.perf_counter()), timeout=BARRIER_TIMEOUT
    )

    def respond(number):
        outcome, post = Outcome(), None
        try:
            post = prepare(number)
        except (requests.RequestException, Refused) as error:
            outcome.failure = str(error)
        try:
            barrier.wait()  # also when preparing failed, so that the others are not kept waiting
        except threading.BrokenBarrierError:
            outcome.failure = outcome.failure or "барьер сломан"
            return outcome
        if post is None:
            return outcome
        started = time.perf_counter()
        try:
            post.send()
        except (OSError, http.client.HTTPException, Refused) as error:
            outcome.failure = str(error) or type(error).__name__
        outcome.finished = time.perf_counter()
        outcome.latency = outcome.finished - started
        return outcome

    with ThreadPoolExecutor(max_workers=RESPONDENTS) as pool:
        outcomes = list(pool.map(respond, range(RESPONDENTS)))
    finished = [outcome.finished for outcome in outcomes if outcome.finished]
    return outcomes, (max(finished) - released[0]) if finished and released else float("nan")


@dataclass
class Figures:
    per_second: float
    p50: float
    p95: float
    failures: list

    @classmethod
    def of(cls, outcomes, seconds):
        latencies = sorted(outcome.latency for outcome in outcomes if not outcome.failure)
        failures = [outcome.failure for outcome in outcomes if outcome.failure]
        return cls(len(latencies) / seconds, nearest_rank(latencies, 0.5), nearest_rank(latencies, 0.95), failures)

    def line(self, unit):
        return f"{self.per_second:.1f} {unit}/с, p50 {self.p50 * 1000:.0f} мс, p95 {self.p95 * 1000:.0f} мс"


def nearest_rank(ordered, fraction):
    return ordered[max(0, math.ceil(len(ordered) * fraction) - 1)] if ordered else float("nan")


def report(survey, bare, stored, server_log):
    print(
        f"\nОдновременные ответы на опрос: {RESPONDENTS} респондентов разом, PostgreSQL, gunicorn gthread"
        f" (процессов: {WORKERS}, потоков в каждом: {THREADS}; ядер на клиент, сервер и базу: {CORES})"
    )
    print(f"  опрос из {len(SURVEY_FIELDS)} вопросов, без входа, один ответ на человека: {survey.line('ответов')}")
    print(f"  голое представление Django (INSERT одной строки): {bare.line('запросов')}")
    print(
        f"  опрос относительно голого представления: пропускная способность {survey.per_second / bare.per_second:.2f}×,"
        f" задержка p50 {survey.p50 / bare.p50:.1f}×, p95 {survey.p95 / bare.p95:.1f}×"
    )
    print(
        f"  проверка: отправленных ответов {stored['submitted']} из {RESPONDENTS}, разных респондентов"
        f" {stored['respondents']}, полных {stored['complete']}, черновиков {stored['drafts']},"
        f" неудачных запросов {len(survey.failures)}; строк базовой линии {stored['bare_rows']}"
        f" ({stored['bare_respondents']} разных), неудачных запросов {len(bare.failures)}"
    )
    for failure in (survey.failures + bare.failures)[:5]:
        print(f"    {failure}")
    if survey.failures or bare.failures:
        print(f"  журнал gunicorn (конец):\n{server_log[-3000:]}")


@contextmanager
def migrated_database(name, what, **settings):
    """A database of the benchmark's own on the PostgreSQL server, migrated; dropped afterwards, even on failure.

    Yields the environment for manage.py and gunicorn; skips the benchmark (naming ``what``) when no server answers.
    """
    server_url = postgres_server()
    try:
        maintenance(server_url, "SELECT 1")
    except psycopg.OperationalError as error:
        address = urlsplit(server_url)
        pytest.skip(
            f"PostgreSQL на {address.hostname}:{address.port} не отвечает ({str(error).strip()}): бенчмарк"
            f" {what} пропущен. Запустите PostgreSQL или задайте DATABASE_URL=postgres://…"
        )
    database = f"{name}_{os.getpid()}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.bench_settings",
        "DATABASE_URL": f"{server_url}/{database}",
        "DATABASE_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        **settings,
    }
    maintenance(server_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    maintenance(server_url, f'CREATE DATABASE "{database}"')
    try:
        manage(environment, "migrate", "--no-input", "--verbosity", "0")
        yield environment
    finally:
        maintenance(server_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def bench_form_submissions():
    with migrated_database(
        "bench_forms",
        "одновременных ответов на опрос",
        FORMS_ANONYMOUS_SUBMISSIONS_PER_HOUR=str(RESPONDENTS * 100),
    ) as environment:
        page = in_database(environment, prepare_survey)
        port = free_port()
        base = f"http://{HOST}:{port}"
        with tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log") as log:
            server = start_gunicorn(environment, port, log.name)
            try:
                wait_until_answering(server, base, log.name)
                survey = Figures.of(*burst(survey_respondent(base, page["url"])))
                bare = Figures.of(*burst(bare_respondent(base)))
            finally:
                stop(server)
            server_log = Path(log.name).read_text()
        stored = in_database(environment, count_stored, page["page_id"])

    report(survey, bare, stored, server_log)
    assert not survey.failures, "every respondent's survey POST must be answered with the redirect to ?done=1"
    assert not bare.failures, "every baseline POST must be answered with 204"
    assert stored["submitted"] == RESPONDENTS, "every answer is stored once, none lost"
    assert stored["respondents"] == RESPONDENTS, "each respondent's answer is stored under their own key"
    assert stored["complete"] == RESPONDENTS, "every stored answer holds all the questions"
    assert stored["drafts"] == 0, "no draft is left behind by a submitted answer"
    assert stored["bare_rows"] == stored["bare_respondents"] == RESPONDENTS
