"""Exports of a form's answers: one row per submitted answer, a column per field of every version, CSV and XLSX."""

import csv
import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forms import engine
from forms.models import FormExport, Submission
from forms.tasks import build_export
from tests.factories import UserFactory
from tests.forms.factories import block, publish_form, republish, step

FIRST_VERSION = [
    block("section_heading", id="heading", text="Сведения о проекте"),
    block("short_text", "Название проекта", id="title", code="title"),
    block("money", "Запрашиваемая сумма", id="budget", code="budget"),
    block("short_text", "Старый вопрос", id="old", code="old_question"),
    step("Подробности"),
    block("static_text", id="note", text="<p>Пояснение между вопросами.</p>"),
    block("number", "Число жителей", id="residents", integer_only=True),
    block("date", "Дата собрания", id="meeting"),
]
SECOND_VERSION = [
    block("short_text", "Название инициативы", id="title", code="title"),
    block("money", "Запрашиваемая сумма", id="budget", code="budget"),
    step("Подробности"),
    block("number", "Число жителей", id="residents", integer_only=True),
    block("date", "Дата собрания", id="meeting"),
    block("phone", "Телефон для связи", id="phone", code="phone", required=False),
]
FIRST_ANSWERS = {
    "title": "Двор на ул. Ленина, 5",
    "budget": "150 000,50",
    "old": "Ответ на снятый вопрос",
    "residents": "1 250",
    "meeting": "15.06.2026",
}
META = ["№ ответа", "Статус", "Отправлен (мск)", "Автор (ФИО)", "E-mail автора", "Версия формы"]


def answer(page, user, answers, *, respondent_key=""):
    """A person fills in every step of the form's current version and submits it, as the page flow does."""
    draft = engine.start_draft(page, user=user, respondent_key=respondent_key)
    for index in range(len(draft.version.form.steps)):
        result = engine.save_step(page, draft, index, answers, {}, user=user, complete=True)
        assert result.ok, result.errors
    assert engine.submit(page, draft, user=user) == []
    return draft


def run_export(page, export_format, user=None):
    export = FormExport.objects.create(page=page, format=export_format, requested_by=user)
    build_export.enqueue(export.pk)
    export.refresh_from_db()
    return export


