"""Ranking and allocation at scale: 10 000 admitted applications × 3 experts × 10 criteria, the result of the round
(competitions.scoring.compute, the formula of competitions.ranking) and its stored snapshot, as ratios of their
median (p50) time to one SQL aggregate over the same scores, with the number of queries of each.

Run with ``make bench PYTEST_ARGS="-k ranking"`` (add ``DATABASE_URL=postgres://…`` for PostgreSQL).

The competition has a sheet of 10 expert criteria (weights from 0.5 to 2, one scale in halves, weight rules by
nomination and by amount), two computed criteria (the residents' share from the frozen snapshot and a number
answered in the application form) and a free-text question; two nominations, one with a fund of its own. The
applications, their frozen versions (snapshots built by competitions.applications.snapshot), 60 experts, the
30 000 assignments and 30 000 sent sheets (expert totals by the contract formula) are bulk-inserted, without
history rows. The floor is ``AVG(expert_total) … GROUP BY application ORDER BY 2 DESC``: one query that reads the
same sheets but neither ranks by the rules nor allocates.

Correctness is asserted (every application ranked, ranks 1…N without gaps, each pool's grants within its fund, the
experts' means equal to the SQL averages, and the same number of queries for 1 000 and 10 000 applications);
times are only printed.
"""

import hashlib
import json
import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Avg
from django.utils import timezone

from accounts.models import User
from competitions import applications, ranking, scoring
from competitions.models import (
    MANAGED_BY_APPLICATION,
    ApplicantType,
    Application,
    ApplicationVersion,
    ExpertAssignment,
    Nomination,
    ScoreSheet,
    ScoringRound,
)
from forms.models import Submission
from tests.competitions.factories import CompetitionIndexPageFactory, complete_answers, publish_competition
from tests.competitions.scoring_factories import computed, criterion, make_expert, set_sheet
from tests.factories import UserFactory

APPLICATIONS = 10_000
SMALL_APPLICATIONS = 1_000
EXPERTS = 60
EXPERTS_PER_APPLICATION = 3
REPETITIONS = 5
BATCH = 1_000
SEED = 2026
# Funds per application, so that about a third of the requests fit at either size.
COMMON_FUND_PER_APPLICATION = Decimal("180000")
YARDS_FUND_PER_APPLICATION = Decimal("120000")
YARDS = "Дворовые территории"
PUBLIC_SPACES = "Общественные пространства"
STREETS = ["Ленина", "Гагарина", "Мира", "Пушкина", "Королёва", "Циолковского", "Маркса", "Кирова", "Чехова"]
WORKS = ["Детская площадка", "Сквер", "Спортивная площадка", "Освещение двора", "Тротуар", "Зона отдыха"]


def scoring_sheet():
    """Ten expert criteria, two computed ones and a question that is not a criterion."""
    bands = [
        {"low": "0", "high": "3", "text": "Не доказано"},
        {"low": "4", "high": "7", "text": "Описано без цифр"},
        {"low": "8", "high": "10", "text": "Подтверждено данными и жителями"},
    ]
    return [
        criterion(
            "Актуальность проблемы", id="relevance", weight="2", bands=bands, comment_rule="at_or_below", threshold="3"
        ),
        criterion("Социальная значимость", id="social", weight="1.5"),
        criterion("Участие жителей в подготовке", id="participation", weight="1"),
        criterion(
            "Реалистичность сметы",
            id="budget",
            weight="1",
            weight_rules=[{"nomination": "", "amount_from": "1000000", "amount_to": None, "weight": "1.5"}],
        ),
        criterion("Проработанность плана работ", id="plan", weight="1"),
        criterion("Устойчивость результата", id="sustainability", weight="1"),
        criterion(
            "Доступность для маломобильных граждан",
            id="accessibility",
            weight="1",
            weight_rules=[{"nomination": YARDS, "amount_from": None, "amount_to": None, "weight": "2"}],
        ),
        criterion("Вовлечение молодёжи", id="youth", weight="0.5"),
        criterion("Информирование жителей", id="publicity", weight="0.5"),
        criterion("Опыт реализации проектов", id="experience", weight="0.5", high="5", step="0.5"),
        computed(
            "Софинансирование жителей",
            id="residents",
            source="residents_share",
            bands=[(None, 3, 0), (3, 5, 1), (5, 10, 2), (10, None, 3)],
        ),
        computed(
            "Число благополучателей",
            id="reach",
            source="answer",
            answer_code="beneficiaries",
            bands=[(None, 100, 0), (100, 500, 1), (500, None, 2)],
        ),
        {
            "type": "long_text",
            "id": "recommendation",
            "value": {
                "label": "Рекомендация",
                "help_text": "",
                "required": False,
                "code": "recommendation",
                "max_length": 2000,
            },
        },
    ]


