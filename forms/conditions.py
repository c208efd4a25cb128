"""Server-side rules of conditional fields: which fields a set of answers shows.

A field with a condition is shown (and, if marked required, required) only when the answer to the
field it points to matches; a field pointing to a hidden field is hidden too. The browser mirrors
these rules for convenience (static/js/forms.js); the server's answer is the one that counts.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from forms.blocks import ConditionOperator
from forms.fields import parse_russian_decimal

TRUE_WORDS = {"да", "yes", "true", "1"}


def normalise(text):
    return str(text).strip().casefold().replace("ё", "е")


def expected_values(condition):
    raw = condition.get("value") or ""
    if condition.get("operator") == ConditionOperator.ONE_OF:
        return [normalise(part) for part in raw.split(";") if part.strip()]
    return [normalise(raw)]


def answer_texts(kind, stored):
    """The stored answer as a list of normalised texts (several for a multiple choice)."""
    if kind == "yes_no":
        return [normalise(_("Да") if stored else _("Нет"))]
    if kind == "choices":
        return [normalise(item) for item in stored]
    if isinstance(stored, dict):
        return [normalise(stored.get("name", ""))]
    return [normalise(stored)]


def is_answered(stored):
    return stored not in (None, "", [], {}) and stored is not False


def condition_holds(condition, kind, stored):
    operator = condition.get("operator") or ConditionOperator.EQUALS
    if not is_answered(stored):
        return False
    if operator == ConditionOperator.ANSWERED:
        return True
    if operator in ConditionOperator.NUMERIC or (kind == "number" and operator != ConditionOperator.ONE_OF):
        answer = Decimal(str(stored)) if kind == "number" else parse_russian_decimal(str(stored))
        expected = parse_russian_decimal(condition.get("value") or "")
        if answer is None or expected is None:
            return False
        return {
            ConditionOperator.EQUALS: answer == expected,
            ConditionOperator.NOT_EQUALS: answer != expected,
            ConditionOperator.GREATER_THAN: answer > expected,
            ConditionOperator.LESS_THAN: answer < expected,
        }[operator]
    if kind == "yes_no":
        expected = expected_values(condition)
        answers = ["да" if stored else "нет"]
        expected = [
            "да" if value in TRUE_WORDS else "нет" if value in {"нет", "no", "false", "0"} else value
            for value in expected
        ]
    else:
        answers = answer_texts(kind, stored)
        expected = expected_values(condition)
    if operator == ConditionOperator.NOT_EQUALS:
        return expected[0] not in answers
    return any(value in answers for value in expected)


def visible_field_ids(definition, answers):
    """Ids of the fields shown for these answers (answers keyed by block id)."""
    visible = set()
    for item in definition.fields:
        condition = item.condition
        if condition is None:
            visible.add(item.id)
            continue
        target = definition.by_code.get(condition["field_code"])
        if target is None or target.id not in visible:
            continue
        if condition_holds(condition, target.kind, answers.get(target.id)):
            visible.add(item.id)
    return visible


def describe_condition(definition, item):
    """«Только если в поле «…» ответ равен «…»» — for readers without JavaScript and for the staff view."""
    condition = item.condition
    target = definition.by_code.get(condition["field_code"]) if condition else None
    if target is None:
        return ""
    operator = condition.get("operator") or ConditionOperator.EQUALS
    if operator == ConditionOperator.ANSWERED:
        return _("Заполните, только если заполнено поле «%(label)s».") % {"label": target.label}
    words = dict(ConditionOperator.CHOICES)[operator]
    return _("Заполните, только если ответ на вопрос «%(label)s» %(operator)s «%(value)s».") % {
        "label": target.label,
        "operator": words.split(" (")[0],
        "value": condition.get("value"),
    }


def client_rule(definition, item):
    """The rule in the shape static/js/forms.js reads (a data attribute on the field)."""
    condition = item.condition
    target = definition.by_code.get(condition["field_code"]) if condition else None
    if target is None:
        return None
    return {
        "target": target.id,
        "kind": target.kind,
        "operator": condition.get("operator") or ConditionOperator.EQUALS,
        "values": expected_values(condition),
    }
