"""The published result: the public page with its cut-off and funding lines, the open data (CSV, XLSX, JSON), the
PDF protocol, the applicant's «Итоги экспертизы» in the cabinet and the «Итоги конкурса» on the competition page.

The result used throughout (3 experts score every application; passing score 15; fund 2 000 000 ₽, 970 000 ₽ each):

=====  ========================  ==================================================  ===============  =============
rank   project                    expert totals (relevance×2 + budget) + residents   final            standing
=====  ========================  ==================================================  ===============  =============
1      Сквер у школы              26, 22, 22 → 70/3, + 1                              73/3 ≈ 24,33     funded
2      Детская площадка           22, 22, 22 → 22, + 1                                23               funded
3      Освещение двора            19, 19, 19 → 19, + 1                                20               no fund left
4      =СУММ(1;2) лавочки         8, 8, 8 → 8, + 1                                    9                below passing
=====  ========================  ==================================================  ===============  =============
"""

import csv
import io
import json
import shutil
import subprocess
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from competitions import scoring
from competitions.models import CompetitionPage, ExpertAssignment
from competitions.results_exports import columns
from competitions.results_views import ranking_items
from tests.competitions.scoring_factories import admitted_application, make_expert, run_assignment, score, set_sheet

pytestmark = pytest.mark.django_db

EXPERT_NAMES = ["Иванова Мария Петровна", "Сидоров Пётр Ильич", "Кузнецова Анна Олеговна"]
SHEETS = {
    "Сквер у школы": [("9", "8"), ("8", "6"), ("8", "6")],
    "Детская площадка": [("8", "6"), ("8", "6"), ("8", "6")],
    "Освещение двора": [("7", "5"), ("7", "5"), ("7", "5")],
    "=СУММ(1;2) лавочки": [("3", "2"), ("3", "2"), ("3", "2")],
}


def results_url(competition, name="results", *args):
    return competition.url + competition.reverse_subpage(name, args=args)


def text(response):
    return response.content.decode()


def build_result(competition, secretary, *, show_comments=True, publish=True):
    set_sheet(
        competition,
        experts_per_application=3,
        passing_score=Decimal("15"),
        show_comments_to_applicants=show_comments,
    )
    CompetitionPage.objects.filter(pk=competition.pk).update(fund=Decimal("2000000"))
    competition.refresh_from_db()
    applications = {
        title: admitted_application(competition, secretary, title=title, group_name=f"Жители: {title}")
        for title in SHEETS
    }
    experts = [make_expert(competition, name=f"Эксперт{n}", full_name=name) for n, name in enumerate(EXPERT_NAMES)]
    run_assignment(competition, secretary)
    for title, sheets in SHEETS.items():
        assignments = ExpertAssignment.objects.filter(application=applications[title]).order_by("pk")
        for position, (item, (relevance, budget)) in enumerate(zip(assignments, sheets, strict=True), start=1):
            comments = {"relevance": f"Замечание эксперта {position}: проблема описана без цифр."}
            score(
                item,
                {"relevance": relevance, "budget": budget},
                comments=comments,
                recommendation=f"Рекомендация эксперта {position}: поддержать с уточнением сметы.",
            )
    scoring.close(competition, secretary)
    if publish:
        scoring.publish(competition, secretary)
    competition.refresh_from_db()
    return SimpleNamespace(competition=competition, applications=applications, experts=experts, secretary=secretary)


@pytest.fixture
def published(competition, secretary):
    return build_result(competition, secretary)


# --- Before publication: nothing anywhere -----------------------------------------------------------------------


def test_nothing_is_shown_before_publication_not_even_to_the_applicant(client, competition, secretary):
    result = build_result(competition, secretary, publish=False)
    owner = result.applications["Сквер у школы"].applicant
    for user in (None, secretary, owner):
        if user:
            client.force_login(user)
        for url in (
            results_url(competition),
            results_url(competition, "results_protocol"),
            *(results_url(competition, "results_export", fmt) for fmt in ("csv", "xlsx", "json")),
        ):
            assert client.get(url).status_code == 404, url
    page = text(client.get(competition.url))
    assert "Итоги конкурса" not in page
    cabinet = text(client.get(reverse("competitions:application", args=[result.applications["Сквер у школы"].pk])))
    assert "Итоги ещё не опубликованы" in cabinet
    assert "Эксперт 1" not in cabinet