def prepare_competition(index, count, secretary, year):
    """A competition with the sheet, its nominations and an open scoring round, funds in proportion to ``count``."""
    competition = publish_competition(
        index,
        title=f"Конкурс инициативных проектов {year} ({count} заявок)",
        slug=f"konkurs-{year}",
        year=year,
        fund=COMMON_FUND_PER_APPLICATION * count,
        max_per_project=Decimal("1500000"),
    )
    competition.nominations.add(Nomination(name=YARDS, fund=YARDS_FUND_PER_APPLICATION * count))
    competition.nominations.add(Nomination(name=PUBLIC_SPACES))
    set_sheet(
        competition, scoring_sheet(), experts_per_application=EXPERTS_PER_APPLICATION, passing_score=Decimal("50")
    )
    scoring_round = ScoringRound.objects.create(
        competition=competition,
        seed=f"bench-{SEED}-{year}",
        sheet_version=competition.scoring_sheet_version(),
        opened_by=secretary,
    )
    return competition, scoring_round


def score_on_scale(rng, item, quality):
    """An expert's score near the application's quality, on the criterion's scale and step."""
    span = item.max_score - item.min_score
    raw = item.min_score + span * Decimal(str(quality)) + Decimal(str(rng.gauss(0, 1.2)))
    steps = ((raw - item.min_score) / item.step).to_integral_value()
    return min(max(item.min_score + steps * item.step, item.min_score), item.max_score)


