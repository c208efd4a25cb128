"""Answers in the API's shape: their JSON-Schema-like description, stored answers read back, and API answers saved.

An API answer is a JSON value (a list for several choices, ``{"start", "end"}`` for a period, ``{"id"}`` for a
reference record, ``{"rows": [...]}`` for cost rows). Saving turns it into the form data the page's step forms read
and goes through ``engine.save_step``, so conditions, hidden fields, limits and deadlines are the engine's rules,
the same as on the page. Each description is read from the Django field the engine builds, so it cannot drift from
what the engine accepts.
"""

import copy
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.db import transaction
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from forms import blocks, engine
from forms.choice_sources import tos_choices
from forms.conditions import visible_field_ids
from forms.fields import CostRowsWidget, NamedReferenceTextField


@dataclass
class Problem:
    """One reason answers were refused: the field (None for the whole submission) and a Russian message."""

    field: str | None
    label: str
    message: str

    def as_dict(self):
        return {"field": self.field, "label": self.label, "message": str(self.message)}


class AnswersRefused(Exception):
    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


class WrongShape(Exception):
    """An API value of the wrong JSON type for its field."""


# --- Shapes of answers, one per family of blocks --------------------------------------------------------------------


class AnswerShape:
    """How one family of blocks takes its answer: ``schema``, ``form_data`` and the stored answer as API value."""

    def api_value(self, stored):
        return stored


class TextAnswer(AnswerShape):
    def __init__(self, format_name=None, examples=()):
        self.format_name, self.examples = format_name, list(examples)

    def schema(self, field):
        schema = {"type": "string", "maxLength": field.max_length}
        if field.min_length:
            schema["minLength"] = field.min_length
        patterns = [validator.regex.pattern for validator in field.validators if type(validator) is RegexValidator]
        if patterns:
            schema["pattern"] = patterns[0]
        if self.format_name:
            schema["format"] = self.format_name
        if self.examples:
            schema["examples"] = self.examples
        return schema

    def form_data(self, item, field, value):
        return {item.id: [_text(value, _("Передайте ответ строкой текста."))]}, {}


class NumberAnswer(AnswerShape):
    def schema(self, field):
        schema = {"type": "number", "multipleOf": _json_number(Decimal(1).scaleb(-field.decimal_places))}
        if field.min_value is not None:
            schema["minimum"] = _json_number(field.min_value)
        if field.max_value is not None:
            schema["maximum"] = _json_number(field.max_value)
        if field.unit:
            schema["x-unit"] = field.unit
        return schema

    def form_data(self, item, field, value):
        return {item.id: [_number_text(value)]}, {}


class DateAnswer(AnswerShape):
    def schema(self, field):
        return _date_schema(field)

    def form_data(self, item, field, value):
        return {item.id: [_text(value, _("Передайте дату строкой ГГГГ-ММ-ДД, например «2026-06-15»."))]}, {}


class DateRangeAnswer(AnswerShape):
    parts = ("start", "end")

    def schema(self, field):
        part = _date_schema(field.fields[0])
        return {
            "type": "object",
            "properties": dict.fromkeys(self.parts, part),
            "required": list(self.parts),
            "additionalProperties": False,
        }

    def form_data(self, item, field, value):
        message = _('Передайте период объектом {"start": "ГГГГ-ММ-ДД", "end": "ГГГГ-ММ-ДД"}.')
        value = _object(value, message)
        # The MultiWidget reads its two dates under the field name plus its subwidget suffixes («_start», «_end»).
        return {
            f"{item.id}{suffix}": [_text(value.get(part), message)]
            for suffix, part in zip(field.widget.widgets_names, self.parts, strict=True)
        }, {}


class ChoiceAnswer(AnswerShape):
    def schema(self, field):
        return {"type": "string", "enum": _options(field)}

    def form_data(self, item, field, value):
        return {item.id: [_text(value, _("Передайте текст одного из вариантов ответа."))]}, {}


class ChoicesAnswer(AnswerShape):
    def schema(self, field):
        schema = {"type": "array", "items": {"type": "string", "enum": _options(field)}, "uniqueItems": True}
        if field.min_selections:
            schema["minItems"] = field.min_selections
        if field.max_selections:
            schema["maxItems"] = field.max_selections
        return schema

    def form_data(self, item, field, value):
        message = _("Передайте список вариантов ответа, например [«Освещения», «Лавочек»].")
        if value is None:
            return {item.id: []}, {}
        if not isinstance(value, list) or not all(isinstance(option, str) for option in value):
            raise WrongShape(message)
        return {item.id: list(value)}, {}