def test_an_unknown_export_format_is_not_found(client, published):
    response = client.get(results_url(published.competition, "results_export", "docx"))
    assert response.status_code == 404


# --- The public page --------------------------------------------------------------------------------------------


def test_the_page_shows_the_ranking_with_the_funding_and_cut_off_lines(client, published):
    page = text(client.get(results_url(published.competition)))
    order = [
        page.index(title) for title in ("Сквер у школы", "Детская площадка", "Освещение двора", "СУММ(1;2) лавочки")
    ]
    assert order == sorted(order)
    funding_line = page.index("Граница финансирования: остаток фонда 60\u00a0000,00 ₽")
    cutoff_line = page.index("Проходной балл: 15,00 — ниже линии заявки не поддерживаются")
    assert order[1] < funding_line < order[2] < cutoff_line < order[3]
    assert "24,33" in page and "точно: 73/3" in page
    assert page.count("970\u00a0000,00 ₽") >= 4  # requested by everyone, granted to the first two
    assert "1\u00a0940\u00a0000,00 ₽" in page  # granted from the fund
    for label in ("поддержана", "не хватило фонда", "ниже проходного балла"):
        assert label in page
    assert "Среднее арифметическое итогов экспертов" in page or "среднее арифметическое итогов экспертов" in page
    assert "выше доля софинансирования жителей" in page


def test_the_chart_writes_each_score_beside_its_bar(client, published):
    page = text(client.get(results_url(published.competition)))
    chart = page[page.index('id="results-chart-title"') :]
    assert "<strong>24,33</strong> — поддержана" in chart
    assert "<strong>9,00</strong> — ниже проходного балла" in chart
    assert 'style="width: 100.00%"' in chart  # the best score is the full bar


def test_the_page_and_files_never_name_an_expert(client, published):
    secret = [*EXPERT_NAMES, *(expert.user.email for expert in published.experts)]
    competition = published.competition
    shown = [
        text(client.get(results_url(competition))),
        text(client.get(results_url(competition, "results_export", "csv"))),
        text(client.get(results_url(competition, "results_export", "json"))),
        json.dumps(scoring.published_results(competition), ensure_ascii=False),  # what the PDF is drawn from
    ]
    workbook = load_workbook(io.BytesIO(client.get(results_url(competition, "results_export", "xlsx")).content))
    shown.append(" ".join(str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row))
    for content in shown:
        for name in secret:
            assert name not in content


# --- Open data --------------------------------------------------------------------------------------------------