def build_applications(competition, scoring_round, experts, secretary, count, seed):
    """``count`` admitted applications, each with a frozen version, three assignments and three sent sheets."""
    rng = random.Random(seed)
    nominations = {nomination.name: nomination for nomination in Nomination.objects.filter(page_id=competition.pk)}
    assert set(nominations) == {YARDS, PUBLIC_SPACES}
    form_version = competition.application_form_version()
    criteria = scoring_round.criteria
    expert_criteria = [item for item in criteria if item.is_expert]
    problem, result = complete_answers()[0]["problem"], complete_answers()[0]["result"]
    prefix, year = competition.kind.number_prefix, competition.year
    intake_end = timezone.now() - timedelta(days=20)
    with transaction.atomic():
        applicants = User.objects.bulk_create(
            (
                User(username=f"applicant-{year}-{number}", password="!", first_name=f"Заявитель {number}")
                for number in range(count)
            ),
            batch_size=BATCH,
        )
        submitted_times = sorted(intake_end - timedelta(seconds=rng.randint(0, 30 * 24 * 3600)) for _ in range(count))
        submissions, drafts = [], []
        for number, applicant in enumerate(applicants):
            beneficiaries = rng.choice([40, 80, 150, 300, 450, 700, 1200])
            submissions.append(
                Submission(
                    page_id=competition.pk,
                    version=form_version,
                    user=applicant,
                    managed_by=MANAGED_BY_APPLICATION,
                    status=Submission.Status.SUBMITTED,
                    data={"problem": problem, "result": result, "beneficiaries": str(beneficiaries), "consent": True},
                    current_step=1,
                    submitted_at=submitted_times[number],
                )
            )
            requested = Decimal(rng.randrange(300_000, 1_600_001, 10_000))
            residents = (requested * Decimal(rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12])) / 100).quantize(Decimal("1"))
            ledger = [{"source": "residents", "kind": "money", "amount": str(residents), "note": ""}]
            if rng.random() < 0.4:
                ledger.append({"source": "business", "kind": "in_kind", "amount": "50000", "note": "Материалы"})
            street = rng.choice(STREETS)
            draw = rng.random()
            nomination = nominations[YARDS] if draw < 0.4 else nominations[PUBLIC_SPACES] if draw < 0.8 else None
            drafts.append(
                Application(
                    competition=competition,
                    applicant=applicant,
                    applicant_type=ApplicantType.GROUP,
                    group_name=f"Жители ул. {street}, {number + 1}",
                    group_size=rng.randint(10, 60),
                    nomination=nomination,
                    title=f"{rng.choice(WORKS)} у дома {number + 1} по ул. {street}",
                    requested_amount=requested,
                    ledger=ledger,
                    status=Application.Status.ADMITTED,
                    number=f"{prefix}-{year}-{number + 1:04d}",
                    sequence=number + 1,
                    revision=3,
                    start_key=f"bench-{number}",
                    created_at=submitted_times[number] - timedelta(days=2),
                    submitted_at=submitted_times[number],
                )
            )
        Submission.objects.bulk_create(submissions, batch_size=BATCH)
        for application, submission in zip(drafts, submissions, strict=True):
            application.submission = submission
        Application.objects.bulk_create(drafts, batch_size=BATCH)
        versions = []
        for application in drafts:
            snapshot = json.loads(json.dumps(applications.snapshot(application), cls=DjangoJSONEncoder))
            versions.append(
                ApplicationVersion(
                    application=application,
                    number=1,
                    submission=application.submission,
                    snapshot=snapshot,
                    content_hash=hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest(),
                    submitted_at=application.submitted_at,
                    submitted_by=application.applicant,
                )
            )
        ApplicationVersion.objects.bulk_create(versions, batch_size=BATCH)
        assignments = ExpertAssignment.objects.bulk_create(
            (
                ExpertAssignment(
                    scoring_round=scoring_round,
                    application=application,
                    expert=experts[(number * EXPERTS_PER_APPLICATION + seat) % len(experts)],
                    origin=ExpertAssignment.Origin.AUTOMATIC,
                    created_by=secretary,
                )
                for number, application in enumerate(drafts)
                for seat in range(EXPERTS_PER_APPLICATION)
            ),
            batch_size=BATCH,
        )
        version_of = {version.application_id: version for version in versions}
        application_of = {application.pk: application for application in drafts}
        quality = {application.pk: rng.uniform(0.25, 0.95) for application in drafts}
        sheets = []
        for assignment in assignments:
            application = application_of[assignment.application_id]
            scores = {item.id: score_on_scale(rng, item, quality[application.pk]) for item in expert_criteria}
            answers = {item_id: {"score": format(value, "f"), "comment": ""} for item_id, value in scores.items()}
            answers["relevance"]["comment"] = "Проблема подтверждена обращениями жителей."
            answers["recommendation"] = "Рекомендую к поддержке при уточнении сметы."
            nomination = application.nomination.name if application.nomination_id else ""
            sheets.append(
                ScoreSheet(
                    assignment=assignment,
                    version=version_of[application.pk],
                    answers=answers,
                    status=ScoreSheet.Status.SUBMITTED,
                    expert_total=ranking.expert_total(criteria, scores, nomination, application.requested_amount),
                    revision=2,
                    submitted_at=intake_end + timedelta(days=5, seconds=rng.randint(0, 10 * 24 * 3600)),
                )
            )
        ScoreSheet.objects.bulk_create(sheets, batch_size=BATCH)


def floor_query(scoring_round):
    """One SQL aggregate over the same sheets: each application's mean expert total, best first."""
    return (
        ScoreSheet.objects.filter(
            assignment__scoring_round=scoring_round,
            assignment__status=ExpertAssignment.Status.ACTIVE,
            status=ScoreSheet.Status.SUBMITTED,
        )
        .values("assignment__application_id")
        .annotate(mean=Avg("expert_total"))
        .order_by("-mean", "assignment__application_id")
    )


