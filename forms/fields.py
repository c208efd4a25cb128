"""Django form fields behind the form-builder blocks: Russian numbers, dates and phones, files, cost rows."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forms.uploads import check_upload

SPACES = re.compile(r"[\s\u00a0\u202f]+")


def parse_russian_decimal(text):
    """«3 358,272», «30 000», «2.5» → Decimal; None when it is not a number."""
    cleaned = SPACES.sub("", str(text)).replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return None


def plain_decimal(number):
    """A Decimal as a plain string without exponent or trailing zeros: «1500», «2.5» (for storage and JSON)."""
    return format(number.normalize(), "f")


def format_decimal(number, places=None):
    """A Decimal the Russian way: «3 358,27» with a non-breaking space between thousands."""
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    else:
        number = number.normalize()
    sign = "-" if number < 0 else ""
    whole, _dot, fraction = format(abs(number), "f").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = "\u00a0".join(groups)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def format_size(size):
    """«1,2 МБ» in the reader's language (Django's filesizeformat)."""
    return filesizeformat(size)


class RussianDecimalField(forms.DecimalField):
    """Accepts «3 358,27» as well as «3358.27»; says what is wrong in Russian."""

    def __init__(self, *, unit="", decimal_places=None, **kwargs):
        self.unit = unit
        super().__init__(decimal_places=decimal_places, **kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        example = "12" if decimal_places == 0 else _("1500 или 2,5")
        self.error_messages["invalid"] = _("Введите число цифрами, например %(example)s.") % {"example": example}
        if decimal_places == 0:
            self.error_messages["max_decimal_places"] = _("Введите целое число, без дробной части.")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        number = parse_russian_decimal(value)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def prepare_value(self, value):
        if isinstance(value, str) and value and parse_russian_decimal(value) is not None:
            return format_decimal(parse_russian_decimal(value)).replace("\u00a0", " ")
        return value

    def widget_attrs(self, widget):
        return {}


class RussianDateField(forms.DateField):
    input_formats = ["%Y-%m-%d", "%d.%m.%Y"]

    def __init__(self, *, min_date=None, max_date=None, **kwargs):
        self.min_date, self.max_date = min_date, max_date
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)
        self.error_messages["invalid"] = _("Введите дату в виде ДД.ММ.ГГГГ, например 15.06.2026.")

    def validate(self, value):
        super().validate(value)
        if value and self.min_date and value < self.min_date:
            raise ValidationError(
                _("Дата не может быть раньше %(date)s.") % {"date": date_format(self.min_date, "d.m.Y")}
            )
        if value and self.max_date and value > self.max_date:
            raise ValidationError(
                _("Дата не может быть позже %(date)s.") % {"date": date_format(self.max_date, "d.m.Y")}
            )


class DateRangeWidget(forms.MultiWidget):
    template_name = "forms/widgets/date_range.html"

    def __init__(self, attrs=None):
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        super().__init__({"start": date_input, "end": date_input}, attrs)

    def decompress(self, value):
        return list(value) if value else [None, None]


class DateRangeField(forms.MultiValueField):
    widget = DateRangeWidget

    def __init__(self, *, min_date=None, max_date=None, **kwargs):
        fields = (
            RussianDateField(min_date=min_date, max_date=max_date),
            RussianDateField(min_date=min_date, max_date=max_date),
        )
        kwargs.setdefault("error_messages", {"incomplete": _("Укажите обе даты: начало и окончание.")})
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        start, end = [*data_list, None, None][:2]
        if not start or not end:
            raise ValidationError(_("Укажите обе даты: начало и окончание."))
        if end < start:
            raise ValidationError(_("Дата окончания раньше даты начала."))
        return (start, end)


class BoundedMultipleChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, min_selections=None, max_selections=None, **kwargs):
        self.min_selections, self.max_selections = min_selections, max_selections
        super().__init__(**kwargs)
        self.error_messages["invalid_choice"] = _("«%(value)s» — нет среди вариантов ответа. Выберите из списка.")

    def validate(self, value):
        super().validate(value)
        count = len(value or [])
        if count and self.min_selections and count < self.min_selections:
            raise ValidationError(
                ngettext(
                    "Выберите не меньше %(count)d варианта.",
                    "Выберите не меньше %(count)d вариантов.",
                    self.min_selections,
                )
                % {"count": self.min_selections}
            )
        if self.max_selections and count > self.max_selections:
            raise ValidationError(
                ngettext(
                    "Выберите не больше %(count)d варианта.",
                    "Выберите не больше %(count)d вариантов.",
                    self.max_selections,
                )
                % {"count": self.max_selections}
            )


class RussianPhoneField(forms.CharField):
    """Any common Russian spelling of a number → «+7XXXXXXXXXX»."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        return normalise_phone(value)

    def prepare_value(self, value):
        return format_phone(value) if value and str(value).startswith("+7") else value

    def widget_attrs(self, widget):
        return {}


