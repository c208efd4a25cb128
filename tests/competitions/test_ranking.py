"""The result contract computed by hand: totals, means, computed points, the passing score, ties and allocation.

The scenario (the same numbers run through the whole platform in test_results_scenario.py):

criteria: «Актуальность» (A) weight 2, but 3 in the nomination «Дворы»; «Смета» (B) weight 1.5;
computed «Вклад жителей» (C) by the residents' share: below 3 % → 0, 3–5 % → 1, 5 % and more → 2, weight 2.
Passing score 20, fund 1 000 000 ₽, at most 400 000 ₽ a project.

| app | sheets (A, B)              | expert totals          | mean       | residents | C × 2 | final      |
|-----|----------------------------|------------------------|------------|-----------|-------|------------|
| P1  | (8, 6) (9, 7)              | 25; 28,5               | 26,75      | 5 %       | 4     | 30,75      |
| P2  | (9, 6) (5, 5) (7,5, 5,5)   | 27; 17,5; 23,25        | 22 7/12    | 3 %       | 2     | 24 7/12    |
| P3  | (6, 8) (6, 8)              | 24; 24                 | 24         | 4 %       | 2     | 26         |
| P4  | (7, 6) (6, 6)              | 23; 21                 | 22         | 6 %       | 4     | 26         |
| P5  | (3, 2) (4, 3)              | 9; 12,5                | 10,75      | 0 %       | 0     | 10,75      |
| P6  | «Дворы»: (6, 4) (6, 4)     | 3×6+1,5×4 = 24; 24     | 24         | 2 %       | 0     | 24         |

Ranking: P1, P4 (26, ties with P3 but 6 % > 4 %), P3, P2, P6; P5 is below the passing score.
Requests: P1 285 000, P4 235 000, P3 336 000, P2 485 000 (capped at 400 000), P6 98 000, P5 100 000.
skip: P1, P4, P3 take 856 000; P2's 400 000 does not fit the 144 000 left and is skipped; P6's 98 000 fits;
46 000 remain. stop: allocation stops at P2; P6 gets nothing; 144 000 remain.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from competitions import ranking
from competitions.criteria import criteria_of, sheet_definition
from tests.competitions.scoring_factories import computed, criterion

SHEET = [
    criterion(
        "Актуальность",
        id="a",
        weight="2",
        step="0.5",
        weight_rules=[{"nomination": "Дворы", "amount_from": None, "amount_to": None, "weight": "3"}],
    ),
    criterion("Смета", id="b", weight="1.5", step="0.5"),
    computed(
        "Вклад жителей", id="c", source="residents_share", bands=[(None, 3, 0), (3, 5, 1), (5, None, 2)], weight="2"
    ),
]
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def entry(number, sheets, residents, requested, *, nomination="", minutes=0, nomination_id=None):
    return ranking.Entry(
        application_id=int(number[1:]),
        number=number,
        title=f"Проект {number}",
        applicant=f"ТОС {number}",
        requested_amount=Decimal(requested),
        submitted_at=T0 + timedelta(minutes=minutes),
        nomination=nomination,
        nomination_id=nomination_id,
        values={"residents_share": Decimal(residents)},
        sheets=[{"a": Decimal(a), "b": Decimal(b)} for a, b in sheets],
    )


def scenario():
    return [
        entry("P1", [("8", "6"), ("9", "7")], "5", "285000", minutes=1),
        entry("P2", [("9", "6"), ("5", "5"), ("7.5", "5.5")], "3", "485000", minutes=2),
        entry("P3", [("6", "8"), ("6", "8")], "4", "336000", minutes=3),
        entry("P4", [("7", "6"), ("6", "6")], "6", "235000", minutes=4),
        entry("P5", [("3", "2"), ("4", "3")], "0", "100000", minutes=5),
        entry("P6", [("6", "4"), ("6", "4")], "2", "98000", nomination="Дворы", nomination_id=7, minutes=6),
    ]


def rules(allocation_rule=ranking.SKIP, **overrides):
    values = {
        "criteria": criteria_of(sheet_definition(SHEET)),
        "passing_score": Decimal("20"),
        "fund": Decimal("1000000"),
        "max_per_project": Decimal("400000"),
        "allocation_rule": allocation_rule,
    }
    values.update(overrides)
    return ranking.Rules(**values)


def by_number(result):
    return {row.entry.number: row for row in result.rows}


def test_expert_totals_means_and_final_scores_match_the_hand_computation():
    rows = by_number(ranking.rank(rules(), scenario()))
    assert rows["P1"].expert_totals == [Decimal("25"), Decimal("28.5")]
    assert rows["P2"].expert_totals == [Decimal("27"), Decimal("17.5"), Decimal("23.25")]
    assert rows["P6"].expert_totals == [Decimal("24"), Decimal("24")]  # weight 3 in «Дворы»
    assert rows["P2"].expert_mean == Fraction(271, 12)
    assert {number: row.final for number, row in rows.items()} == {
        "P1": Fraction("30.75"),
        "P2": Fraction(295, 12),
        "P3": Fraction(26),
        "P4": Fraction(26),
        "P5": Fraction("10.75"),
        "P6": Fraction(24),
    }
    assert rows["P1"].computed["c"] == (Decimal("5"), Decimal("2"), Decimal("4"))
    assert rows["P2"].criterion_means == {"a": Fraction("21.5") / 3, "b": Fraction("16.5") / 3}


def test_the_exact_score_is_kept_and_shown_to_two_places():
    rows = by_number(ranking.rank(rules(), scenario()))
    assert ranking.exact_text(rows["P2"].final) == "295/12"
    assert ranking.shown(rows["P2"].final) == Decimal("24.58")
    assert ranking.exact_text(rows["P1"].final) == "30.75"
    assert ranking.shown(Fraction(1, 200)) == Decimal("0.01")  # half up


def test_ranking_breaks_the_tie_by_residents_share_and_cuts_below_the_passing_score():
    result = ranking.rank(rules(), scenario())
    assert [row.entry.number for row in result.rows] == ["P1", "P4", "P3", "P2", "P6", "P5"]
    assert [row.rank for row in result.rows] == [1, 2, 3, 4, 5, 6]
    assert [row.eligible for row in result.rows] == [True, True, True, True, True, False]
    assert result.passing_line_after == 5


def test_skip_funds_a_later_project_that_fits():
    result = ranking.rank(rules(ranking.SKIP), scenario())
    rows = by_number(result)
    assert {number: row.granted for number, row in rows.items()} == {
        "P1": Decimal("285000"),
        "P4": Decimal("235000"),
        "P3": Decimal("336000"),
        "P2": None,
        "P6": Decimal("98000"),
        "P5": None,
    }
    assert rows["P2"].standing == ranking.Standing.NOT_FITTING
    assert rows["P5"].standing == ranking.Standing.BELOW_PASSING
    assert [(pool.key, pool.granted, pool.remaining) for pool in result.pools] == [
        ("common", Decimal("954000"), Decimal("46000"))
    ]


def test_stop_ends_the_allocation_at_the_first_project_that_does_not_fit():
    result = ranking.rank(rules(ranking.STOP), scenario())
    rows = by_number(result)
    assert [number for number, row in rows.items() if row.granted] == ["P1", "P4", "P3"]
    assert rows["P2"].standing == rows["P6"].standing == ranking.Standing.STOPPED
    assert result.pools[0].remaining == Decimal("144000")


def test_the_cap_per_project_applies_to_the_requested_amount():
    result = ranking.rank(rules(fund=Decimal("5000000")), scenario())
    assert by_number(result)["P2"].granted == Decimal("400000")


def test_a_nomination_with_its_own_fund_is_allocated_from_it_alone():
    result = ranking.rank(rules(nomination_funds={7: Decimal("50000")}), scenario())
    rows = by_number(result)
    assert rows["P6"].granted is None and rows["P6"].standing == ranking.Standing.NOT_FITTING
    assert rows["P2"].granted is None  # the common fund still has 144 000 left for P2's 400 000
    pools = {pool.key: pool for pool in result.pools}
    assert pools["nomination-7"].remaining == Decimal("50000")
    assert pools["common"].remaining == Decimal("144000")


def test_equal_shares_fall_back_to_the_earlier_submission_and_then_the_number():
    entries = [
        entry("P8", [("6", "8"), ("6", "8")], "4", "1000", minutes=10),
        entry("P7", [("6", "8"), ("6", "8")], "4", "1000", minutes=20),
        entry("P9", [("6", "8"), ("6", "8")], "4", "1000", minutes=10),
    ]
    result = ranking.rank(rules(), entries)
    assert [row.entry.number for row in result.rows] == ["P8", "P9", "P7"]


def test_tie_break_rules_apply_in_the_competition_order():
    entries = [
        entry("P1", [("6", "8")], "4", "2000", minutes=1),
        entry("P2", [("6", "8")], "4", "1000", minutes=2),
    ]
    default = ranking.rank(rules(), entries)
    smaller_first = ranking.rank(rules(tie_breaks=(ranking.SMALLER_REQUEST,)), entries)
    assert [row.entry.number for row in default.rows] == ["P1", "P2"]
    assert [row.entry.number for row in smaller_first.rows] == ["P2", "P1"]


def test_an_application_without_sent_sheets_is_not_ranked_among_the_scored():
    entries = [*scenario(), entry("P0", [], "9", "1000")]
    result = ranking.rank(rules(), entries)
    last = result.rows[-1]
    assert last.entry.number == "P0" and last.final is None and last.standing == ranking.Standing.NOT_SCORED


@pytest.mark.parametrize(
    ("score", "problem"),
    [("7", None), ("7.5", None), ("10.5", "от 0 до 10"), ("-1", "от 0 до 10"), ("7.25", "с шагом 0,5")],
)
def test_a_score_must_be_on_the_scale_and_its_step(score, problem):
    scale = criteria_of(sheet_definition(SHEET))[0]
    message = scale.score_problem(Decimal(score))
    assert (message is None) if problem is None else (problem in message)
