"""The co-financing ledger of an application: lines by source and kind, shares of the project's cost, the rules.

The project's cost is the requested amount plus every co-financing line. A source's share counts only the kinds
of contribution its rule counts (money, in kind, labour). Shares are exact Decimals; they are shown to 2 places.
"""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from competitions.models import CofinancingSource, ContributionKind
from forms.fields import format_decimal

KOPECK = Decimal("0.01")
HUNDRED = Decimal("100")
MAX_LINES = 50
MAX_AMOUNT = Decimal("999999999999.99")


@dataclass(frozen=True)
class LedgerLine:
    source: str
    kind: str
    amount: Decimal
    note: str = ""

    def as_json(self):
        return {"source": self.source, "kind": self.kind, "amount": str(self.amount), "note": self.note}

    @property
    def source_label(self):
        return CofinancingSource(self.source).label

    @property
    def kind_label(self):
        return ContributionKind(self.kind).label


class LedgerError(ValueError):
    """Bad ledger lines: ``problems`` is a list of (line number from 1, message)."""

    def __init__(self, problems):
        super().__init__("; ".join(message for _number, message in problems))
        self.problems = problems


def rubles(amount):
    """«1 000 000,00 ₽»: always with kopecks, as the ledger counts them."""
    return f"{format_decimal(Decimal(amount), places=2)} ₽"


def percent(share):
    """«3,00 %»: shares to two places."""
    return f"{format_decimal(Decimal(share), places=2)} %"


def parse_ledger(raw):
    """Ledger lines from stored or posted JSON; raises LedgerError naming the line and the fix."""
    if not isinstance(raw, list):
        raise LedgerError([(0, _("Софинансирование передаётся списком строк."))])
    if len(raw) > MAX_LINES:
        raise LedgerError([(0, _("Строк софинансирования не больше %(max)d.") % {"max": MAX_LINES})])
    lines, problems = [], []
    for number, row in enumerate(raw, start=1):
        if not isinstance(row, dict):
            problems.append((number, _("Строка %(n)d: ожидается источник, вид вклада и сумма.") % {"n": number}))
            continue
        source, kind = row.get("source"), row.get("kind")
        note = str(row.get("note") or "").strip()[:255]
        if source not in CofinancingSource.values:
            problems.append((number, _("Строка %(n)d: выберите источник софинансирования.") % {"n": number}))
        if kind not in ContributionKind.values:
            problems.append(
                (number, _("Строка %(n)d: выберите вид вклада — деньги, материалы или труд.") % {"n": number})
            )
        amount = _amount(row.get("amount"))
        if amount is None:
            problems.append(
                (
                    number,
                    _(
                        "Строка %(n)d: сумма — число рублей больше нуля, не больше двух знаков после запятой, "
                        "например 150000 или 150000,50."
                    )
                    % {"n": number},
                )
            )
        if kind == ContributionKind.LABOUR and not note:
            problems.append(
                (
                    number,
                    _(
                        "Строка %(n)d: для трудового участия опишите работы и как они оценены "
                        "(например, «20 человеко-дней по 2 000 ₽»)."
                    )
                    % {"n": number},
                )
            )
        if not problems or problems[-1][0] != number:
            lines.append(LedgerLine(source=source, kind=kind, amount=amount, note=note))
    if problems:
        raise LedgerError(problems)
    return lines


def _amount(value):
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT or amount != amount.quantize(KOPECK):
        return None
    return amount


def project_cost(requested_amount, lines):
    return (requested_amount or Decimal("0")) + sum((line.amount for line in lines), Decimal("0"))


def source_total(lines, source, kinds=None):
    return sum(
        (line.amount for line in lines if line.source == source and (kinds is None or line.kind in kinds)),
        Decimal("0"),
    )


def share_of(amount, cost):
    """A share in percent, exact."""
    return amount * HUNDRED / cost if cost else Decimal("0")


def summary(requested_amount, lines):
    """Totals for the page and the API: cost, and for every source its amount and share (all kinds)."""
    cost = project_cost(requested_amount, lines)
    sources = []
    for source in CofinancingSource:
        amount = source_total(lines, source)
        if amount:
            sources.append(
                {"source": source.value, "label": source.label, "amount": amount, "share": share_of(amount, cost)}
            )
    return {
        "requested": requested_amount or Decimal("0"),
        "cofinancing": cost - (requested_amount or Decimal("0")),
        "cost": cost,
        "requested_share": share_of(requested_amount or Decimal("0"), cost),
        "sources": sources,
    }


def rule_problems(rules, requested_amount, lines):
    """A message for every rule the ledger falls short of, naming the source, its share and the share required."""
    cost = project_cost(requested_amount, lines)
    problems = []
    for rule in rules:
        kinds = rule.counted_kinds
        counted = source_total(lines, rule.source, kinds)
        if counted * HUNDRED >= rule.min_share * cost and cost:
            continue
        required = rule.min_share / HUNDRED
        missing = (required * cost - counted) / (1 - required) if required < 1 else None
        kinds_text = ", ".join(str(ContributionKind(kind).label) for kind in ContributionKind if kind in kinds)
        message = _(
            "Софинансирование «%(source)s» — %(share)s стоимости проекта, а нужно не меньше %(required)s "
            "(засчитываются: %(kinds)s)."
        ) % {
            "source": CofinancingSource(rule.source).label,
            "share": percent(share_of(counted, cost)),
            "required": percent(rule.min_share),
            "kinds": kinds_text,
        }
        if missing is not None and missing > 0:
            message += " " + _(
                "Добавьте не меньше %(amount)s от этого источника или уменьшите запрашиваемую сумму."
            ) % {"amount": rubles(missing.quantize(KOPECK, rounding=ROUND_CEILING))}
        problems.append(message)
    return problems
