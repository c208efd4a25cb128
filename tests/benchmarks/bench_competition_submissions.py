"""200 applicants submitting their competition applications through the API in the intake's last minute, on gunicorn
and PostgreSQL, as ratios to a bare view writing one row.

Run with ``make bench`` (``PYTEST_ARGS="-k competition_submissions"`` for this one alone). Needs PostgreSQL at
127.0.0.1:5432 (or the server of DATABASE_URL when that is a PostgreSQL address); skipped when none answers.

The benchmark creates a database of its own, migrates it and prepares, through the applicants' services, a competition
(the two-step application form, residents' share ≥ 3 %) with 200 complete drafts of initiative groups, each applicant
with an API token. Once gunicorn answers, the intake is made to close a minute later; the applicants meet at a
barrier and POST ``/api/v1/competitions/applications/<pk>/submit/`` at once, 20 of them twice (a double-click: two
concurrent requests). The baseline is a burst of as many posts to a view that inserts one row with raw SQL
(tests/benchmarks/bench_urls.py), on the same gunicorn. Latency is that of the POST, queueing included: the burst is
larger than the server's threads, and each submit of the competition waits for the row lock of its number counter,
held from taking the number until the submit commits (that lock is what keeps the numbers gapless). Client, server
and PostgreSQL share the machine's cores.

Correctness is asserted (every application submitted exactly once with one frozen, hashed version, numbers unique and
gapless, both requests of a double-click answered with the same number, no failed request); times are only printed.
"""

import http.client
import json
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.db import connection
from django.db.models import Count
from django.utils import timezone
from rest_framework.authtoken.models import Token
from wagtail.models import Locale, Page, Site

from competitions import applications
from competitions.models import Application, ApplicationVersion, CompetitionStage, NumberCounter, StageKind
from forms.models import Submission
from tests.benchmarks.bench_form_submissions import (
    BARRIER_TIMEOUT,
    CORES,
    HOST,
    REQUEST_TIMEOUT,
    THREADS,
    WORKERS,
    free_port,
    manage,
    migrated_database,
    nearest_rank,
    start_gunicorn,
    stop,
    wait_until_answering,
)
from tests.benchmarks.bench_urls import BARE_TABLE, BARE_URL
from tests.competitions.factories import (
    CompetitionIndexPageFactory,
    fill,
    publish_competition,
    start_group_application,
)
from tests.factories import HomePageFactory, UserFactory

APPLICANTS = 200
DOUBLE_CLICKERS = 20  # every tenth applicant sends the submit twice at once
INTAKE_LEFT_SECONDS = 60  # the intake closes this long after the server is ready: the burst is in its last minute
YEAR = 2026
PREFIX = "ИБ"