def normalise_phone(text):
    if re.search(r"[^\d\s()+\-.\u00a0]", text):
        raise ValidationError(_("В номере телефона могут быть только цифры, пробелы, скобки, «+» и «-»."))
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10 or digits[0] not in "3489":
        raise ValidationError(_("Введите российский номер: 10 цифр после +7, например +7 910 123-45-67."))
    return f"+7{digits}"


def format_phone(stored):
    digits = stored[2:]
    if len(digits) != 10:
        return stored
    return f"+7 ({digits[:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:]}"


class ReferenceChoiceField(forms.ModelChoiceField):
    """A record from a reference list, stored as its id and its name at the time of answering."""

    def __init__(self, *, queryset, label_from_instance, **kwargs):
        self._label = label_from_instance
        super().__init__(queryset=queryset, empty_label=_("— выберите —"), **kwargs)
        self.error_messages["invalid_choice"] = _("Такого значения нет в справочнике. Выберите из списка.")

    def label_from_instance(self, obj):
        return self._label(obj)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return value.get("id")
        return super().prepare_value(value)

    def clean(self, value):
        record = super().clean(value)
        return {"id": record.pk, "name": self._label(record)} if record else None


class NamedReferenceTextField(forms.CharField):
    """A reference typed as a name while its reference list does not exist yet."""

    def prepare_value(self, value):
        return value.get("name") if isinstance(value, dict) else value

    def clean(self, value):
        text = super().clean(value)
        return {"name": text} if text else None


FILE_CLEARED = "__cleared__"


class PrivateFileInput(forms.FileInput):
    """A file input that shows the file already kept in the draft and offers to remove it."""

    template_name = "forms/widgets/private_file.html"

    def __init__(self, attrs=None, extensions=(), max_bytes=0):
        super().__init__(attrs)
        self.extensions, self.max_bytes = extensions, max_bytes

    def get_context(self, name, value, attrs):
        attrs = {**(attrs or {}), "accept": ",".join(f".{ext}" for ext in self.extensions)}
        context = super().get_context(name, None, attrs)
        context["widget"]["stored"] = value if isinstance(value, dict) else None
        context["widget"]["clear_name"] = f"{name}-clear"
        context["widget"]["extensions"] = ", ".join(self.extensions)
        context["widget"]["max_mb"] = self.max_bytes // (1024 * 1024)
        return context

    def value_from_datadict(self, data, files, name):
        upload = files.get(name)
        if upload:
            return upload
        if data.get(f"{name}-clear"):
            return FILE_CLEARED
        return None

    def value_omitted_from_data(self, data, files, name):
        return name not in files and f"{name}-clear" not in data


class PrivateFileField(forms.Field):
    """Returns the checked upload, FILE_CLEARED, or None (keep what the draft has)."""

    def __init__(self, *, extensions, max_bytes, **kwargs):
        self.extensions, self.max_bytes = extensions, max_bytes
        kwargs.setdefault("widget", PrivateFileInput(extensions=extensions, max_bytes=max_bytes))
        super().__init__(**kwargs)

    def clean(self, value):
        if value is None or value == FILE_CLEARED:
            return value
        check_upload(value, self.extensions, self.max_bytes)
        return value

    def bound_data(self, data, initial):
        return initial if data in (None, FILE_CLEARED) else data


