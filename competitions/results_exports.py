"""A published result as open data: one flat table (CSV, XLSX) and the same rows with the rules (JSON).

Everything is read from the snapshot fixed at the close of scoring (``ScoringRound.results``), so the files never
change after publication and always agree with the public page and the protocol. The snapshot holds no expert:
no names, no e-mails, no per-expert scores, so none can leak here. The columns and their meaning are documented
in docs/ru/results-open-data.md; keep that page in step with ``columns()``.
"""

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from competitions import ranking
from forms.exports import neutralised, sheet_title

FORMATS = ("csv", "xlsx", "json")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}
SCHEMA_VERSION = 1
XLSX_FORMATS = {"score": "0.00", "money": "#,##0.00", "points": "0.##"}


@dataclass(frozen=True)
class Column:
    """``key`` is the stable machine name (the CSV header, the JSON key); ``label`` the Russian heading.

    ``kind``: int, text, exact (an exact score as text), score (2 places), points, money, bool.
    """

    key: str
    label: str
    kind: str
    criterion_id: str = ""


def criterion_key(criterion, taken):
    """A criterion's column: «mean:<code>» for an expert criterion, «points:<code>» for a computed one; the name
    stands in for a missing code, and a repeated one gets «~2», «~3»…"""
    prefix = "mean" if criterion["kind"] == "expert" else "points"
    base = f"{prefix}:{criterion.get('code') or criterion['name']}"
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}~{number}"
    taken.add(key)
    return key


def columns(results):
    fixed = [
        Column("rank", _("Место"), "int"),
        Column("number", _("Номер заявки"), "text"),
        Column("title", _("Проект"), "text"),
        Column("applicant", _("Заявитель"), "text"),
        Column("nomination", _("Номинация"), "text"),
        Column("final_score", _("Итоговый балл (точно)"), "exact"),
        Column("final_score_rounded", _("Итоговый балл"), "score"),
        Column("eligible", _("Не ниже проходного балла"), "bool"),
        Column("standing", _("Итог (код)"), "text"),
        Column("standing_label", _("Итог"), "text"),
        Column("requested", _("Запрошено, ₽"), "money"),
        Column("granted", _("Присуждено, ₽"), "money"),
    ]
    taken = {column.key for column in fixed}
    per_criterion = []
    for criterion in results["criteria"]:
        if criterion["kind"] == "expert":
            label = _("%(name)s — средний балл экспертов") % {"name": criterion["name"]}
            kind = "score"
        else:
            label = _("%(name)s — баллы") % {"name": criterion["name"]}
            kind = "points"
        per_criterion.append(Column(criterion_key(criterion, taken), label, kind, criterion_id=criterion["id"]))
    return fixed + per_criterion


def _decimal(text):
    return None if text in (None, "") else Decimal(text)


def criterion_value(row, column):
    if column.kind == "score":
        mean = row["criterion_means"].get(column.criterion_id)
        return None if mean is None else ranking.shown(Fraction(mean))
    computed = row["computed"].get(column.criterion_id)
    return None if computed is None else _decimal(computed["points"])


def records(results, table_columns=None):
    """One dict per application in ranking order: column key → value (Decimal, int, bool, str or None)."""
    table_columns = table_columns or columns(results)
    found = []
    for row in results["rows"]:
        record = {
            "rank": row["rank"],
            "number": row["number"],
            "title": row["title"],
            "applicant": row["applicant"],
            "nomination": row["nomination"] or "",
            "final_score": row["final_score"],
            "final_score_rounded": _decimal(row["final_score_shown"]),
            "eligible": bool(row["eligible"]),
            "standing": row["standing"],
            "standing_label": str(ranking.Standing.LABELS.get(row["standing"], row["standing"])),
            "requested": _decimal(row["requested_amount"]),
            "granted": _decimal(row["granted"]),
        }
        for column in table_columns:
            if column.criterion_id:
                record[column.key] = criterion_value(row, column)
        found.append(record)
    return found


def filename(competition, extension):
    return f"results-{competition.year}-{competition.pk}.{extension}"


def _response(content, fmt, competition):
    """CSV and XLSX download; JSON opens in the browser too."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "json" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename(competition, fmt)}"'
    return response


# --- CSV --------------------------------------------------------------------------------------------------------


def csv_cell(value, kind):
    """As the secretary's export writes cells: decimal comma, text that looks like a formula gets an apostrophe."""
    if value is None:
        return ""
    if kind == "bool":
        return _("да") if value else _("нет")
    if kind == "exact":
        return value.replace(".", ",")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return neutralised(str(value))


