"""Form-builder blocks: a form is a StreamField of these.

Every field block knows four things about its answers: the Django form field that reads them
(``form_field``), how a cleaned value is stored as JSON (``to_storage``), how a stored value
is put back into a form (``to_initial``) and how it reads to a person (``display``). Answers are
stored under the block's id, never under a name derived from the label.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from forms import fields as answer_fields
from forms.choice_sources import tos_choices

CODE_PATTERN = r"^[a-z][a-z0-9_]{0,49}$"

DEFAULT_CONSENT_TEXT = (
    "<p>В соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных» я даю согласие "
    "оператору платформы на обработку моих персональных данных, указанных в этой форме (сбор, запись, "
    "систематизацию, хранение, уточнение, использование, обезличивание, удаление), в целях рассмотрения "
    "ответа. Согласие действует до достижения цели обработки и может быть отозвано письменным заявлением.</p>"
)


class ConditionOperator:
    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    ONE_OF = "one_of"
    GREATER_THAN = "greater_than"
    LESS_THAN = "less_than"
    ANSWERED = "answered"

    CHOICES = [
        (EQUALS, _("равен")),
        (NOT_EQUALS, _("не равен")),
        (ONE_OF, _("один из (через «;»)")),
        (GREATER_THAN, _("больше")),
        (LESS_THAN, _("меньше")),
        (ANSWERED, _("заполнен")),
    ]
    NUMERIC = {GREATER_THAN, LESS_THAN}


class ConditionBlock(blocks.StructBlock):
    """Shows the field only when another field's answer matches; evaluated on the server (forms.conditions)."""

    field_code = blocks.CharBlock(
        label=_("Код поля-условия"),
        required=False,
        max_length=50,
        help_text=_("Код поля выше по форме, от ответа на которое зависит это поле. Пусто — поле показывается всегда."),
    )
    operator = blocks.ChoiceBlock(label=_("Условие"), choices=ConditionOperator.CHOICES, required=False)
    value = blocks.CharBlock(
        label=_("Значение"),
        required=False,
        max_length=255,
        help_text=_("Например: «Да», вариант ответа или число. Для «один из» — варианты через точку с запятой."),
    )

    class Meta:
        icon = "fork"
        label = _("Показывать, только если")
        collapsed = True
        form_classname = "form-condition"

    def clean(self, value):
        value = super().clean(value)
        code, operator, expected = value.get("field_code"), value.get("operator"), value.get("value")
        if not code:
            return value
        errors = {}
        if not re.match(CODE_PATTERN, code):
            errors["field_code"] = ValidationError(_("Код — латинские строчные буквы, цифры и «_», с буквы в начале."))
        if not operator:
            errors["operator"] = ValidationError(_("Выберите условие: «равен», «один из», «больше»…"))
        elif operator != ConditionOperator.ANSWERED and not expected:
            errors["value"] = ValidationError(_("Укажите значение, с которым сравнивать ответ."))
        if operator in ConditionOperator.NUMERIC and expected:
            try:
                Decimal(expected.replace(",", ".").replace(" ", ""))
            except InvalidOperation:
                errors["value"] = ValidationError(_("Для «больше» и «меньше» значение должно быть числом."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class FieldBlock(blocks.StructBlock):
    """A question of the form. Subclasses set ``answer_kind`` and build their Django field."""

    label = blocks.CharBlock(label=_("Вопрос (подпись поля)"), max_length=500)
    help_text = blocks.TextBlock(label=_("Подсказка"), required=False, rows=2)
    required = blocks.BooleanBlock(label=_("Обязательное"), required=False, default=True)
    code = blocks.CharBlock(
        label=_("Код поля"),
        required=False,
        max_length=50,
        help_text=_(
            "Латиницей, например «budget». Нужен, чтобы на поле ссылались условия; в выгрузке — второй "
            "заголовок столбца. Ответы хранятся не по коду, так что его можно менять."
        ),
        validators=[RegexValidator(CODE_PATTERN, _("Код — латинские строчные буквы, цифры и «_», с буквы в начале."))],
    )
    condition = ConditionBlock(required=False)

    is_field = True
    answer_kind = "text"

    class Meta:
        template = "forms/blocks/field_preview.html"
        form_classname = "form-field-block"

    def get_searchable_content(self, value):
        """A form is found by its questions, not by settings such as codes, limits or consent boilerplate."""
        return [text for text in (value.get("label"), value.get("help_text")) if text]

    # --- Django field -------------------------------------------------------------------------------------------

    def form_field(self, value):
        """The Django form field for this question; ``required`` is applied by the engine, not here."""
        field = self.build_field(value)
        field.label = value["label"]
        field.help_text = value.get("help_text") or ""
        field.required = False
        return field

    def build_field(self, value):
        raise NotImplementedError

    # --- Storage ------------------------------------------------------------------------------------------------

    def is_empty(self, cleaned):
        return cleaned in (None, "", [], {})

    def to_storage(self, value, cleaned):
        return cleaned

    def to_initial(self, value, stored):
        return stored

    def display(self, value, stored):
        """A stored answer as text for people: pages, exports, history."""
        if stored in (None, "", [], {}):
            return ""
        return str(stored)

    def export_value(self, value, stored):
        return self.display(value, stored)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        field = self.form_field(value)
        field.required = bool(value.get("required"))
        context["bound_field"] = _PreviewForm(field).bound
        return context


class _PreviewForm(django_forms.Form):
    """One unbound field, rendered by the block's template for the admin preview."""

    def __init__(self, field):
        super().__init__()
        self.fields["preview"] = field
        self.bound = self["preview"]


# --- Text ---------------------------------------------------------------------------------------------------------


class ShortTextBlock(FieldBlock):
    min_length = blocks.IntegerBlock(label=_("Не короче, символов"), required=False, min_value=0)
    max_length = blocks.IntegerBlock(label=_("Не длиннее, символов"), required=False, min_value=1, default=255)
    pattern = blocks.CharBlock(
        label=_("Шаблон (регулярное выражение)"),
        required=False,
        max_length=255,
        help_text=_("Например, ^\\d{6}$ — шесть цифр почтового индекса."),
    )
    pattern_message = blocks.CharBlock(
        label=_("Сообщение, если не подходит под шаблон"),
        required=False,
        max_length=255,
        help_text=_("Например: «Индекс — шесть цифр»."),
    )

    class Meta:
        icon = "form"
        label = _("Строка текста")
        description = _("Короткий ответ в одну строку: название, ФИО, адрес.")
        preview_value = {"label": "Название проекта", "help_text": "Коротко, до 150 символов.", "required": True}

    def clean(self, value):
        value = super().clean(value)
        if value.get("pattern"):
            try:
                re.compile(value["pattern"])
            except re.error:
                raise StructBlockValidationError(
                    block_errors={"pattern": ValidationError(_("Шаблон записан с ошибкой: проверьте скобки и «\\»."))}
                ) from None
        _check_range(value, "min_length", "max_length")
        return value

    def build_field(self, value):
        validators = []
        if value.get("pattern"):
            message = value.get("pattern_message") or _("Ответ не подходит под требуемый формат.")
            validators.append(RegexValidator(value["pattern"], message))
        return django_forms.CharField(
            max_length=value.get("max_length") or 255,
            min_length=value.get("min_length") or None,
            validators=validators,
        )


class LongTextBlock(FieldBlock):
    min_length = blocks.IntegerBlock(label=_("Не короче, символов"), required=False, min_value=0)
    max_length = blocks.IntegerBlock(label=_("Не длиннее, символов"), required=False, min_value=1, default=5000)

    class Meta:
        icon = "pilcrow"
        label = _("Абзац текста")
        description = _("Развёрнутый ответ: описание проблемы, цели проекта.")
        preview_value = {"label": "Описание проблемы", "required": True, "max_length": 3000}

    def clean(self, value):
        value = super().clean(value)
        _check_range(value, "min_length", "max_length")
        return value

    def build_field(self, value):
        return django_forms.CharField(
            max_length=value.get("max_length") or 5000,
            min_length=value.get("min_length") or None,
            widget=django_forms.Textarea(attrs={"rows": 6}),
        )

    def to_storage(self, value, cleaned):
        return normalize_newlines(cleaned) if cleaned else cleaned


# --- Numbers ------------------------------------------------------------------------------------------------------


class NumberBlock(FieldBlock):
    min_value = blocks.DecimalBlock(label=_("Не меньше"), required=False)
    max_value = blocks.DecimalBlock(label=_("Не больше"), required=False)
    integer_only = blocks.BooleanBlock(label=_("Только целые числа"), required=False, default=False)
    unit = blocks.CharBlock(
        label=_("Единица измерения"), required=False, max_length=30, help_text=_("Например: чел., м².")
    )

    answer_kind = "number"
    decimal_places = 4

    class Meta:
        icon = "order"
        label = _("Число")
        description = _("Количество, площадь, число жителей.")
        preview_value = {"label": "Число жителей, которые получат пользу", "unit": "чел.", "integer_only": True}

    def clean(self, value):
        value = super().clean(value)
        _check_range(value, "min_value", "max_value")
        return value

    def build_field(self, value):
        places = 0 if value.get("integer_only") else self.decimal_places
        return answer_fields.RussianDecimalField(
            min_value=value.get("min_value"),
            max_value=value.get("max_value"),
            decimal_places=places,
            unit=value.get("unit") or "",
        )

    def to_storage(self, value, cleaned):
        return None if cleaned is None else answer_fields.plain_decimal(cleaned)

    def display(self, value, stored):
        if stored in (None, ""):
            return ""
        text = answer_fields.format_decimal(Decimal(stored))
        unit = value.get("unit")
        return f"{text} {unit}" if unit else text

    def export_value(self, value, stored):
        return None if stored in (None, "") else Decimal(stored)


class MoneyBlock(NumberBlock):
    answer_kind = "number"
    decimal_places = 2

    class Meta:
        icon = "doc-full-inverse"
        label = _("Сумма в рублях")
        description = _("Деньги: рубли с копейками, хранятся точно (без округления плавающей точкой).")
        preview_value = {"label": "Запрашиваемая сумма", "max_value": "1000000"}

    def build_field(self, value):
        return answer_fields.RussianDecimalField(
            min_value=value.get("min_value"), max_value=value.get("max_value"), decimal_places=2, unit="₽"
        )

    def to_storage(self, value, cleaned):
        return None if cleaned is None else str(cleaned.quantize(Decimal("0.01")))

    def display(self, value, stored):
        if stored in (None, ""):
            return ""
        return f"{answer_fields.format_decimal(Decimal(stored), places=2)} ₽"


class PercentBlock(NumberBlock):
    class Meta:
        icon = "order"
        label = _("Процент")
        description = _("Доля от 0 до 100 %.")
        preview_value = {"label": "Доля софинансирования жителей"}

    def build_field(self, value):
        low = value.get("min_value")
        high = value.get("max_value")
        return answer_fields.RussianDecimalField(
            min_value=max(low, Decimal(0)) if low is not None else Decimal(0),
            max_value=min(high, Decimal(100)) if high is not None else Decimal(100),
            decimal_places=2,
            unit="%",
        )

    def display(self, value, stored):
        if stored in (None, ""):
            return ""
        return f"{answer_fields.format_decimal(Decimal(stored))} %"


# --- Dates --------------------------------------------------------------------------------------------------------


class DateBlock(FieldBlock):
    min_date = blocks.DateBlock(label=_("Не раньше"), required=False)
    max_date = blocks.DateBlock(label=_("Не позже"), required=False)

    answer_kind = "date"

    class Meta:
        icon = "date"
        label = _("Дата")
        description = _("Одна дата: дата собрания, начала работ.")
        preview_value = {"label": "Дата собрания жителей"}

    def clean(self, value):
        value = super().clean(value)
        _check_range(value, "min_date", "max_date")
        return value

    def build_field(self, value):
        return answer_fields.RussianDateField(min_date=value.get("min_date"), max_date=value.get("max_date"))

    def to_storage(self, value, cleaned):
        return cleaned.isoformat() if cleaned else None

    def to_initial(self, value, stored):
        return parse_date(stored) if stored else None

    def display(self, value, stored):
        return date_format(parse_date(stored), "d.m.Y") if stored else ""

    def export_value(self, value, stored):
        return parse_date(stored) if stored else None


class DateRangeBlock(DateBlock):
    answer_kind = "date_range"

    class Meta:
        icon = "date"
        label = _("Период (с — по)")
        description = _("Две даты: сроки реализации проекта.")
        preview_value = {"label": "Сроки реализации проекта"}

    def build_field(self, value):
        return answer_fields.DateRangeField(min_date=value.get("min_date"), max_date=value.get("max_date"))

    def to_storage(self, value, cleaned):
        if not cleaned:
            return None
        start, end = cleaned
        return {"start": start.isoformat(), "end": end.isoformat()}

    def to_initial(self, value, stored):
        if not stored:
            return None
        return [parse_date(stored["start"]), parse_date(stored["end"])]

    def display(self, value, stored):
        if not stored:
            return ""
        start, end = parse_date(stored["start"]), parse_date(stored["end"])
        return f"{date_format(start, 'd.m.Y')} — {date_format(end, 'd.m.Y')}"

    def export_value(self, value, stored):
        return self.display(value, stored)


# --- Choices ------------------------------------------------------------------------------------------------------


def parse_options(text):
    """Options typed one per line, trimmed, blank lines and repeats dropped, order kept."""
    seen = []
    for line in normalize_newlines(text or "").split("\n"):
        option = line.strip()
        if option and option not in seen:
            seen.append(option)
    return seen


class ChoiceFieldBlock(FieldBlock):
    options = blocks.TextBlock(
        label=_("Варианты ответа"),
        rows=5,
        help_text=_(
            "По одному в строке. Ответ хранится текстом варианта: переименованный вариант не меняет прежние ответы."
        ),
    )

    def get_options(self, value):
        return parse_options(value.get("options"))

    def clean(self, value):
        value = super().clean(value)
        if len(self.get_options(value)) < 2:
            raise StructBlockValidationError(
                block_errors={
                    "options": ValidationError(_("Нужно хотя бы два варианта ответа, каждый в своей строке."))
                }
            )
        return value


class SingleChoiceBlock(ChoiceFieldBlock):
    widget = blocks.ChoiceBlock(
        label=_("Вид"),
        choices=[("radio", _("Переключатели")), ("select", _("Выпадающий список"))],
        default="radio",
    )

    answer_kind = "choice"

    class Meta:
        icon = "radio-full"
        label = _("Один вариант")
        description = _("Выбор одного ответа из списка.")
        preview_value = {"label": "Как часто вы бываете во дворе?", "options": "Каждый день\nРаз в неделю\nРеже"}

    def build_field(self, value):
        options = self.get_options(value)
        widget = django_forms.RadioSelect if value.get("widget", "radio") == "radio" else django_forms.Select
        choices = [(option, option) for option in options]
        if widget is django_forms.Select:
            choices = [("", _("— выберите —")), *choices]
        return django_forms.ChoiceField(
            choices=choices,
            widget=widget,
            error_messages={"invalid_choice": _("Выберите один из предложенных вариантов.")},
        )


class MultipleChoiceBlock(ChoiceFieldBlock):
    min_selections = blocks.IntegerBlock(label=_("Выбрать не меньше"), required=False, min_value=1)
    max_selections = blocks.IntegerBlock(label=_("Выбрать не больше"), required=False, min_value=1)

    answer_kind = "choices"

    class Meta:
        icon = "tasks"
        label = _("Несколько вариантов")
        description = _("Выбор нескольких ответов; можно задать, сколько выбрать не меньше и не больше.")
        preview_value = {
            "label": "Чего не хватает во дворе?",
            "options": "Детской площадки\nОсвещения\nЛавочек",
            "max_selections": 2,
        }

    def clean(self, value):
        value = super().clean(value)
        _check_range(value, "min_selections", "max_selections")
        high = value.get("max_selections")
        if high and high > len(self.get_options(value)):
            raise StructBlockValidationError(
                block_errors={"max_selections": ValidationError(_("Вариантов меньше, чем «выбрать не больше»."))}
            )
        return value

    def build_field(self, value):
        return answer_fields.BoundedMultipleChoiceField(
            choices=[(option, option) for option in self.get_options(value)],
            min_selections=value.get("min_selections"),
            max_selections=value.get("max_selections"),
        )

    def to_storage(self, value, cleaned):
        return list(cleaned or [])

    def display(self, value, stored):
        return "; ".join(stored or [])


class YesNoBlock(FieldBlock):
    answer_kind = "yes_no"

    class Meta:
        icon = "tick-inverse"
        label = _("Да / нет")
        description = _("Ответ «Да» или «Нет».")
        preview_value = {"label": "Проводилось ли собрание жителей?"}

    def build_field(self, value):
        return django_forms.TypedChoiceField(
            choices=[("yes", _("Да")), ("no", _("Нет"))],
            coerce=lambda answer: answer == "yes",
            empty_value=None,
            widget=django_forms.RadioSelect,
            error_messages={"invalid_choice": _("Ответьте «Да» или «Нет».")},
        )

    def is_empty(self, cleaned):
        return cleaned is None

    def to_initial(self, value, stored):
        return None if stored is None else ("yes" if stored else "no")

    def display(self, value, stored):
        if stored is None or stored == "":
            return ""
        return str(_("Да") if stored else _("Нет"))


# --- Contacts -----------------------------------------------------------------------------------------------------


class EmailBlock(FieldBlock):
    class Meta:
        icon = "mail"
        label = _("Электронная почта")
        description = _("Адрес электронной почты, проверяется по формату.")
        preview_value = {"label": "Электронная почта для связи"}

    def build_field(self, value):
        return django_forms.EmailField(
            max_length=254, error_messages={"invalid": _("Введите адрес почты целиком, например ivanova@mail.ru.")}
        )


class PhoneBlock(FieldBlock):
    class Meta:
        icon = "mobile-alt"
        label = _("Телефон")
        description = _("Российский номер: принимается в любой записи, хранится как +7XXXXXXXXXX.")
        preview_value = {"label": "Телефон для связи"}

    def build_field(self, value):
        return answer_fields.RussianPhoneField()

    def display(self, value, stored):
        return answer_fields.format_phone(stored) if stored else ""


class URLBlock(FieldBlock):
    class Meta:
        icon = "link"
        label = _("Ссылка")
        description = _("Адрес в интернете: страница ТОС, видео, публикация.")
        preview_value = {"label": "Страница ТОС в социальной сети"}

    def build_field(self, value):
        return django_forms.URLField(
            max_length=500,
            assume_scheme="https",
            error_messages={"invalid": _("Введите адрес страницы целиком, например https://vk.com/tos_example.")},
        )


# --- References ---------------------------------------------------------------------------------------------------


class MunicipalityBlock(FieldBlock):
    answer_kind = "choice"

    class Meta:
        icon = "site"
        label = _("Муниципальное образование")
        description = _("Выбор из справочника муниципальных образований Калужской области.")
        preview_value = {"label": "Муниципальное образование"}

    def build_field(self, value):
        from website.models import Municipality

        return answer_fields.ReferenceChoiceField(
            queryset=Municipality.objects.order_by("short_name"),
            label_from_instance=lambda municipality: municipality.short_name,
        )

    def to_storage(self, value, cleaned):
        return cleaned

    def display(self, value, stored):
        return stored.get("name", "") if stored else ""


class TOSBlock(FieldBlock):
    """A TOS chosen from the TOS profiles; until the TOS app registers its source, the name is typed."""

    answer_kind = "choice"

    class Meta:
        icon = "group"
        label = _("ТОС")
        description = _("Выбор ТОС из справочника профилей ТОС (пока справочника нет — название вводится текстом).")
        preview_value = {"label": "ТОС, от имени которого подаётся заявка"}

    def build_field(self, value):
        source = tos_choices()
        if source is None:
            return answer_fields.NamedReferenceTextField(max_length=255)
        return answer_fields.ReferenceChoiceField(queryset=source.queryset(), label_from_instance=source.label)

    def display(self, value, stored):
        return stored.get("name", "") if stored else ""


# --- Files and tables ---------------------------------------------------------------------------------------------


class FileUploadBlock(FieldBlock):
    allowed_extensions = blocks.CharBlock(
        label=_("Разрешённые типы файлов"),
        default="pdf, docx, xlsx, jpg, png",
        max_length=200,
        help_text=_("Расширения через запятую. Содержимое файла проверяется: exe, переименованный в pdf, не пройдёт."),
    )
    max_size_mb = blocks.IntegerBlock(label=_("Наибольший размер, МБ"), default=10, min_value=1, max_value=100)

    answer_kind = "file"

    class Meta:
        icon = "doc-full"
        label = _("Файл")
        description = _("Загрузка документа или фотографии. Файлы видят только автор и сотрудники платформы.")
        preview_value = {"label": "Протокол собрания жителей", "allowed_extensions": "pdf, jpg", "max_size_mb": 10}

    def extensions(self, value):
        return [
            item.strip().lower().lstrip(".")
            for item in (value.get("allowed_extensions") or "").split(",")
            if item.strip()
        ]

    def clean(self, value):
        value = super().clean(value)
        unknown = [ext for ext in self.extensions(value) if not re.match(r"^[a-z0-9]{1,10}$", ext)]
        if not self.extensions(value) or unknown:
            raise StructBlockValidationError(
                block_errors={
                    "allowed_extensions": ValidationError(_("Перечислите расширения через запятую: pdf, jpg."))
                }
            )
        return value

    def build_field(self, value):
        return answer_fields.PrivateFileField(
            extensions=self.extensions(value), max_bytes=(value.get("max_size_mb") or 10) * 1024 * 1024
        )

    def display(self, value, stored):
        if not stored:
            return ""
        return f"{stored['name']} ({answer_fields.format_size(stored['size'])})"


class RowsBlock(FieldBlock):
    item_label = blocks.CharBlock(label=_("Заголовок первого столбца"), default="Статья расходов", max_length=100)
    min_rows = blocks.IntegerBlock(label=_("Строк не меньше"), required=False, min_value=1, default=1)
    max_rows = blocks.IntegerBlock(label=_("Строк не больше"), required=False, min_value=1, max_value=100, default=30)

    answer_kind = "rows"

    class Meta:
        icon = "table"
        label = _("Таблица строк (смета)")
        description = _("Строки «наименование — количество — единица — цена»; сумма строки и итог считаются сами.")
        preview_value = {"label": "Смета расходов", "item_label": "Статья расходов"}

    def clean(self, value):
        value = super().clean(value)
        _check_range(value, "min_rows", "max_rows")
        return value

    def build_field(self, value):
        return answer_fields.CostRowsField(
            item_label=value.get("item_label") or str(_("Наименование")),
            min_rows=value.get("min_rows") or 0,
            max_rows=value.get("max_rows") or 30,
        )

    def is_empty(self, cleaned):
        return not cleaned or not cleaned.get("rows")

    def display(self, value, stored):
        if not stored or not stored.get("rows"):
            return ""
        lines = [
            f"{row['item']}: {answer_fields.format_decimal(Decimal(row['quantity']))} {row['unit']} × "
            f"{answer_fields.format_decimal(Decimal(row['unit_price']), places=2)} ₽ = "
            f"{answer_fields.format_decimal(Decimal(row['amount']), places=2)} ₽"
            for row in stored["rows"]
        ]
        lines.append(
            str(_("Итого: %(total)s ₽")) % {"total": answer_fields.format_decimal(Decimal(stored["total"]), 2)}
        )
        return "\n".join(lines)

    def export_value(self, value, stored):
        return None if not stored else Decimal(stored["total"])


class ConsentBlock(FieldBlock):
    """Consent to personal-data processing (152-ФЗ); always required. Its text is kept with each form version."""

    # Consent is always required: a note in place of the switch that could say otherwise.
    required = blocks.StaticBlock(
        label=_("Обязательное"), admin_text=_("Согласие всегда обязательно: без отметки ответ не отправить.")
    )
    text = blocks.RichTextBlock(
        label=_("Текст согласия"), features=["bold", "italic", "link"], default=DEFAULT_CONSENT_TEXT
    )

    answer_kind = "consent"

    class Meta:
        icon = "lock"
        label = _("Согласие на обработку персональных данных")
        description = _("Отметка согласия по 152-ФЗ: обязательна, время согласия сохраняется с ответом.")
        preview_value = {"label": "Я даю согласие на обработку персональных данных", "text": DEFAULT_CONSENT_TEXT}

    def form_field(self, value):
        field = super().form_field(value)
        field.consent_text = value.get("text")
        return field

    def build_field(self, value):
        return django_forms.BooleanField()

    def is_empty(self, cleaned):
        return not cleaned

    def to_storage(self, value, cleaned):
        from django.utils import timezone

        return {"accepted_at": timezone.now().isoformat()} if cleaned else None

    def to_initial(self, value, stored):
        return bool(stored)

    def display(self, value, stored):
        if not stored:
            return ""
        from django.utils.dateparse import parse_datetime
        from django.utils.timezone import localtime

        return str(_("Согласие дано %(when)s")) % {
            "when": date_format(localtime(parse_datetime(stored["accepted_at"])), "d.m.Y H:i")
        }


# --- Layout -------------------------------------------------------------------------------------------------------


class StepBreakBlock(blocks.StructBlock):
    """Starts a new step: the fields after it are on a page of their own, with a progress indicator."""

    title = blocks.CharBlock(label=_("Название шага"), max_length=255)
    description = blocks.TextBlock(label=_("Пояснение к шагу"), required=False, rows=2)

    is_field = False

    class Meta:
        icon = "arrow-right"
        label = _("Новый шаг")
        description = _(
            "Делит форму на шаги: поля ниже окажутся на следующей странице формы. Поставьте «Новый шаг» и в самое "
            "начало формы, чтобы у первого шага было название."
        )
        template = "forms/blocks/step_break.html"
        preview_value = {"title": "Бюджет проекта", "description": "Смета и софинансирование."}


class SectionHeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Заголовок"), max_length=255)

    is_field = False

    class Meta:
        icon = "title"
        label = _("Заголовок раздела")
        description = _("Заголовок внутри шага, чтобы разбить длинный шаг на части.")
        template = "forms/blocks/section_heading.html"
        preview_value = {"text": "Сведения о заявителе"}


class StaticTextBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("Текст"), features=["bold", "italic", "link", "ol", "ul"])

    is_field = False

    class Meta:
        icon = "doc-full"
        label = _("Пояснительный текст")
        description = _("Текст между вопросами: инструкция, ссылка на положение о конкурсе.")
        template = "forms/blocks/static_text.html"
        preview_value = {"text": "<p>Заполните сведения так, как они указаны в протоколе собрания.</p>"}


class FormFieldsBlock(blocks.StreamBlock):
    """The whole form. Cross-field rules are checked here: unique codes and conditions that point upwards."""

    step = StepBreakBlock()
    section_heading = SectionHeadingBlock()
    static_text = StaticTextBlock()
    short_text = ShortTextBlock()
    long_text = LongTextBlock()
    number = NumberBlock()
    money = MoneyBlock()
    percent = PercentBlock()
    date = DateBlock()
    date_range = DateRangeBlock()
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    yes_no = YesNoBlock()
    email = EmailBlock()
    phone = PhoneBlock()
    url = URLBlock()
    municipality = MunicipalityBlock()
    tos = TOSBlock()
    file = FileUploadBlock()
    rows = RowsBlock()
    consent = ConsentBlock()

    class Meta:
        label = _("Поля формы")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        codes = {}
        for index, child in enumerate(value):
            if not getattr(child.block, "is_field", False):
                continue
            code = child.value.get("code")
            condition = child.value.get("condition") or {}
            target = condition.get("field_code")
            if target:
                if target == code:
                    errors[index] = _condition_error(_("Поле не может зависеть от самого себя."))
                elif target not in codes:
                    errors[index] = _condition_error(
                        _("Поля с кодом «%(code)s» нет выше по форме. Условие может ссылаться только на поле выше.")
                        % {"code": target}
                    )
                else:
                    kind = codes[target].block.answer_kind
                    if condition.get("operator") in ConditionOperator.NUMERIC and kind != "number":
                        errors[index] = _condition_error(_("«Больше» и «меньше» сравнивают только числовые поля."))
            if code:
                if code in codes:
                    errors[index] = StructBlockValidationError(
                        block_errors={
                            "code": ValidationError(_("Код «%(code)s» уже занят другим полем.") % {"code": code})
                        }
                    )
                codes[code] = child
        if errors:
            raise StreamBlockValidationError(block_errors=errors)
        return value


def _condition_error(message):
    return StructBlockValidationError(
        block_errors={"condition": StructBlockValidationError(block_errors={"field_code": ValidationError(message)})}
    )


def _check_range(value, low_name, high_name):
    low, high = value.get(low_name), value.get(high_name)
    if low is not None and high is not None and low > high:
        raise StructBlockValidationError(block_errors={high_name: ValidationError(_("Верхняя граница меньше нижней."))})