def double_clicks(number):
    return number % (APPLICANTS // DOUBLE_CLICKERS) == 0


def expected_numbers():
    return [f"{PREFIX}-{YEAR}-{sequence:04d}" for sequence in range(1, APPLICANTS + 1)]


# --- Run inside the benchmark's database (manage.py shell) --------------------------------------------------------


def prepare_competition():
    """The site tree, a competition open for an hour, APPLICANTS complete drafts with API tokens, the baseline's table.

    The users get no usable password (they sign in with tokens), which spares 200 slow password hashings.
    """
    Page.objects.filter(depth=2).delete()
    home = HomePageFactory(
        parent=Page.get_first_root_node(),
        slug="home",
        locale=Locale.objects.get(language_code="ru"),
        title="Главная платформы",
    )
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": HOST, "port": 80, "root_page": home})
    index = CompetitionIndexPageFactory(parent=home)
    competition = publish_competition(
        index, closes=timezone.now() + timedelta(hours=1), kind_prefix=PREFIX, year=YEAR, rules=(("residents", "3"),)
    )
    applicants = []
    for number in range(APPLICANTS):
        user = UserFactory(password=None)
        application = fill(
            start_group_application(
                competition,
                user,
                title=f"Детская площадка во дворе ул. Садовой, {number + 1}",
                group_name=f"Жители ул. Садовой, {number + 1}",
            )
        )
        problems = applications.readiness_problems(application)
        assert not problems, f"draft {number} is not ready to submit: {problems}"
        applicants.append([application.pk, Token.objects.create(user=user).key])
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {BARE_TABLE} (id bigserial PRIMARY KEY, respondent varchar(100) NOT NULL,"
            " written_at timestamptz NOT NULL DEFAULT now())"
        )
    print(json.dumps({"competition_id": competition.pk, "applicants": applicants}))


def close_intake_soon(competition_id, seconds):
    """Moves the end of the intake (and the start of the document check) to ``seconds`` from now."""
    deadline = timezone.now() + timedelta(seconds=seconds)
    CompetitionStage.objects.filter(page_id=competition_id, kind=StageKind.INTAKE).update(ends_at=deadline)
    CompetitionStage.objects.filter(page_id=competition_id, kind=StageKind.DOCUMENT_CHECK).update(starts_at=deadline)
    print(json.dumps({"deadline": deadline.timestamp()}))


def count_stored(competition_id):
    """What the database holds after the bursts, for the correctness checks."""
    competition_applications = Application.objects.filter(competition_id=competition_id)
    versions = ApplicationVersion.objects.filter(application__competition_id=competition_id).select_related(
        "submission__version"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), count(DISTINCT respondent) FROM {BARE_TABLE}")
        bare_rows, bare_respondents = cursor.fetchone()
    counter = NumberCounter.objects.filter(prefix=PREFIX, year=YEAR).first()  # the only competition of the database
    counts = {
        "statuses": dict(Counter(competition_applications.values_list("status", flat=True))),
        "numbers": {str(pk): number for pk, number in competition_applications.values_list("pk", "number")},
        "versions_per_application": dict(
            Counter(
                competition_applications.annotate(versions_count=Count("versions")).values_list(
                    "versions_count", flat=True
                )
            )
        ),
        "hashes": {str(version.application_id): version.content_hash for version in versions},
        "versions": versions.count(),
        "frozen": versions.filter(submission__status=Submission.Status.SUBMITTED).count(),
        "hashed": sum(
            1
            for version in versions
            if version.content_hash and version.content_hash == applications.content_hash(version)
        ),
        "counter": counter.last if counter else None,
        "bare_rows": bare_rows,
        "bare_respondents": bare_respondents,
    }
    print(json.dumps(counts))


def in_database(environment, function, *arguments):
    """Runs ``function`` of this module in the benchmark's database (manage.py shell); what it printed as JSON."""
    name = function.__name__
    code = f"from tests.benchmarks.bench_competition_submissions import {name}; {name}(*{arguments!r})"
    return json.loads(manage(environment, "shell", "--verbosity", "0", "-c", code).strip().splitlines()[-1])


# --- The benchmark ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    """A POST built before the barrier and sent after it with http.client; the answer's JSON is kept."""

    base: str
    path: str
    body: bytes
    headers: dict
    status: int
    applicant: int = -1

    def send(self):
        address = urlsplit(self.base)
        client = http.client.HTTPConnection(address.hostname, address.port, timeout=REQUEST_TIMEOUT)
        try:
            client.request("POST", self.path, self.body, self.headers)
            response = client.getresponse()
            content = response.read()
        finally:
            client.close()
        if response.status != self.status:
            text = " ".join(content.decode(errors="replace").split())
            raise Refused(f"POST {self.path}: {response.status} {text[:200]}".strip())
        return json.loads(content) if content else None


class Refused(Exception):
    """An applicant's request got an unexpected answer."""


@dataclass
class Outcome:
    post: Post
    latency: float = 0.0
    finished: float = 0.0
    failure: str = ""
    answer: dict = field(default_factory=dict)


def submit_posts(base, applicants):
    """One submit per applicant, two at once for the double-clickers."""
    posts = []
    for number, (pk, key) in enumerate(applicants):
        post = Post(
            base,
            f"/api/v1/competitions/applications/{pk}/submit/",
            b"{}",
            {"Authorization": f"Token {key}", "Content-Type": "application/json", "Accept": "application/json"},
            200,
            pk,
        )
        posts += [post, post] if double_clicks(number) else [post]
    return posts


def bare_posts(base, count):
    return [
        Post(
            base,
            BARE_URL,
            urlencode({"respondent": f"applicant-{number}"}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
            204,
        )
        for number in range(count)
    ]


def burst(posts):
    """One thread per post; they meet at a barrier and post together. Returns (outcomes, release, seconds)."""
    released = []
    barrier = threading.Barrier(
        len(posts), action=lambda: released.append(time.perf_counter()), timeout=BARRIER_TIMEOUT
    )

    def send(post):
        outcome = Outcome(post)
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            outcome.failure = "барьер сломан"
            return outcome
        started = time.perf_counter()
        try:
            outcome.answer = post.send() or {}
        except (OSError, http.client.HTTPException, ValueError, Refused) as error:
            outcome.failure = str(error) or type(error).__name__
        outcome.finished = time.perf_counter()
        outcome.latency = outcome.finished - started
        return outcome

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        outcomes = list(pool.map(send, posts))
    finished = [outcome.finished for outcome in outcomes if outcome.finished]
    return outcomes, (max(finished) - released[0]) if finished and released else float("nan")


@dataclass
class Figures:
    requests: int
    per_second: float
    p50: float
    p95: float
    seconds: float
    failures: list

    @classmethod
    def of(cls, outcomes, seconds):
        latencies = sorted(outcome.latency for outcome in outcomes if not outcome.failure)
        failures = [outcome.failure for outcome in outcomes if outcome.failure]
        return cls(
            len(outcomes),
            len(latencies) / seconds,
            nearest_rank(latencies, 0.5),
            nearest_rank(latencies, 0.95),
            seconds,
            failures,
        )

    def line(self):
        return (
            f"{self.requests} запросов за {self.seconds:.2f} с — {self.per_second:.1f} запросов/с,"
            f" p50 {self.p50 * 1000:.0f} мс, p95 {self.p95 * 1000:.0f} мс"
        )


def answer_problems(outcomes, stored):
    """Each applicant's answers (two for a double-click) against the number and hash stored for their application."""
    answers = {}
    for outcome in outcomes:
        if not outcome.failure:
            answers.setdefault(str(outcome.post.applicant), []).append(outcome.answer)
    problems = []
    for pk, given in answers.items():
        expected = {
            "number": stored["numbers"].get(pk),
            "version": 1,
            "content_hash": stored["hashes"].get(pk),
        }
        for key, value in expected.items():
            if {answer.get(key) for answer in given} != {value}:
                problems.append(f"заявка {pk}: {key} в ответах {[answer.get(key) for answer in given]}, в базе {value}")
    return problems


def report(outcomes, submits, bare, stored, answers_wrong, left_at_release, server_log):
    print(
        f"\nПодача заявок на конкурс в последнюю минуту: {APPLICANTS} заявителей разом через API,"
        f" {DOUBLE_CLICKERS} из них двойным щелчком ({submits.requests} запросов); PostgreSQL, gunicorn gthread"
        f" (процессов: {WORKERS}, потоков в каждом: {THREADS}; ядер на клиент, сервер и базу: {CORES})"
    )
    print(
        f"  до закрытия приёма: {left_at_release:.0f} с в момент залпа,"
        f" {left_at_release - submits.seconds:.0f} с после последнего ответа"
    )
    submitted = len({outcome.post.applicant for outcome in outcomes if not outcome.failure})
    print(f"  подача (заморозка версии, номер, хеш): {submitted / submits.seconds:.1f} заявок/с; {submits.line()}")
    print(f"  голое представление Django (INSERT одной строки): {bare.line()}")
    print(
        "  подача относительно голого представления: пропускная способность"
        f" {submits.per_second / bare.per_second:.2f}×,"
        f" задержка p50 {submits.p50 / bare.p50:.1f}×, p95 {submits.p95 / bare.p95:.1f}×"
    )
    print(
        f"  проверка: статусы {stored['statuses']}, версий {stored['versions']} (на заявку:"
        f" {stored['versions_per_application']}), замороженных {stored['frozen']}, с верным хешем {stored['hashed']},"
        f" счётчик номеров {stored['counter']}; неудачных запросов {len(submits.failures)},"
        f" ответов, расходящихся с базой {len(answers_wrong)}; строк базовой линии {stored['bare_rows']}"
        f" ({stored['bare_respondents']} разных), неудачных запросов {len(bare.failures)}"
    )
    for problem in (submits.failures + answers_wrong + bare.failures)[:5]:
        print(f"    {problem}")
    if submits.failures or bare.failures:
        print(f"  журнал gunicorn (конец):\n{server_log[-3000:]}")


def bench_competition_submissions():
    # The «received» letters go to gunicorn's console (discarded), never to a real server.
    with migrated_database("bench_competitions", "подачи заявок на конкурс", EMAIL_HOST="") as environment:
        prepared = in_database(environment, prepare_competition)
        port = free_port()
        base = f"http://{HOST}:{port}"
        with tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log") as log:
            server = start_gunicorn(environment, port, log.name)
            try:
                wait_until_answering(server, base, log.name)
                closing = in_database(environment, close_intake_soon, prepared["competition_id"], INTAKE_LEFT_SECONDS)
                posts = submit_posts(base, prepared["applicants"])
                left_at_release = closing["deadline"] - time.time()
                outcomes, seconds = burst(posts)
                submits = Figures.of(outcomes, seconds)
                bare = Figures.of(*burst(bare_posts(base, len(posts))))
            finally:
                stop(server)
            server_log = Path(log.name).read_text()
        stored = in_database(environment, count_stored, prepared["competition_id"])

    answers_wrong = answer_problems(outcomes, stored)
    report(outcomes, submits, bare, stored, answers_wrong, left_at_release, server_log)
    assert not submits.failures, "every submit, both requests of a double-click included, must be answered with 200"
    assert not answers_wrong, "each answer carries the stored number, version 1 and its hash"
    assert stored["statuses"] == {Application.Status.SUBMITTED: APPLICANTS}, "every draft is submitted, none lost"
    assert stored["versions_per_application"] == {"1": APPLICANTS}, "exactly one version per application"
    assert stored["versions"] == stored["frozen"] == stored["hashed"] == APPLICANTS, "one frozen, hashed version each"
    assert sorted(stored["numbers"].values()) == expected_numbers(), "numbers are unique and gapless"
    assert stored["counter"] == APPLICANTS
    assert not bare.failures, "every baseline POST must be answered with 204"
    assert stored["bare_rows"] == stored["bare_respondents"] == len(posts)