class YesNoAnswer(AnswerShape):
    def schema(self, field):
        return {"type": "boolean"}

    def form_data(self, item, field, value):
        if value is not None and not isinstance(value, bool):
            raise WrongShape(_("Передайте true («Да») или false («Нет»)."))
        keys = {field.coerce(key): key for key, _label in field.choices}
        return {item.id: [keys.get(value, "")]}, {}


class ReferenceAnswer(AnswerShape):
    """A record of a reference list, ``{"id": …}``; a TOS typed by name while its list is not there, ``{"name": …}``."""

    def __init__(self, source_url_name=None):
        self._source_url_name = source_url_name

    def source_url_name(self):
        """The URL name of the reference list in the API, given to clients as ``x-source``."""
        return self._source_url_name

    def schema(self, field):
        if isinstance(field, NamedReferenceTextField):
            return {
                "type": "object",
                "properties": {"name": {"type": "string", "maxLength": field.max_length}},
                "required": ["name"],
            }
        schema = {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "name": {"type": "string", "readOnly": True}},
            "required": ["id"],
        }
        url_name = self.source_url_name()
        if url_name:
            schema["x-source"] = reverse(url_name)
        return schema

    def form_data(self, item, field, value):
        if isinstance(field, NamedReferenceTextField):
            message = _('Передайте объект {"name": "название"}.')
            return {item.id: [_text(_object(value, message).get("name"), message)]}, {}
        message = _('Передайте объект {"id": номер записи справочника}.')
        record_id = _object(value, message).get("id")
        if record_id is not None and (isinstance(record_id, bool) or not isinstance(record_id, int | str)):
            raise WrongShape(message)
        return {item.id: ["" if record_id is None else str(record_id)]}, {}


class TOSReferenceAnswer(ReferenceAnswer):
    """A TOS from the list the TOS app registers, which also names where that list is in the API."""

    def source_url_name(self):
        source = tos_choices()
        return source.api_url_name if source else None


class FileAnswer(AnswerShape):
    def schema(self, field):
        return {
            "type": "string",
            "format": "binary",
            "x-allowed-extensions": list(field.extensions),
            "x-max-bytes": field.max_bytes,
        }

    def api_value(self, stored):
        if not stored:
            return None
        return {
            "id": stored["file_id"],
            "name": stored["name"],
            "size": stored["size"],
            "url": reverse("forms:download_file", args=[stored["file_id"]]),
        }

    def form_data(self, item, field, value):
        if isinstance(value, UploadedFile):
            return {}, {item.id: [value]}
        if value is None:
            return {f"{item.id}-clear": ["1"]}, {}  # what PrivateFileInput reads as «remove the file»
        raise WrongShape(_("Файл передаётся в multipart-запросе под id поля; null — убрать загруженный файл."))


class RowsAnswer(AnswerShape):
    def schema(self, field):
        text = {"type": "string"}
        number = {"type": "number"}
        rows = {
            "type": "array",
            "maxItems": field.max_rows,
            "items": {
                "type": "object",
                "properties": {
                    "item": {**text, "maxLength": 255, "title": field.widget.item_label},
                    "quantity": {**number, "exclusiveMinimum": 0},
                    "unit": {**text, "maxLength": 30},
                    "unit_price": {**number, "minimum": 0, "multipleOf": 0.01},
                },
                "required": ["item", "quantity", "unit_price"],
            },
        }
        if field.min_rows:
            rows["minItems"] = field.min_rows
        return {"type": "object", "properties": {"rows": rows}, "required": ["rows"]}

    def form_data(self, item, field, value):
        message = _('Передайте строки объектом {"rows": [{"item": …, "quantity": …, "unit": …, "unit_price": …}]}.')
        rows = _object(value, message).get("rows") or []
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise WrongShape(message)
        if len(rows) > field.max_rows:
            raise WrongShape(_("Строк больше, чем допускает форма: не больше %(count)d.") % {"count": field.max_rows})
        data = {}
        for index, row in enumerate(rows):
            for column in CostRowsWidget.columns:
                cell = row.get(column)
                text = _number_text(cell) if column in {"quantity", "unit_price"} else _text(cell, message)
                data[f"{item.id}-{index}-{column}"] = [text]
        return data, {}


class ConsentAnswer(AnswerShape):
    def schema(self, field):
        return {"type": "boolean", "const": True, "x-consent-text": str(field.consent_text or "")}

    def api_value(self, stored):
        return bool(stored)

    def form_data(self, item, field, value):
        if value is not None and not isinstance(value, bool):
            raise WrongShape(_("Передайте true, чтобы дать согласие."))
        return ({item.id: ["on"]} if value else {}), {}


