"""The co-financing ledger: parsing posted lines, shares of the project's cost, and the rules' messages."""

from decimal import Decimal

import pytest

from competitions.cofinancing import LedgerError, parse_ledger, rule_problems, summary
from competitions.models import CofinancingRule


def rule(source, share, **kinds):
    return CofinancingRule(source=source, min_share=Decimal(share), **kinds)


def test_shares_are_of_the_whole_cost_requested_plus_cofinancing():
    lines = parse_ledger(
        [
            {"source": "residents", "kind": "money", "amount": "30 000,00"},
            {"source": "business", "kind": "in_kind", "amount": "50000"},
            {"source": "residents", "kind": "labour", "amount": "20000", "note": "10 человеко-дней по 2 000 ₽"},
        ]
    )
    totals = summary(Decimal("900000"), lines)
    assert totals["cost"] == Decimal("1000000")
    shares = {item["source"]: item["share"] for item in totals["sources"]}
    assert shares == {"residents": Decimal("5"), "business": Decimal("5")}
    assert totals["requested_share"] == Decimal("90")


def test_a_rule_counts_only_the_kinds_it_names():
    lines = parse_ledger(
        [
            {"source": "residents", "kind": "money", "amount": "20000"},
            {"source": "residents", "kind": "labour", "amount": "20000", "note": "субботник"},
        ]
    )
    assert rule_problems([rule("residents", "3", counts_money=True)], Decimal("960000"), lines)
    assert not rule_problems([rule("residents", "3", counts_money=True, counts_labour=True)], Decimal("960000"), lines)


def test_shortfall_names_the_source_the_share_and_what_to_add():
    lines = parse_ledger([{"source": "residents", "kind": "money", "amount": "20000"}])
    (message,) = rule_problems([rule("residents", "3", counts_money=True)], Decimal("980000"), lines)
    assert "«жители»" in message
    assert "2,00 %" in message and "3,00 %" in message
    # (20 000 + x) / (1 000 000 + x) ≥ 3 %  ⇔  x ≥ 10 309,28 ₽ (rounded up to the kopeck)
    assert "10\u00a0309,28 ₽" in message or "10 309,28 ₽" in message


def test_exactly_the_minimum_share_passes():
    lines = parse_ledger([{"source": "municipality", "kind": "money", "amount": "50000"}])
    assert not rule_problems([rule("municipality", "5", counts_money=True)], Decimal("950000"), lines)


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ({"source": "aliens", "kind": "money", "amount": "1"}, "источник"),
        ({"source": "residents", "kind": "gold", "amount": "1"}, "вид вклада"),
        ({"source": "residents", "kind": "money", "amount": "abc"}, "сумма"),
        ({"source": "residents", "kind": "money", "amount": "-5"}, "больше нуля"),
        ({"source": "residents", "kind": "money", "amount": "1.005"}, "двух знаков"),
        ({"source": "residents", "kind": "labour", "amount": "1000"}, "трудового участия"),
    ],
)
def test_bad_lines_are_refused_with_the_line_number(row, fragment):
    with pytest.raises(LedgerError) as refused:
        parse_ledger([{"source": "residents", "kind": "money", "amount": "100"}, row])
    assert refused.value.problems[0][0] == 2
    assert "Строка 2" in refused.value.problems[0][1]
    assert fragment in refused.value.problems[0][1]


def test_the_ledger_must_be_a_list():
    with pytest.raises(LedgerError):
        parse_ledger({"source": "residents"})
