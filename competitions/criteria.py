"""The scoring sheet: criterion blocks added to the form engine's blocks, and the criteria read from a sheet.

A methodologist builds the sheet in the competition's «Экспертиза» tab from the same blocks as any form, plus
two of its own: an *expert* criterion (a scale with band descriptors, a weight and a comment rule) and a
*computed* criterion (points from the application's data by bands). Criteria are keyed by their block id,
like every answer of the engine, so renaming a criterion never loses a score.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError

from forms.blocks import CODE_PATTERN, FormFieldsBlock
from forms.definition import FormDefinition
from forms.fields import format_decimal


class CommentRule:
    ALWAYS = "always"
    AT_OR_BELOW = "at_or_below"
    OPTIONAL = "optional"

    CHOICES = [
        (ALWAYS, gettext_lazy("обязателен всегда")),
        (AT_OR_BELOW, gettext_lazy("обязателен, если балл не выше порога")),
        (OPTIONAL, gettext_lazy("по желанию эксперта")),
    ]


class ComputedSource:
    RESIDENTS_SHARE = "residents_share"
    COFINANCING_SHARE = "cofinancing_share"
    REQUESTED_AMOUNT = "requested_amount"
    PROJECT_COST = "project_cost"
    ANSWER = "answer"

    CHOICES = [
        (RESIDENTS_SHARE, gettext_lazy("доля софинансирования жителей, % стоимости")),
        (COFINANCING_SHARE, gettext_lazy("доля всего софинансирования, % стоимости")),
        (REQUESTED_AMOUNT, gettext_lazy("запрашиваемая сумма, ₽")),
        (PROJECT_COST, gettext_lazy("полная стоимость проекта, ₽")),
        (ANSWER, gettext_lazy("числовой ответ в форме заявки (по коду поля)")),
    ]


class BandDescriptorBlock(blocks.StructBlock):
    low = blocks.DecimalBlock(label=gettext_lazy("От балла"))
    high = blocks.DecimalBlock(label=gettext_lazy("До балла (включительно)"))
    text = blocks.CharBlock(label=gettext_lazy("Что означает"), max_length=500)

    class Meta:
        icon = "list-ul"
        label = gettext_lazy("Диапазон баллов")


class WeightRuleBlock(blocks.StructBlock):
    nomination = blocks.CharBlock(
        label=gettext_lazy("Номинация"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Название номинации, как в «Правилах». Пусто — любая."),
    )
    amount_from = blocks.DecimalBlock(label=gettext_lazy("Запрошено от, ₽"), required=False, min_value=0)
    amount_to = blocks.DecimalBlock(label=gettext_lazy("Запрошено до, ₽ (не включая)"), required=False, min_value=0)
    weight = blocks.DecimalBlock(label=gettext_lazy("Вес"), min_value=0)

    class Meta:
        icon = "cog"
        label = gettext_lazy("Особый вес")


class CriterionBlock(blocks.StructBlock):
    """A criterion experts score on a scale; its weight may depend on the nomination or the amount requested."""

    name = blocks.CharBlock(label=gettext_lazy("Критерий"), max_length=255)
    description = blocks.TextBlock(label=gettext_lazy("Что оценивается"), required=False, rows=2)
    code = blocks.CharBlock(
        label=gettext_lazy("Код"),
        required=False,
        max_length=50,
        help_text=gettext_lazy("Латиницей, для выгрузок открытых данных. Баллы хранятся не по коду."),
    )
    min_score = blocks.DecimalBlock(label=gettext_lazy("Наименьший балл"), default=Decimal("0"))
    max_score = blocks.DecimalBlock(label=gettext_lazy("Наибольший балл"), default=Decimal("10"))
    step = blocks.DecimalBlock(
        label=gettext_lazy("Шаг"),
        default=Decimal("1"),
        min_value=Decimal("0.01"),
        help_text=gettext_lazy("1 — целые баллы, 0,5 — половинки."),
    )
    bands = blocks.ListBlock(BandDescriptorBlock(), label=gettext_lazy("Описание диапазонов"), default=[])
    weight = blocks.DecimalBlock(label=gettext_lazy("Вес"), default=Decimal("1"), min_value=0)
    weight_rules = blocks.ListBlock(
        WeightRuleBlock(),
        label=gettext_lazy("Особый вес по номинации или сумме"),
        default=[],
        help_text=gettext_lazy("Первое подходящее правило заменяет вес; ни одно не подошло — обычный вес."),
    )
    comment_rule = blocks.ChoiceBlock(
        label=gettext_lazy("Комментарий эксперта"), choices=CommentRule.CHOICES, default=CommentRule.AT_OR_BELOW
    )
    comment_threshold = blocks.DecimalBlock(
        label=gettext_lazy("Порог для комментария"),
        required=False,
        help_text=gettext_lazy("Для «обязателен, если балл не выше порога»: при таком балле и ниже нужен комментарий."),
    )

    is_criterion = True
    criterion_kind = "expert"

    class Meta:
        icon = "pick"
        label = gettext_lazy("Критерий (оценивают эксперты)")
        form_classname = "criterion-block"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        low, high, step = value["min_score"], value["max_score"], value["step"]
        if high <= low:
            errors["max_score"] = ValidationError(_("Наибольший балл должен быть больше наименьшего."))
        elif (high - low) % step:
            errors["step"] = ValidationError(
                _("С шагом %(step)s от %(low)s не попасть в %(high)s: выберите шаг, кратный размаху шкалы.")
                % {"step": format_decimal(step), "low": format_decimal(low), "high": format_decimal(high)}
            )
        for band in value["bands"]:
            if band["low"] > band["high"] or band["low"] < low or band["high"] > high:
                errors["bands"] = ValidationError(
                    _("Диапазон «%(text)s» выходит за шкалу %(low)s–%(high)s или перевёрнут.")
                    % {"text": band["text"], "low": format_decimal(low), "high": format_decimal(high)}
                )
                break
        if value["comment_rule"] == CommentRule.AT_OR_BELOW and value.get("comment_threshold") is None:
            errors["comment_threshold"] = ValidationError(_("Укажите порог: при каком балле и ниже нужен комментарий."))
        _check_code(value, errors)
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class PointsBandBlock(blocks.StructBlock):
    low = blocks.DecimalBlock(label=gettext_lazy("Значение от (включительно)"), required=False)
    high = blocks.DecimalBlock(label=gettext_lazy("до (не включая)"), required=False)
    points = blocks.DecimalBlock(label=gettext_lazy("Баллы"))

    class Meta:
        icon = "list-ol"
        label = gettext_lazy("Диапазон значений")


class ComputedCriterionBlock(blocks.StructBlock):
    """A criterion the platform scores from the application's data: the value's band gives the points."""

    name = blocks.CharBlock(label=gettext_lazy("Критерий"), max_length=255)
    description = blocks.TextBlock(label=gettext_lazy("Пояснение"), required=False, rows=2)
    code = blocks.CharBlock(label=gettext_lazy("Код"), required=False, max_length=50)
    source = blocks.ChoiceBlock(label=gettext_lazy("Откуда значение"), choices=ComputedSource.CHOICES)
    answer_code = blocks.CharBlock(
        label=gettext_lazy("Код поля формы заявки"),
        required=False,
        max_length=50,
        help_text=gettext_lazy("Для «числовой ответ в форме заявки»: код числового поля, например beneficiaries."),
    )
    bands = blocks.ListBlock(PointsBandBlock(), label=gettext_lazy("Баллы по диапазонам"), min_num=1)
    weight = blocks.DecimalBlock(label=gettext_lazy("Вес"), default=Decimal("1"), min_value=0)

    is_criterion = True
    criterion_kind = "computed"

    class Meta:
        icon = "table"
        label = gettext_lazy("Расчётный критерий (по данным заявки)")
        form_classname = "criterion-block"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["source"] == ComputedSource.ANSWER and not value.get("answer_code"):
            errors["answer_code"] = ValidationError(_("Укажите код числового поля формы заявки."))
        bands = sorted(value["bands"], key=lambda band: band["low"] if band["low"] is not None else Decimal("-1e18"))
        for band in bands:
            if band["low"] is not None and band["high"] is not None and band["high"] <= band["low"]:
                errors["bands"] = ValidationError(_("В диапазоне «до» должно быть больше «от»."))
        for previous, current in pairwise(bands):
            if previous["high"] is None or current["low"] is None or current["low"] < previous["high"]:
                errors["bands"] = ValidationError(
                    _("Диапазоны пересекаются: значение попало бы в два диапазона. Проверьте границы.")
                )
        _check_code(value, errors)
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class ScoringSheetBlock(FormFieldsBlock):
    """The scoring sheet: criteria plus any blocks of the form engine (a recommendation, a free-text question)."""

    criterion = CriterionBlock()
    computed_criterion = ComputedCriterionBlock()
    # An expert answers in single inputs; files, tables, consent and contact details have no place in a sheet.
    date_range = None
    file = None
    rows = None
    consent = None
    municipality = None
    tos = None
    email = None
    phone = None
    url = None

    class Meta:
        label = gettext_lazy("Лист оценки")


SHEET_BLOCK = ScoringSheetBlock()


def _check_code(value, errors):
    if value.get("code") and not re.match(CODE_PATTERN, value["code"]):
        errors["code"] = ValidationError(_("Код — латинские строчные буквы, цифры и «_», с буквы в начале."))


# --- Criteria read from a sheet -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    id: str
    kind: str  # "expert" or "computed"
    name: str
    description: str
    code: str
    weight: Decimal
    min_score: Decimal = Decimal("0")
    max_score: Decimal = Decimal("0")
    step: Decimal = Decimal("1")
    bands: tuple = ()  # expert: (low, high, text); computed: (low, high, points)
    weight_rules: tuple = ()  # (nomination, amount_from, amount_to, weight)
    comment_rule: str = CommentRule.OPTIONAL
    comment_threshold: Decimal | None = None
    source: str = ""
    answer_code: str = ""

    @property
    def is_expert(self):
        return self.kind == "expert"

    def weight_for(self, nomination_name, requested_amount):
        """The weight for one application: the first matching special rule, otherwise the criterion's weight."""
        amount = requested_amount or Decimal("0")
        for nomination, amount_from, amount_to, weight in self.weight_rules:
            if nomination and nomination.strip().casefold() != (nomination_name or "").strip().casefold():
                continue
            if amount_from is not None and amount < amount_from:
                continue
            if amount_to is not None and amount >= amount_to:
                continue
            return weight
        return self.weight

    def score_problem(self, score):
        """Why a score does not fit the scale, or None."""
        if score < self.min_score or score > self.max_score:
            return _("Балл должен быть от %(low)s до %(high)s.") % {
                "low": format_decimal(self.min_score),
                "high": format_decimal(self.max_score),
            }
        if (score - self.min_score) % self.step:
            return _("Балл ставится с шагом %(step)s от %(low)s: например, %(example)s.") % {
                "step": format_decimal(self.step),
                "low": format_decimal(self.min_score),
                "example": format_decimal(self.min_score + self.step),
            }
        return None

    def needs_comment(self, score):
        if self.comment_rule == CommentRule.ALWAYS:
            return True
        if self.comment_rule == CommentRule.AT_OR_BELOW and score is not None:
            return score <= self.comment_threshold
        return False

    def comment_rule_text(self):
        if self.comment_rule == CommentRule.ALWAYS:
            return _("Комментарий обязателен.")
        if self.comment_rule == CommentRule.AT_OR_BELOW:
            return _("Комментарий обязателен при балле %(threshold)s и ниже.") % {
                "threshold": format_decimal(self.comment_threshold)
            }
        return _("Комментарий — по желанию.")

    def band_text(self, score):
        return next((text for low, high, text in self.bands if low <= score <= high), "")

    def points_for(self, value):
        """Points of a computed criterion for a value (no value, or no band: 0)."""
        if value is None:
            return Decimal("0")
        for low, high, points in self.bands:
            if (low is None or value >= low) and (high is None or value < high):
                return points
        return Decimal("0")

    def scale_text(self):
        return _("%(low)s–%(high)s, шаг %(step)s") % {
            "low": format_decimal(self.min_score),
            "high": format_decimal(self.max_score),
            "step": format_decimal(self.step),
        }