def csv_rows(export):
    with export.file.open("rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so Excel reads Cyrillic right"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def xlsx_sheet(export):
    with export.file.open("rb") as handle:
        return openpyxl.load_workbook(io.BytesIO(handle.read())).active


@pytest.fixture
def form_page(site_tree):
    return publish_form(site_tree["home"], FIRST_VERSION, title="Заявка на конкурс «Активный ТОС»")


@pytest.fixture
def answered_across_versions(form_page):
    """An answer to the first version, the form changed, an answer to the second, and an unfinished draft."""
    early = answer(
        form_page, UserFactory(last_name="Иванова", first_name="Мария", email="ivanova@mail.ru"), FIRST_ANSWERS
    )
    republish(form_page, SECOND_VERSION)
    late = answer(
        form_page,
        UserFactory(last_name="Сидоров", first_name="Пётр", email="sidorov@mail.ru"),
        {
            "title": "Сквер у школы",
            "budget": "90000",
            "residents": "300",
            "meeting": "01.07.2026",
            "phone": "8 910 123 45 67",
        },
    )
    engine.start_draft(form_page, user=UserFactory(), respondent_key="")
    return early, late


@pytest.fixture
def methodologist():
    return UserFactory(roles=["Методист"])


# --- The table ------------------------------------------------------------------------------------------------------


def test_csv_has_a_row_per_submitted_answer_and_a_column_per_field_of_every_version(
    form_page, answered_across_versions
):
    early, late = answered_across_versions
    export = run_export(form_page, "csv")

    header, codes, *rows = csv_rows(export)
    assert header == [
        *META,
        "Название инициативы",
        "Запрашиваемая сумма",
        "Число жителей",
        "Дата собрания",
        "Телефон для связи",
        "Старый вопрос (поле удалено)",
    ]
    assert codes[len(META) :] == ["title", "budget", "", "", "phone", "old_question"]
    assert [row[0] for row in rows] == [str(early.pk), str(late.pk)], "drafts are not exported"
    old, new = (dict(zip(header, row, strict=True)) for row in rows)
    assert old["Название инициативы"] == "Двор на ул. Ленина, 5", "a renamed question keeps its old answers"
    assert old["Старый вопрос (поле удалено)"] == "Ответ на снятый вопрос"
    assert old["Телефон для связи"] == "", "a field added later is empty for older answers"
    assert (old["Статус"], old["Автор (ФИО)"], old["E-mail автора"], old["Версия формы"]) == (
        "отправлен",
        "Иванова Мария",
        "ivanova@mail.ru",
        "1",
    )
    assert (old["Запрашиваемая сумма"], old["Число жителей"], old["Дата собрания"]) == (
        "150000,50",
        "1250",
        "15.06.2026",
    )
    assert new["Версия формы"] == "2" and new["Старый вопрос (поле удалено)"] == ""
    assert new["Телефон для связи"] == "'+7 (910) 123-45-67", "a leading + would be read as a formula"


def test_layout_blocks_are_not_columns(form_page, answered_across_versions):
    header = csv_rows(run_export(form_page, "csv"))[0]
    assert not {"Сведения о проекте", "Подробности", "Пояснение между вопросами."} & set(header)
    assert len(header) == len(META) + 6


def test_xlsx_keeps_numbers_as_numbers_and_dates_as_dates(form_page, answered_across_versions):
    export = run_export(form_page, "xlsx")
    sheet = xlsx_sheet(export)

    assert sheet.title == "Заявка на конкурс «Активный ТОС»"[:31]
    header = [cell.value for cell in sheet[1]]
    assert header[len(META) :] == [
        "Название инициативы",
        "Запрашиваемая сумма",
        "Число жителей",
        "Дата собрания",
        "Телефон для связи",
        "Старый вопрос (поле удалено)",
    ]
    assert [cell.value for cell in sheet[2]][:2] == ["submission", "status"]
    old = dict(zip(header, sheet[3], strict=True))
    assert old["Запрашиваемая сумма"].value == 150000.5 and old["Запрашиваемая сумма"].number_format == "#,##0.00"
    assert old["Число жителей"].value == 1250 and old["Число жителей"].data_type == "n"
    assert old["Дата собрания"].is_date and old["Дата собрания"].value.date() == date(2026, 6, 15)
    assert old["Отправлен (мск)"].is_date
    assert old["Старый вопрос (поле удалено)"].value == "Ответ на снятый вопрос"
    assert old["Телефон для связи"].value is None
    new = dict(zip(header, sheet[4], strict=True))
    assert new["Телефон для связи"].value == "+7 (910) 123-45-67", "text reads as typed in XLSX"
    assert sheet.max_row == 4


def test_submission_time_is_moscow_time(form_page):
    submission = answer(form_page, UserFactory(), FIRST_ANSWERS)
    Submission.objects.filter(pk=submission.pk).update(submitted_at=datetime(2026, 6, 15, 9, 30, tzinfo=UTC))

    row = csv_rows(run_export(form_page, "csv"))[2]
    assert row[2] == "15.06.2026 12:30"
    cell = xlsx_sheet(run_export(form_page, "xlsx")).cell(row=3, column=3)
    assert cell.value == datetime(2026, 6, 15, 12, 30)


def test_anonymous_answers_are_exported_without_an_author(site_tree):
    page = publish_form(site_tree["home"], [block("short_text", "Ваше предложение", id="idea")], allow_anonymous=True)
    answer(page, None, {"idea": "Больше лавочек"}, respondent_key=engine.respondent_key_for("token"))

    row = csv_rows(run_export(page, "csv"))[2]
    assert row[3:5] == ["без входа", ""] and row[-1] == "Больше лавочек"


def test_a_form_without_answers_exports_headers_only(form_page):
    export = run_export(form_page, "xlsx")
    assert export.status == FormExport.Status.DONE and (export.total, export.done) == (0, 0)
    assert xlsx_sheet(export).max_row == 2


# --- Formula injection ----------------------------------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://evil.example","Нажми")', "+1+2", "-2+3", "@SUM(A1:A2)"]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_csv_cells_that_would_run_as_formulas_get_an_apostrophe(form_page, hostile):
    answer(form_page, UserFactory(), {**FIRST_ANSWERS, "title": hostile})
    row = csv_rows(run_export(form_page, "csv"))[2]
    assert row[len(META)] == f"'{hostile}"


def test_xlsx_stores_a_formula_like_answer_as_text(form_page):
    answer(form_page, UserFactory(), {**FIRST_ANSWERS, "title": HOSTILE[0]})
    cell = xlsx_sheet(run_export(form_page, "xlsx")).cell(row=3, column=len(META) + 1)
    assert cell.data_type == "s" and cell.value == HOSTILE[0]


def test_an_author_name_is_neutralised_too(form_page):
    answer(form_page, UserFactory(last_name="=cmd|' /C calc'!A0", first_name=""), FIRST_ANSWERS)
    row = csv_rows(run_export(form_page, "csv"))[2]
    assert row[3] == "'=cmd|' /C calc'!A0"


# --- Progress and failure -------------------------------------------------------------------------------------------


def test_progress_is_complete_after_the_task_ran(form_page, answered_across_versions, methodologist):
    export = run_export(form_page, "xlsx", user=methodologist)
    assert export.status == FormExport.Status.DONE
    assert (export.total, export.done, export.percent) == (2, 2, 100)
    assert export.finished_at is not None and export.error == ""
    assert export.file.name.startswith(f"forms/exports/{form_page.pk}/") and export.file.name.endswith(".xlsx")


def test_an_unreadable_answer_fails_the_export_with_a_message(
    form_page, answered_across_versions, client, methodologist
):
    early, _late = answered_across_versions
    Submission.objects.filter(pk=early.pk).update(data={**early.data, "budget": "много"})

    export = run_export(form_page, "csv")
    assert export.status == FormExport.Status.FAILED and not export.file
    assert (
        export.error == f"Ответ № {early.pk}, поле «Запрашиваемая сумма»: сохранённое значение не читается ('много')."
    )

    client.force_login(methodologist)
    page = client.get(f"/admin/form-submissions/{form_page.pk}/exports/{export.pk}/").content.decode()
    assert "не удалась" in page and "поле «Запрашиваемая сумма»" in page
    download = client.get(f"/admin/form-submissions/{form_page.pk}/exports/{export.pk}/download/")
    assert download.status_code == 409 and "её состояние — «не удалась»" in download.content.decode()


def test_an_export_taken_by_another_worker_is_not_built_twice(form_page, answered_across_versions):
    export = FormExport.objects.create(page=form_page, format="csv", status=FormExport.Status.RUNNING)
    build_export.enqueue(export.pk)
    export.refresh_from_db()
    assert export.status == FormExport.Status.RUNNING and not export.file


# --- Admin views ----------------------------------------------------------------------------------------------------


def exports_url(page, *parts):
    return "/".join([f"/admin/form-submissions/{page.pk}/exports", *map(str, parts), ""]).replace("//", "/")


def test_a_methodologist_exports_from_the_answers_page(
    form_page, answered_across_versions, client, methodologist, django_capture_on_commit_callbacks
):
    client.force_login(methodologist)
    listing = client.get(f"/admin/form-submissions/{form_page.pk}/").content.decode()
    assert "Выгрузить CSV" in listing and "Выгрузить XLSX" in listing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(exports_url(form_page), {"format": "xlsx"})
    export = FormExport.objects.get()
    assert response.status_code == 302 and response["Location"] == exports_url(form_page, export.pk)
    assert (export.requested_by, export.status, export.done) == (methodologist, FormExport.Status.DONE, 2)

    status_page = client.get(response["Location"]).content.decode()
    assert "готова" in status_page and "Ответов записано: 2 из 2." in status_page
    assert exports_url(form_page, export.pk, "download") in status_page

    download = client.get(exports_url(form_page, export.pk, "download"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in download["Content-Disposition"] and ".xlsx" in download["Content-Disposition"]
    assert "private" in download["Cache-Control"] and "no-store" in download["Cache-Control"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 4

    listing = client.get(f"/admin/form-submissions/{form_page.pk}/").content.decode()
    assert "Последние выгрузки" in listing and exports_url(form_page, export.pk, "download") in listing


def test_a_queued_export_shows_its_progress_and_polls(form_page, client, methodologist):
    export = FormExport.objects.create(page=form_page, format="csv", total=10, done=4, status=FormExport.Status.RUNNING)
    client.force_login(methodologist)

    page = client.get(exports_url(form_page, export.pk)).content.decode()
    assert 'value="40"' in page and "Ответов записано: 4 из 10." in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page, "refreshes itself without scripts"
    assert exports_url(form_page, export.pk, "progress") in page

    state = client.get(exports_url(form_page, export.pk, "progress")).json()
    assert state == {
        "status": "running",
        "status_label": "собирается",
        "finished": False,
        "total": 10,
        "done": 4,
        "percent": 40,
    }
    assert client.get(exports_url(form_page, export.pk, "download")).status_code == 409


def test_an_unknown_format_is_refused(form_page, client, methodologist):
    client.force_login(methodologist)
    response = client.post(exports_url(form_page), {"format": "pdf"})
    assert response.status_code == 400
    assert "Неизвестный формат выгрузки «pdf»" in response.content.decode()
    assert not FormExport.objects.exists()


def test_an_export_starts_only_by_post(form_page, client, methodologist):
    client.force_login(methodologist)
    assert client.get(exports_url(form_page)).status_code == 405
    assert not FormExport.objects.exists()


def test_an_export_is_reached_only_through_its_own_form(form_page, site_tree, client, methodologist):
    other = publish_form(site_tree["home"], [block("short_text", "Вопрос", id="q")], title="Другая форма")
    export = run_export(form_page, "csv")
    client.force_login(methodologist)
    assert client.get(exports_url(other, export.pk, "download"), follow=True).status_code == 404
    assert client.get(exports_url(other, export.pk), follow=True).status_code == 404


def test_a_competition_secretary_may_download(form_page, answered_across_versions, client):
    export = run_export(form_page, "csv")
    client.force_login(UserFactory(roles=["Секретарь конкурса"]))
    response = client.get(exports_url(form_page, export.pk, "download"))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")


def test_anonymous_visitors_are_sent_to_the_admin_login(form_page, answered_across_versions, client):
    export = run_export(form_page, "csv")
    for response in (
        client.post(exports_url(form_page), {"format": "csv"}),
        client.get(exports_url(form_page, export.pk)),
        client.get(exports_url(form_page, export.pk, "progress")),
        client.get(exports_url(form_page, export.pk, "download")),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert FormExport.objects.count() == 1


@pytest.mark.parametrize("role", ["Лидер ТОС", "Модератор"])
def test_people_who_may_not_see_answers_get_no_export(role, form_page, answered_across_versions, client):
    """Wagtail sends people without the right away from admin pages; script requests get a plain 403."""
    export = run_export(form_page, "csv")
    client.force_login(UserFactory(roles=[role]))
    xhr = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
    for method, url in (
        (client.post, exports_url(form_page)),
        (client.get, exports_url(form_page, export.pk)),
        (client.get, exports_url(form_page, export.pk, "progress")),
        (client.get, exports_url(form_page, export.pk, "download")),
    ):
        assert method(url, {"format": "csv"} if method == client.post else {}, **xhr).status_code == 403
        response = method(url, {"format": "csv"} if method == client.post else {})
        assert response.status_code == 302 and not hasattr(response, "streaming_content")
    assert FormExport.objects.count() == 1


def test_the_number_of_queries_does_not_grow_with_the_answers(form_page, answered_across_versions):
    """Every version is read once and authors come with their answers: a large export is not a query per row."""

    def queries_of_an_export():
        with CaptureQueriesContext(connection) as queries:
            export = run_export(form_page, "xlsx")
        assert export.status == FormExport.Status.DONE
        return len(queries)

    with_two = queries_of_an_export()
    for number in range(5):
        answer(form_page, UserFactory(), {**FIRST_ANSWERS, "title": f"Проект {number}"})
    assert queries_of_an_export() == with_two


# The worker closes its database connection as a real worker does: the data must be committed, not wrapped in the
# test's transaction. The rows the migrations made are brought back afterwards (serialized_rollback).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_a_task_worker_the_export_waits_in_the_queue_until_the_worker_builds_it(
    form_page, answered_across_versions, client, methodologist, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(methodologist)
    with django_capture_on_commit_callbacks(execute=True):
        status_url = client.post(exports_url(form_page), {"format": "csv"})["Location"]
    page = client.get(status_url).content.decode()
    assert "в очереди" in page and "Выгрузка начнётся, как только освободится обработчик фоновых задач" in page

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    export = FormExport.objects.get()
    assert (export.status, export.done) == (FormExport.Status.DONE, 2)
    assert len(csv_rows(export)) == 4