class CostRowsWidget(forms.Widget):
    """Rows of «наименование — количество — единица — цена»; the browser adds rows, the server recomputes sums."""

    template_name = "forms/widgets/cost_rows.html"
    columns = ("item", "quantity", "unit", "unit_price")

    def __init__(self, attrs=None, item_label="", min_rows=0, max_rows=30):
        super().__init__(attrs)
        self.item_label, self.min_rows, self.max_rows = item_label, min_rows, max_rows

    def value_from_datadict(self, data, files, name):
        rows = []
        for index in range(self.max_rows):
            row = {column: (data.get(f"{name}-{index}-{column}") or "").strip() for column in self.columns}
            rows.append(row)
        while rows and not any(rows[-1].values()):
            rows.pop()
        return {"rows": rows}

    def value_omitted_from_data(self, data, files, name):
        return not any(key.startswith(f"{name}-") for key in data)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = list((value or {}).get("rows") or [])
        shown = min(self.max_rows, max(len(rows) + 1, self.min_rows, 3))
        rows += [dict.fromkeys(self.columns, "") for _i in range(shown - len(rows))]
        for row in rows:
            for column in ("quantity", "unit_price"):
                number = parse_russian_decimal(row.get(column) or "")
                if (
                    number is not None
                    and isinstance(row.get(column), str)
                    and "." in row[column]
                    and "," not in row[column]
                ):
                    row[column] = row[column].replace(".", ",")
        context["widget"].update(
            rows=[(index, row) for index, row in enumerate(rows)],
            item_label=self.item_label,
            max_rows=self.max_rows,
            total=(value or {}).get("total"),
        )
        return context


class CostRowsField(forms.Field):
    def __init__(self, *, item_label, min_rows=0, max_rows=30, **kwargs):
        self.min_rows, self.max_rows = min_rows, max_rows
        kwargs.setdefault("widget", CostRowsWidget(item_label=item_label, min_rows=min_rows, max_rows=max_rows))
        super().__init__(**kwargs)

    def clean(self, value):
        raw_rows = (value or {}).get("rows") or []
        rows, errors = [], []
        for number, raw in enumerate(raw_rows, start=1):
            if not any((raw.get(column) or "").strip() for column in CostRowsWidget.columns):
                continue
            item = (raw.get("item") or "").strip()
            quantity = parse_russian_decimal(raw.get("quantity") or "")
            price = parse_russian_decimal(raw.get("unit_price") or "")
            problems = []
            if not item:
                problems.append(_("укажите наименование"))
            if quantity is None or quantity <= 0:
                problems.append(_("количество — положительное число, например 12 или 2,5"))
            if price is None or price < 0:
                problems.append(_("цена — число рублей, например 1500 или 349,90"))
            elif price != price.quantize(Decimal("0.01")):
                problems.append(_("в цене не больше двух знаков после запятой"))
            if len(item) > 255:
                problems.append(_("наименование не длиннее 255 символов"))
            if problems:
                errors.append(
                    _("Строка %(number)d: %(problems)s.")
                    % {"number": number, "problems": "; ".join(map(str, problems))}
                )
                continue
            amount = (quantity * price).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            rows.append(
                {
                    "item": item,
                    "quantity": format(quantity.normalize(), "f"),
                    "unit": (raw.get("unit") or "").strip()[:30],
                    "unit_price": str(price.quantize(Decimal("0.01"))),
                    "amount": str(amount),
                }
            )
        if errors:
            raise ValidationError(errors)
        if rows and self.min_rows and len(rows) < self.min_rows:
            raise ValidationError(
                ngettext("Заполните не меньше %(count)d строки.", "Заполните не меньше %(count)d строк.", self.min_rows)
                % {"count": self.min_rows}
            )
        if not rows:
            return None
        total = sum((Decimal(row["amount"]) for row in rows), Decimal("0.00"))
        return {"rows": rows, "total": str(total)}