def sheet_signature(raw_data):
    """A digest of what a sheet means, for the lock: read through the blocks (so defaults are filled in the same
    way) and without the ids Wagtail gives list items anew on each conversion. Block ids stay: scores keep to them."""

    def without_item_ids(value):
        if isinstance(value, list):
            return [without_item_ids(item) for item in value]
        if isinstance(value, dict):
            return {
                key: without_item_ids(item)
                for key, item in value.items()
                if not (key == "id" and value.get("type") == "item")
            }
        return value

    prepared = SHEET_BLOCK.get_prep_value(SHEET_BLOCK.to_python(list(raw_data or [])))
    normalised = json.loads(json.dumps(prepared, cls=DjangoJSONEncoder))
    return hashlib.sha256(json.dumps(without_item_ids(normalised), sort_keys=True).encode()).hexdigest()


def sheet_definition(raw_data):
    """The sheet as a form definition: its steps, criteria and other questions, by block id."""
    return FormDefinition(raw_data, stream_block=SHEET_BLOCK)


def _decimal(value):
    return None if value in (None, "") else Decimal(str(value))


def criteria_of(definition):
    """The criteria of a sheet definition, in the sheet's order."""
    found = []
    for step in definition.steps:
        for item in step.items:
            if not getattr(item.block, "is_criterion", False):
                continue
            value = item.value
            common = {
                "id": item.id,
                "kind": item.block.criterion_kind,
                "name": value["name"],
                "description": value.get("description") or "",
                "code": value.get("code") or "",
                "weight": _decimal(value.get("weight")) or Decimal("0"),
            }
            if item.block.criterion_kind == "expert":
                found.append(
                    Criterion(
                        **common,
                        min_score=_decimal(value["min_score"]),
                        max_score=_decimal(value["max_score"]),
                        step=_decimal(value["step"]),
                        bands=tuple(
                            (_decimal(band["low"]), _decimal(band["high"]), band["text"]) for band in value["bands"]
                        ),
                        weight_rules=tuple(
                            (
                                rule.get("nomination") or "",
                                _decimal(rule.get("amount_from")),
                                _decimal(rule.get("amount_to")),
                                _decimal(rule["weight"]),
                            )
                            for rule in value["weight_rules"]
                        ),
                        comment_rule=value.get("comment_rule") or CommentRule.OPTIONAL,
                        comment_threshold=_decimal(value.get("comment_threshold")),
                    )
                )
            else:
                found.append(
                    Criterion(
                        **common,
                        source=value["source"],
                        answer_code=value.get("answer_code") or "",
                        bands=tuple(
                            (_decimal(band.get("low")), _decimal(band.get("high")), _decimal(band["points"]))
                            for band in value["bands"]
                        ),
                    )
                )
    return found