class QueryCounter:
    """Counts every query; CaptureQueriesContext keeps only the last 9 000, too few for an N+1 over 10 000 rows."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(operation, prepare=lambda: ()):
    """p50 seconds over REPETITIONS runs (each on fresh inputs from ``prepare``), the queries of each, the last result.

    The inputs are made outside the timing: a fresh ScoringRound, so that what the operation reads lazily (the
    competition, the sheet version) is read, and counted, every time.
    """
    samples, query_counts, result = [], set(), None
    for _repetition in range(REPETITIONS):
        arguments = prepare()
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            result = operation(*arguments)
            samples.append(time.perf_counter() - started)
        query_counts.add(counter.count)
    assert len(query_counts) == 1, f"the number of queries changed between repetitions: {sorted(query_counts)}"
    return statistics.median(samples), query_counts.pop(), result


def fresh_round(scoring_round):
    return (ScoringRound.objects.get(pk=scoring_round.pk),)


def measure_round(scoring_round):
    """Figures of every operation on one round: key → (p50 seconds, queries, the last output, kept for the checks)."""
    figures = {}

    def floor(round_):
        return list(floor_query(round_))

    def rank_only(round_, gathered):
        return ranking.rank(scoring.rules_of(round_.competition, round_), gathered)

    def with_entries():
        round_ = ScoringRound.objects.select_related("competition", "sheet_version").get(pk=scoring_round.pk)
        return round_, scoring.entries(round_)

    figures["floor"] = measure(floor, lambda: fresh_round(scoring_round))
    figures["compute"] = measure(scoring.compute, lambda: fresh_round(scoring_round))
    figures["entries"] = measure(scoring.entries, lambda: fresh_round(scoring_round))
    figures["rank"] = measure(rank_only, with_entries)
    result = figures["compute"][2]  # snapshot_of only reads it
    figures["snapshot"] = measure(scoring.snapshot_of, lambda: (*fresh_round(scoring_round), result))
    return figures


def check_result(result, floor_rows, scoring_round, count):
    """Every application ranked once, ranks 1…count, grants within each pool's fund, means equal to SQL's."""
    assert len(result.rows) == count, f"{len(result.rows)} rows ranked of {count}"
    assert [row.rank for row in result.rows] == list(range(1, count + 1)), "ranks are 1…N without gaps"
    assert len({row.entry.application_id for row in result.rows}) == count
    for pool in result.pools:
        granted = sum((row.granted for row in result.rows if row.pool == pool.key and row.granted), Decimal("0"))
        assert granted == pool.granted <= pool.fund, f"pool {pool.key}: granted {granted} of {pool.fund}"
    assert len(floor_rows) == count
    sql_means = {row["assignment__application_id"]: Decimal(str(row["mean"])) for row in floor_rows}
    for row in result.rows:
        assert len(row.expert_totals) == EXPERTS_PER_APPLICATION
        exact = ranking.shown(row.expert_mean, places=6)
        assert abs(exact - sql_means[row.entry.application_id]) <= Decimal("0.000001"), row.entry.number
    funded = [row for row in result.rows if row.standing == ranking.Standing.FUNDED]
    assert funded and any(row.standing == ranking.Standing.NOT_FITTING for row in result.rows)
    assert any(row.standing == ranking.Standing.BELOW_PASSING for row in result.rows)
    snapshot = scoring.snapshot_of(scoring_round, result)
    assert [row["rank"] for row in snapshot["rows"]] == list(range(1, count + 1))
    return funded, snapshot


LABELS = [
    ("floor", "нижняя граница: один SQL AVG(expert_total) GROUP BY заявке"),
    ("compute", "scoring.compute: рейтинг и распределение фонда"),
    ("entries", "  из них чтение: scoring.entries"),
    ("rank", "  из них расчёт: ranking.rank (читаются только правила)"),
    ("snapshot", "scoring.snapshot_of: снимок итогов"),
]


def print_table(title, figures):
    floor = figures["floor"][0]
    print(f"  {title}")
    print(f"    {'операция':<62}{'p50, мс':>10}{'× границы':>11}{'запросов':>10}")
    for key, label in LABELS:
        seconds, queries, _result = figures[key]
        print(f"    {label:<62}{seconds * 1000:>10.1f}{seconds / floor:>10.1f}×{queries:>10}")


@pytest.mark.django_db
def bench_ranking(site_tree):
    secretary = UserFactory(roles=["Секретарь конкурса"])
    index = CompetitionIndexPageFactory(parent=site_tree["home"])
    experts = [make_expert(name=f"Эксперт{number}", declare=False) for number in range(EXPERTS)]
    rounds = {}
    built = {}
    for count, year in ((SMALL_APPLICATIONS, 2025), (APPLICATIONS, 2026)):
        started = time.perf_counter()
        competition, scoring_round = prepare_competition(index, count, secretary, year)
        build_applications(competition, scoring_round, experts, secretary, count, SEED + count)
        built[count] = time.perf_counter() - started
        rounds[count] = scoring_round

    measured = {count: measure_round(scoring_round) for count, scoring_round in rounds.items()}
    large = measured[APPLICATIONS]
    result = large["compute"][2]
    funded, snapshot = check_result(result, large["floor"][2], rounds[APPLICATIONS], APPLICATIONS)
    check_result(
        measured[SMALL_APPLICATIONS]["compute"][2],
        measured[SMALL_APPLICATIONS]["floor"][2],
        rounds[SMALL_APPLICATIONS],
        SMALL_APPLICATIONS,
    )
    snapshot_bytes = len(json.dumps(snapshot, cls=DjangoJSONEncoder).encode())
    sheets = ScoreSheet.objects.filter(assignment__scoring_round=rounds[APPLICATIONS]).count()

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite" if connection.vendor == "sqlite" else ""
    print(
        f"\nРейтинг и распределение фонда: {APPLICATIONS} допущенных заявок × {EXPERTS_PER_APPLICATION} эксперта"
        f" × 10 критериев (+2 расчётных), {EXPERTS} экспертов, {sheets} отправленных листов;"
        f" {vendor or connection.vendor}, p50 из {REPETITIONS} повторов"
    )
    print(
        f"  подготовка данных (bulk_create): {built[SMALL_APPLICATIONS]:.1f} с на {SMALL_APPLICATIONS} заявок,"
        f" {built[APPLICATIONS]:.1f} с на {APPLICATIONS}"
    )
    for count in (APPLICATIONS, SMALL_APPLICATIONS):
        print_table(f"{count} заявок:", measured[count])
    pools = "; ".join(
        f"{pool.name or 'общий фонд'}: {pool.granted:,.0f} из {pool.fund:,.0f} ₽".replace(",", " ")
        for pool in result.pools
    )
    print(
        f"  проверка: {len(result.rows)} заявок с местами 1…{len(result.rows)} без пропусков;"
        f" поддержано {len(funded)}, проходная черта после места {result.passing_line_after}; {pools};"
        f" снимок итогов {snapshot_bytes / 1_000_000:.1f} МБ JSON"
    )
    queries = ", ".join(
        f"{name} {measured[SMALL_APPLICATIONS][key][1]} и {measured[APPLICATIONS][key][1]}"
        for key, name in (("compute", "scoring.compute"), ("snapshot", "scoring.snapshot_of"))
    )
    print(f"  запросов при {SMALL_APPLICATIONS} и {APPLICATIONS} заявках: {queries}")
    assert measured[SMALL_APPLICATIONS]["compute"][1] == large["compute"][1], (
        "the number of queries of scoring.compute must not grow with the number of applications"
    )
    assert measured[SMALL_APPLICATIONS]["snapshot"][1] == large["snapshot"][1], (
        "the number of queries of scoring.snapshot_of must not grow with the number of applications"
    )
    assert large["floor"][1] == 1, "the floor is one query"
