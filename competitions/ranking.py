"""The result of a competition from its scores: the contract, written so that anyone can redo it by hand.

* expert total = Σ over expert criteria of score × weight (the weight for this application's nomination and
  requested amount);
* final score = mean of the submitted expert totals + Σ over computed criteria of points × weight;
  kept exact (a fraction: a mean of three totals is not a finite decimal), shown to 2 places;
* an application below the passing score is not eligible;
* ranking by final score, descending; ties broken by the competition's ordered tie-break rules (default: the
  higher residents' co-financing share, then the earlier first submission), and last by the application number,
  so the order is always the same;
* allocation in ranking order, within the fund of the application's pool (a nomination with its own fund, or the
  competition's fund for the rest): each funded with its requested amount capped by the maximum per project;
  rule ``skip`` tries the next ones when a project does not fit, rule ``stop`` ends that pool's allocation at
  the first that does not fit.

Nothing here touches the database: the service gathers the inputs, this module computes, tests check by hand.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

SKIP = "skip"
STOP = "stop"
ALLOCATION_RULES = [
    (SKIP, _("пропустить не поместившийся проект и пробовать следующие")),
    (STOP, _("остановить распределение на первом не поместившемся")),
]

RESIDENTS_SHARE = "residents_share"
COFINANCING_SHARE = "cofinancing_share"
EARLIER_SUBMISSION = "earlier_submission"
SMALLER_REQUEST = "smaller_request"
HIGHER_EXPERT_MEAN = "higher_expert_mean"
TIE_BREAKS = [
    (RESIDENTS_SHARE, _("выше доля софинансирования жителей")),
    (COFINANCING_SHARE, _("выше доля всего софинансирования")),
    (EARLIER_SUBMISSION, _("раньше подана (первая подача)")),
    (SMALLER_REQUEST, _("меньше запрошенная сумма")),
    (HIGHER_EXPERT_MEAN, _("выше средняя оценка экспертов")),
]
DEFAULT_TIE_BREAKS = (RESIDENTS_SHARE, EARLIER_SUBMISSION)

COMMON_POOL = "common"


class Standing:
    FUNDED = "funded"
    NOT_FITTING = "not_fitting"
    STOPPED = "stopped"
    BELOW_PASSING = "below_passing"
    NOT_SCORED = "not_scored"

    LABELS = {
        FUNDED: _("поддержана"),
        NOT_FITTING: _("не хватило фонда"),
        STOPPED: _("распределение остановлено"),
        BELOW_PASSING: _("ниже проходного балла"),
        NOT_SCORED: _("нет оценок"),
    }


@dataclass
class Entry:
    """One admitted application as the result sees it."""

    application_id: int
    number: str
    title: str
    applicant: str
    requested_amount: Decimal
    submitted_at: datetime
    nomination_id: int | None = None
    nomination: str = ""
    values: dict = field(default_factory=dict)  # residents_share, cofinancing_share, requested_amount, …, answers
    sheets: list = field(default_factory=list)  # one {criterion_id: score} per submitted sheet


@dataclass
class Rules:
    criteria: list
    passing_score: Decimal
    fund: Decimal
    max_per_project: Decimal
    nomination_funds: dict = field(default_factory=dict)  # nomination_id → own fund
    allocation_rule: str = SKIP
    tie_breaks: tuple = DEFAULT_TIE_BREAKS


@dataclass
class Row:
    entry: Entry
    expert_totals: list
    expert_mean: Fraction | None
    computed: dict  # criterion id → (value, points, weighted points)
    criterion_means: dict  # expert criterion id → mean raw score (Fraction)
    final: Fraction | None
    eligible: bool
    rank: int = 0
    pool: str = COMMON_POOL
    granted: Decimal | None = None
    standing: str = ""


@dataclass
class Pool:
    key: str
    name: str
    fund: Decimal
    granted: Decimal = Decimal("0")
    stopped: bool = False

    @property
    def remaining(self):
        return self.fund - self.granted


@dataclass
class Result:
    rows: list
    pools: list

    @property
    def passing_line_after(self):
        """The rank of the last eligible application (the cut-off line is drawn below it); 0 when none is."""
        return max((row.rank for row in self.rows if row.eligible), default=0)


def expert_total(criteria, scores, nomination_name, requested_amount):
    """Σ score × weight over the expert criteria of one submitted sheet (exact: decimals times decimals)."""
    return sum(
        (Decimal(scores[criterion.id]) * criterion.weight_for(nomination_name, requested_amount))
        for criterion in criteria
        if criterion.is_expert and scores.get(criterion.id) is not None
    ) or Decimal("0")


def computed_points(criteria, values):
    """criterion id → (value, points, points × weight) for the computed criteria."""
    result = {}
    for criterion in criteria:
        if criterion.is_expert:
            continue
        if criterion.source == "answer":
            value = values.get("answers", {}).get(criterion.answer_code)
        else:
            value = values.get(criterion.source)
        value = None if value in (None, "") else Decimal(str(value))
        points = criterion.points_for(value)
        result[criterion.id] = (value, points, points * criterion.weight)
    return result


def score_row(rules, entry):
    criteria = rules.criteria
    totals = [expert_total(criteria, sheet, entry.nomination, entry.requested_amount) for sheet in entry.sheets]
    computed = computed_points(criteria, entry.values)
    means = {}
    for criterion in criteria:
        if criterion.is_expert:
            scores = [
                Fraction(Decimal(sheet[criterion.id])) for sheet in entry.sheets if sheet.get(criterion.id) is not None
            ]
            means[criterion.id] = sum(scores) / len(scores) if scores else None
    if not totals:
        return Row(entry, totals, None, computed, means, None, eligible=False, standing=Standing.NOT_SCORED)
    mean = sum(Fraction(total) for total in totals) / len(totals)
    final = mean + sum(Fraction(weighted) for _value, _points, weighted in computed.values())
    eligible = final >= Fraction(rules.passing_score)
    return Row(entry, totals, mean, computed, means, final, eligible)


def _tie_key(rule, row):
    values = row.entry.values
    if rule == RESIDENTS_SHARE:
        return -Fraction(Decimal(str(values.get(RESIDENTS_SHARE) or 0)))
    if rule == COFINANCING_SHARE:
        return -Fraction(Decimal(str(values.get(COFINANCING_SHARE) or 0)))
    if rule == EARLIER_SUBMISSION:
        return row.entry.submitted_at.timestamp()
    if rule == SMALLER_REQUEST:
        return Fraction(row.entry.requested_amount or 0)
    if rule == HIGHER_EXPERT_MEAN:
        return -(row.expert_mean or 0)
    raise ValueError(rule)


def rank(rules, entries):
    """Score, rank and allocate. Every entry gets a row; the eligible come first, the rest keep their order too."""
    rows = [score_row(rules, entry) for entry in entries]

    def order(row):
        return (
            0 if row.eligible else 1 if row.final is not None else 2,
            -(row.final or 0),
            *(_tie_key(rule, row) for rule in rules.tie_breaks or DEFAULT_TIE_BREAKS),
            row.entry.number,
        )

    rows.sort(key=order)
    for position, row in enumerate(rows, start=1):
        row.rank = position
    pools = _allocate(rules, rows)
    return Result(rows=rows, pools=pools)


def _allocate(rules, rows):
    pools = {COMMON_POOL: Pool(COMMON_POOL, "", rules.fund)}
    for row in rows:
        own = row.entry.nomination_id in rules.nomination_funds
        row.pool = f"nomination-{row.entry.nomination_id}" if own else COMMON_POOL
        if own and row.pool not in pools:
            pools[row.pool] = Pool(row.pool, row.entry.nomination, rules.nomination_funds[row.entry.nomination_id])
    for row in rows:
        pool = pools[row.pool]
        if not row.eligible:
            row.standing = row.standing or Standing.BELOW_PASSING
            continue
        if pool.stopped:
            row.standing = Standing.STOPPED
            continue
        amount = min(row.entry.requested_amount or Decimal("0"), rules.max_per_project)
        if amount <= pool.remaining:
            row.granted = amount
            pool.granted += amount
            row.standing = Standing.FUNDED
        elif rules.allocation_rule == STOP:
            pool.stopped = True
            row.standing = Standing.STOPPED
        else:
            row.standing = Standing.NOT_FITTING
    used = [pool for key, pool in pools.items() if key == COMMON_POOL or any(row.pool == key for row in rows)]
    return used


def shown(value, places=2):
    """An exact score (Fraction or Decimal) as a Decimal rounded half up to ``places`` for people."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def exact_text(value):
    """An exact score for the record: a finite decimal as it is, otherwise the fraction «p/q» beside 10 places."""
    if value is None:
        return None
    fraction = Fraction(value)
    denominator = fraction.denominator
    while denominator % 2 == 0:
        denominator //= 2
    while denominator % 5 == 0:
        denominator //= 5
    if denominator == 1:
        return format(Decimal(fraction.numerator) / Decimal(fraction.denominator), "f")
    return f"{fraction.numerator}/{fraction.denominator}"