def test_csv_is_excel_ready_exact_and_formula_safe(client, published):
    response = client.get(results_url(published.competition, "results_export", "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, first, *_rest, last = rows
    assert header[:12] == [
        "rank",
        "number",
        "title",
        "applicant",
        "nomination",
        "final_score",
        "final_score_rounded",
        "eligible",
        "standing",
        "standing_label",
        "requested",
        "granted",
    ]
    assert header[12:] == ["mean:Актуальность проблемы", "mean:Реалистичность сметы", "points:Софинансирование жителей"]
    record = dict(zip(header, first, strict=True))
    assert record["final_score"] == "73/3"
    assert record["final_score_rounded"] == "24,33"
    assert record["granted"] == "970000,00"
    assert record["eligible"] == "да"
    assert record["mean:Актуальность проблемы"] == "8,33"
    assert record["points:Софинансирование жителей"] == "1"
    below = dict(zip(header, last, strict=True))
    assert below["title"] == "'=СУММ(1;2) лавочки"
    assert below["granted"] == ""
    assert below["standing"] == "below_passing"


def test_xlsx_keeps_numbers_as_numbers_and_text_as_text(client, published):
    response = client.get(results_url(published.competition, "results_export", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    labels, keys, first, *_rest, last = list(sheet.iter_rows(values_only=True))
    assert labels[0] == "Место" and keys[0] == "rank"
    record = dict(zip(keys, first, strict=True))
    assert record["rank"] == 1
    assert record["final_score"] == "73/3"
    assert record["final_score_rounded"] == pytest.approx(24.33)
    assert record["granted"] == pytest.approx(970000)
    assert isinstance(record["requested"], int | float)
    below = dict(zip(keys, last, strict=True))
    assert below["title"] == "=СУММ(1;2) лавочки"  # stored as a string cell, never a formula
    cell = next(cell for cell in sheet[sheet.max_row] if cell.value == "=СУММ(1;2) лавочки")
    assert cell.data_type == "s"


def test_json_has_the_rows_and_the_rules_with_exact_numbers(client, published):
    response = client.get(results_url(published.competition, "results_export", "json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.content)
    assert document["schema_version"] == 1
    assert document["rules"]["passing_score"] == "15.00"
    assert document["rules"]["allocation_rule"] == "skip"
    assert [rule["rule"] for rule in document["rules"]["tie_breaks"]] == ["residents_share", "earlier_submission"]
    assert [row["title"] for row in document["rows"]] == list(SHEETS)
    first = document["rows"][0]
    assert first["final_score"] == "73/3" and first["final_score_rounded"] == "24.33"
    assert first["granted"] == "970000.00" and first["eligible"] is True
    assert document["rows"][2]["standing"] == "not_fitting" and document["rows"][2]["granted"] is None
    assert document["passing_line_after"] == 3
    assert document["pools"] == [
        {
            "name": "Общий фонд конкурса",
            "nomination": None,
            "fund": "2000000.00",
            "granted": "1940000.00",
            "remaining": "60000.00",
        }
    ]
    assert [criterion["column"] for criterion in document["criteria"]] == [
        "mean:Актуальность проблемы",
        "mean:Реалистичность сметы",
        "points:Софинансирование жителей",
    ]
    assert {column["key"] for column in document["columns"]} == set(first)


# --- The PDF protocol -------------------------------------------------------------------------------------------


def test_the_protocol_is_a_pdf_in_russian(client, published):
    response = client.get(results_url(published.competition, "results_protocol"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"/Type /Page" in response.content
    assert b"DejaVu" in response.content  # the Cyrillic font is embedded


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_the_protocol_reads_as_a_protocol(client, published, tmp_path):
    path = tmp_path / "protocol.pdf"
    path.write_bytes(client.get(results_url(published.competition, "results_protocol")).content)
    command = [shutil.which("pdftotext"), "-layout", str(path), "-"]
    content = subprocess.run(command, capture_output=True, check=True, text=True)  # noqa: S603 - our own command line
    words = " ".join(content.stdout.split())
    assert "Протокол подведения итогов конкурса" in words
    assert "Проходной балл: 15,00 — ниже линии заявки не поддерживаются" in words
    assert "Граница финансирования: остаток фонда 60 000,00 ₽" in words
    assert "Зерно случайного" in words
    assert published.competition.scoring_round.seed in words
    assert "Секретарь конкурсной комиссии" in words
    for name in EXPERT_NAMES:
        assert name not in words


# --- The applicant's cabinet ------------------------------------------------------------------------------------


def test_the_applicant_sees_their_result_and_anonymous_comments(client, published):
    application = published.applications["Сквер у школы"]
    client.force_login(application.applicant)
    page = text(client.get(reverse("competitions:application", args=[application.pk])))
    block = page[page.index("Итоги экспертизы") :]
    assert "1 из 4" in block
    assert "24,33" in block
    assert "поддержана" in block
    assert "970\u00a0000,00 ₽" in block
    assert "8,33" in block  # relevance: (9 + 8 + 8) / 3
    assert "Эксперт 1" in block and "Эксперт 3" in block
    assert "Замечание эксперта 2: проблема описана без цифр." in block
    assert "Рекомендация эксперта 3: поддержать с уточнением сметы." in block  # written answers too
    for name in EXPERT_NAMES:
        assert name not in page


def test_comments_are_hidden_when_the_competition_does_not_show_them(client, competition, secretary):
    result = build_result(competition, secretary, show_comments=False)
    application = result.applications["Освещение двора"]
    client.force_login(application.applicant)
    page = text(client.get(reverse("competitions:application", args=[application.pk])))
    assert "Итоги экспертизы" in page
    assert "не хватило фонда" in page
    assert "Эксперт 1" not in page
    assert "Замечание эксперта" not in page and "Рекомендация эксперта" not in page


def test_another_person_cannot_see_an_applicants_result(client, published):
    application = published.applications["Сквер у школы"]
    client.force_login(published.applications["Детская площадка"].applicant)
    response = client.get(reverse("competitions:application", args=[application.pk]))
    assert response.status_code == 403
    assert "Замечание эксперта" not in text(response)


# --- The competition page ---------------------------------------------------------------------------------------


def test_the_competition_page_links_the_results_with_the_top_of_the_ranking(client, published):
    page = text(client.get(published.competition.url))
    section = page[page.index("Итоги конкурса") :]
    assert results_url(published.competition) in section
    assert section.index("Сквер у школы") < section.index("Детская площадка")
    assert "24,33" in section


# --- Lines and columns on hand-made results ---------------------------------------------------------------------


def snapshot_row(rank, pool, *, final, eligible, granted=None, standing="funded"):
    return {
        "rank": rank,
        "number": f"ИБ-2026-000{rank}",
        "title": f"Проект {rank}",
        "applicant": "ТОС «Заречье»",
        "nomination": "Дворы" if pool != "common" else "",
        "final_score": final,
        "final_score_shown": str(Decimal(final).quantize(Decimal("0.01"))),
        "eligible": eligible,
        "pool": pool,
        "granted": granted,
        "requested_amount": "500000.00",
        "standing": standing,
        "criterion_means": {},
        "computed": {},
    }


def hand_made_results(rows, passing_line_after):
    return {
        "rules": {"passing_score": "10.00", "tie_breaks": ["residents_share"], "allocation_rule": "skip"},
        "criteria": [
            {"id": "a", "kind": "expert", "name": "Польза", "code": "benefit"},
            {"id": "b", "kind": "expert", "name": "Польза", "code": ""},
            {"id": "c", "kind": "expert", "name": "Польза", "code": ""},
        ],
        "pools": [
            {"key": "common", "name": "", "fund": "1000000", "granted": "500000", "remaining": "500000"},
            {"key": "nomination-7", "name": "Дворы", "fund": "500000", "granted": "500000", "remaining": "0"},
        ],
        "passing_line_after": passing_line_after,
        "rows": rows,
    }


def test_each_fund_gets_its_own_funding_line_under_its_last_funded_row():
    results = hand_made_results(
        [
            snapshot_row(1, "nomination-7", final="20", eligible=True, granted="500000.00"),
            snapshot_row(2, "common", final="18", eligible=True, granted="500000.00"),
            snapshot_row(3, "nomination-7", final="15", eligible=True, standing="not_fitting"),
            snapshot_row(4, "common", final="5", eligible=False, standing="below_passing"),
        ],
        passing_line_after=3,
    )
    shown = [item["row"]["rank"] if "row" in item else item["text"] for item in ranking_items(results)]
    assert shown == [
        1,
        "Граница финансирования — Фонд номинации «Дворы»: фонд исчерпан",
        2,
        "Граница финансирования — Общий фонд конкурса: остаток фонда 500\u00a0000,00 ₽",
        3,
        "Проходной балл: 10,00 — ниже линии заявки не поддерживаются",
        4,
    ]


def test_the_cut_off_line_is_drawn_above_everything_when_nobody_passes():
    results = hand_made_results([snapshot_row(1, "common", final="5", eligible=False)], passing_line_after=0)
    assert ranking_items(results)[0]["line"] == "cutoff"


def test_criterion_columns_use_the_code_or_the_name_and_never_repeat():
    keys = [column.key for column in columns(hand_made_results([], 0)) if column.criterion_id]
    assert keys == ["mean:benefit", "mean:Польза", "mean:Польза~2"]
