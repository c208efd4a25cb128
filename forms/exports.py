"""The table of a form's submitted answers, and its CSV and XLSX files.

One row per submitted answer; drafts are not exported. Columns: a few about the answer itself, then one
per field across every version of the form — the fields of the newest version in its order, then fields
removed since, headed «… (поле удалено)», so that old answers keep their column. The header is the
field's label in the newest version that has it; each cell is read with the answer's own version of the
field, so an answer reads as its author gave it. Layout blocks (steps, headings, text) are not columns.

Two header rows: the question, then the field's code (the stable name a methodologist gives a column;
empty where none is set).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.timezone import get_default_timezone, localtime
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from forms.models import FormVersion, Submission

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {"money": "#,##0.00", "rows": "#,##0.00", "date": "DD.MM.YYYY"}
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
MOSCOW = get_default_timezone()  # settings.TIME_ZONE, not the time zone an admin may have picked in their profile


class ExportError(Exception):
    """An answer that cannot be written; the message names the answer and the field."""


@dataclass(frozen=True)
class Column:
    label: str
    code: str
    field_id: str = ""
    block_type: str = ""


def meta_columns():
    return [
        Column(_("№ ответа"), "submission"),
        Column(_("Статус"), "status"),
        Column(_("Отправлен (мск)"), "submitted_at"),
        Column(_("Автор (ФИО)"), "author"),
        Column(_("E-mail автора"), "author_email"),
        Column(_("Версия формы"), "form_version"),
    ]


def field_columns(versions):
    """A column per field of any version, newest version first; ``versions`` come newest first."""
    columns, seen = [], set()
    for position, version in enumerate(versions):
        for item in version.form.fields:
            if item.id in seen:
                continue
            seen.add(item.id)
            label = item.label if position == 0 else _("%(label)s (поле удалено)") % {"label": item.label}
            columns.append(Column(label, item.code, item.id, item.block_type))
    return columns


class AnswerTable:
    """The submitted answers of one form, up to a moment (so the count and the rows agree)."""

    def __init__(self, page_id, *, submitted_until):
        versions = list(FormVersion.objects.filter(page_id=page_id).order_by("-number"))
        self.forms = {version.pk: version.form for version in versions}
        self.version_numbers = {version.pk: version.number for version in versions}
        self.status_labels = {value: str(label) for value, label in Submission.Status.choices}  # translated once
        self.fields = field_columns(versions)
        self.columns = [*meta_columns(), *self.fields]
        self.submissions = Submission.objects.submitted().filter(page_id=page_id, submitted_at__lte=submitted_until)

    def count(self):
        return self.submissions.count()

    def rows(self, chunk_size=500):
        ordered = self.submissions.select_related("user").order_by("submitted_at", "pk")
        for submission in ordered.iterator(chunk_size=chunk_size):
            yield self.row(submission)

    def row(self, submission):
        user = submission.user
        meta = [
            submission.pk,
            self.status_labels[submission.status],
            localtime(submission.submitted_at, MOSCOW).replace(tzinfo=None, second=0, microsecond=0),
            user.display_name if user else _("без входа"),
            user.email if user else "",
            self.version_numbers[submission.version_id],
        ]
        form = self.forms[submission.version_id]
        return meta + [self._cell(submission, form.by_id.get(column.field_id)) for column in self.fields]

    @staticmethod
    def _cell(submission, item):
        """The answer as its own version of the field gives it; a field its version lacks stays empty."""
        if item is None:
            return None
        stored = submission.data.get(item.id)
        try:
            value = item.export_value(stored)
        except (ValueError, TypeError, KeyError, ArithmeticError) as error:
            raise ExportError(
                _("Ответ № %(number)d, поле «%(label)s»: сохранённое значение не читается (%(value)s).")
                % {"number": submission.pk, "label": item.label, "value": repr(stored)[:100]}
            ) from error
        return None if value == "" else value


def neutralised(text):
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, int):
        return str(value)
    return neutralised(str(value))


def write_csv(table, binary_file, on_row):
    """CSV for Excel in Russian: UTF-8 with a BOM (else Excel reads it as cp1251), «;» between cells (Russian
    Excel expects it, since the comma is the decimal separator), decimal comma, dates as ДД.ММ.ГГГГ. Text that
    begins with = + - @ gets a leading apostrophe, so a spreadsheet never runs an answer as a formula.
    Returns the number of answers written; ``on_row(count)`` is called after each.
    """
    stream = io.TextIOWrapper(binary_file, encoding="utf-8-sig", newline="")
    writer = csv.writer(stream, delimiter=";")
    writer.writerow([column.label for column in table.columns])
    writer.writerow([column.code for column in table.columns])
    count = 0
    for count, row in enumerate(table.rows(), start=1):
        writer.writerow([csv_text(value) for value in row])
        on_row(count)
    stream.flush()
    stream.detach()
    return count


def write_xlsx(table, binary_file, on_row, *, title):
    """One sheet, streamed row by row. Numbers and sums stay numbers, dates are dates; text is stored as text,
    never as a formula, whatever it begins with. Returns the number of answers written.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    sheet.freeze_panes = "A3"
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(12, len(column.label) + 2))
    formats = [NUMBER_FORMATS.get(column.block_type, "") for column in table.columns]
    bold = Font(bold=True)
    for header in ([column.label for column in table.columns], [column.code for column in table.columns]):
        sheet.append([_xlsx_cell(sheet, text, "", font=bold) for text in header])
    count = 0
    for count, row in enumerate(table.rows(), start=1):
        sheet.append(
            [_xlsx_cell(sheet, value, number_format) for value, number_format in zip(row, formats, strict=True)]
        )
        on_row(count)
    workbook.save(binary_file)
    return count


def _xlsx_cell(sheet, value, number_format, font=None):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif number_format and value is not None:
        cell.number_format = number_format
    if font:
        cell.font = font
    return cell


def sheet_title(text):
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in text).strip()
    return cleaned[:31] or _("Ответы")