def csv_bytes(results):
    """CSV for Excel in Russian: UTF-8 with a BOM, «;» between cells, decimal comma; one header row of keys."""
    table_columns = columns(results)
    stream = io.StringIO()
    stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=";")
    writer.writerow([column.key for column in table_columns])
    for record in records(results, table_columns):
        writer.writerow([csv_cell(record[column.key], column.kind) for column in table_columns])
    return stream.getvalue().encode("utf-8")


# --- XLSX -------------------------------------------------------------------------------------------------------


def _xlsx_cell(sheet, value, kind, font=None):
    if kind == "bool" and value is not None:
        value = _("да") if value else _("нет")
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text, never a formula, whatever it begins with
    elif kind in XLSX_FORMATS and value is not None:
        cell.number_format = XLSX_FORMATS[kind]
    if font:
        cell.font = font
    return cell


def xlsx_bytes(results, *, title):
    """One sheet: the Russian headings, the keys, then a row per application; numbers stay numbers."""
    table_columns = columns(results)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    sheet.freeze_panes = "C3"
    for index, column in enumerate(table_columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(50, max(12, len(column.label) + 2))
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, column.label, "text", font=bold) for column in table_columns])
    sheet.append([_xlsx_cell(sheet, column.key, "text") for column in table_columns])
    for record in records(results, table_columns):
        sheet.append([_xlsx_cell(sheet, record[column.key], column.kind) for column in table_columns])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


# --- JSON -------------------------------------------------------------------------------------------------------


def _json_value(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def json_document(competition, scoring_round, results, *, page_url=""):
    """The rows with the rules they were computed by; numbers with a fraction are strings, never floats."""
    table_columns = columns(results)
    rules = results["rules"]
    allocation_texts = dict(ranking.ALLOCATION_RULES)
    tie_break_texts = dict(ranking.TIE_BREAKS)
    return {
        "schema_version": SCHEMA_VERSION,
        "competition": {
            "title": competition.title,
            "year": competition.year,
            "organiser": competition.organiser,
            "legal_basis": competition.legal_basis,
            "url": page_url,
        },
        "closed_at": scoring_round.closed_at.isoformat() if scoring_round.closed_at else None,
        "published_at": scoring_round.published_at.isoformat() if scoring_round.published_at else None,
        "rules": {
            "passing_score": rules["passing_score"],
            "fund": rules["fund"],
            "max_per_project": rules["max_per_project"],
            "allocation_rule": rules["allocation_rule"],
            "allocation_rule_text": str(allocation_texts.get(rules["allocation_rule"], "")),
            "tie_breaks": [
                {"rule": rule, "text": str(tie_break_texts.get(rule, rule))} for rule in rules["tie_breaks"]
            ],
            "sheet_version": rules["sheet_version"],
        },
        "criteria": [
            {
                "column": column.key,
                "name": criterion["name"],
                "code": criterion["code"],
                "kind": criterion["kind"],
                "weight": criterion["weight"],
                "weight_rules": criterion["weight_rules"],
                "min_score": criterion["min_score"],
                "max_score": criterion["max_score"],
                "source": criterion["source"],
            }
            for criterion, column in zip(
                results["criteria"], [column for column in table_columns if column.criterion_id], strict=True
            )
        ],
        "pools": [
            {
                "name": pool["name"] or str(_("Общий фонд конкурса")),
                "nomination": pool["name"] or None,
                "fund": pool["fund"],
                "granted": pool["granted"],
                "remaining": pool["remaining"],
            }
            for pool in results["pools"]
        ],
        "passing_line_after": results["passing_line_after"],
        "columns": [{"key": column.key, "label": column.label, "type": column.kind} for column in table_columns],
        "rows": [
            {column.key: _json_value(record[column.key]) for column in table_columns}
            for record in records(results, table_columns)
        ],
    }


def export_response(competition, scoring_round, results, fmt, *, page_url=""):
    if fmt == "csv":
        return _response(csv_bytes(results), fmt, competition)
    if fmt == "xlsx":
        return _response(xlsx_bytes(results, title=_("Итоги %(year)s") % {"year": competition.year}), fmt, competition)
    document = json_document(competition, scoring_round, results, page_url=page_url)
    return _response(json.dumps(document, ensure_ascii=False, indent=2), fmt, competition)