SHAPES = {
    blocks.FieldBlock: TextAnswer(),
    blocks.EmailBlock: TextAnswer(format_name="email"),
    blocks.URLBlock: TextAnswer(format_name="uri"),
    blocks.PhoneBlock: TextAnswer(examples=["+7 910 123-45-67"]),
    blocks.NumberBlock: NumberAnswer(),
    blocks.DateBlock: DateAnswer(),
    blocks.DateRangeBlock: DateRangeAnswer(),
    blocks.SingleChoiceBlock: ChoiceAnswer(),
    blocks.MultipleChoiceBlock: ChoicesAnswer(),
    blocks.YesNoBlock: YesNoAnswer(),
    blocks.MunicipalityBlock: ReferenceAnswer(source_url_name="municipality-list"),
    blocks.TOSBlock: TOSReferenceAnswer(),
    blocks.FileUploadBlock: FileAnswer(),
    blocks.RowsBlock: RowsAnswer(),
    blocks.ConsentBlock: ConsentAnswer(),
}


def shape_of(item):
    return next(SHAPES[cls] for cls in type(item.block).__mro__ if cls in SHAPES)


def answer_schema(item):
    return shape_of(item).schema(item.form_field())


def api_value(item, stored):
    return shape_of(item).api_value(stored)


# --- Saving -------------------------------------------------------------------------------------------------------


def save_answers(page, submission, answers, *, user):
    """Store API answers (keyed by field id; uploads as UploadedFile) in the draft, or raise AnswersRefused.

    The draft's other answers stay as they are. Every touched step is checked before anything is written, each
    against the answers the steps before it will leave, so a refusal on any step writes nothing.
    """
    definition = submission.version.form
    problems = [
        Problem(key, "", _("В этой форме нет поля с id «%(id)s». Возьмите id полей из описания формы.") % {"id": key})
        for key in answers
        if key not in definition.by_id
    ]
    planned = []
    preview = copy.copy(submission)
    for step in definition.steps:
        if not any(item.id in answers for item in step.fields):
            continue
        data, files, step_problems = _step_form_data(step, preview.data, answers)
        result, after, _uploads = engine.check_step(definition, step.index, preview, data, files, complete=False)
        visible = visible_field_ids(definition, after)
        # A field this request leaves alone carries its stored answer; if the new answers hide it, it goes unposted.
        dropped = {item.id for item in step.fields if item.id not in answers and item.id not in visible}
        for item_id in dropped:
            for key in _keys_of(item_id, data):
                del data[key]
        problems += step_problems
        problems += [Problem(item.id, item.label, message) for item, message in result.errors if item.id not in dropped]
        planned.append((step.index, data, files))
        preview.data = after
    if problems:
        raise AnswersRefused(problems)
    with transaction.atomic():
        for step_index, data, files in planned:
            result = engine.save_step(page, submission, step_index, data, files, user=user, complete=False)
            if not result.ok:  # the draft changed under us between the check and the write
                raise AnswersRefused([Problem(item.id, item.label, message) for item, message in result.errors])


def _step_form_data(step, stored, answers):
    """Form data of one step: the given answers, and the stored answers of the step's other fields."""
    data, files, problems = MultiValueDict(), MultiValueDict(), []
    for item in step.fields:
        shape, field = shape_of(item), item.form_field()
        if item.id in answers:
            value = answers[item.id]
        elif item.kind == "file":
            continue  # a file input left empty keeps the stored file
        else:
            value = shape.api_value(stored.get(item.id))
        try:
            item_data, item_files = shape.form_data(item, field, value)
        except WrongShape as error:
            problems.append(Problem(item.id, item.label, str(error)))
            continue
        for key, values in item_data.items():
            data.setlist(key, values)
        for key, values in item_files.items():
            files.setlist(key, values)
    return data, files, problems


def _keys_of(item_id, data):
    return [key for key in data if key == item_id or key.startswith((f"{item_id}_", f"{item_id}-"))]


# --- Small helpers ------------------------------------------------------------------------------------------------


def _text(value, message):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise WrongShape(message)
    return value


def _object(value, message):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise WrongShape(message)
    return value


def _number_text(value):
    """A JSON number or a string as the text a person would type («2.5», «1 500,50» as it is)."""
    if value is None or isinstance(value, str):
        return value or ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format(Decimal(str(value)), "f")
    raise WrongShape(_("Передайте число: 1500, 2.5 или строкой «1 500,50»."))


def _json_number(number):
    number = Decimal(number)
    return int(number) if number == number.to_integral_value() else float(number)


def _date_schema(field):
    schema = {"type": "string", "format": "date"}
    if field.min_date:
        schema["formatMinimum"] = field.min_date.isoformat()
    if field.max_date:
        schema["formatMaximum"] = field.max_date.isoformat()
    return schema


def _options(field):
    return [value for value, _label in field.choices if value != ""]
