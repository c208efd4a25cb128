"""E-mails to applicants: on submit and on the secretary's decisions, and the daily reminders about deadlines."""

import io
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from competitions import applications, reports, review
from competitions.applications import Refused
from competitions.models import Application, NotificationTemplate, ReportForm, SentReminder
from tests.competitions.factories import submitted_application
from tests.factories import UserFactory
from tests.forms.factories import block

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")
REASONS = "Приложите протокол собрания жителей с подписями."


@pytest.fixture
def secretary():
    return UserFactory(roles=["Секретарь конкурса"])


def run(*args):
    output = io.StringIO()
    call_command("send_competition_reminders", *args, stdout=output)
    return output.getvalue()


def tomorrow_at_2359():
    """Tomorrow 23:59 in Moscow: always ahead and within 48 hours, stored in UTC as 20:59."""
    return datetime.combine(timezone.localdate() + timedelta(days=1), time(23, 59), tzinfo=MOSCOW)


def returned(competition, secretary, deadline, user=None):
    application = submitted_application(competition, user)
    review.decide(
        application, secretary, decision="return", checklist={}, reasons=REASONS, correction_deadline=deadline
    )
    application.refresh_from_db()
    return application


def awarded_with_reports(competition, secretary, *due_in_days):
    for number, days in enumerate(due_in_days, start=1):
        ReportForm.objects.create(
            page=competition,
            kind=ReportForm.Kind.PROGRESS,
            title=f"Отчёт {number}",
            due_at=timezone.now() + timedelta(days=days),
            fields=[block("long_text", "Что сделано", id=f"done-{number}", required=False)],
        )
    application = submitted_application(competition)
    review.decide(
        application, secretary, decision="admit", checklist={d.pk: {"ok": True} for d in required(application)}
    )
    review.award(application, secretary, amount=application.requested_amount)
    return application


def required(application):
    return [doc for doc in application.competition.required_documents.all() if doc.applies(application.applicant_type)]


# --- Letters on submit and on decisions ------------------------------------------------------------------------


def test_submit_sends_the_applicant_the_number(competition, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted_application(competition)

    assert len(mailoutbox) == 1
    letter = mailoutbox[0]
    assert letter.to == [application.applicant.email] and not letter.cc and not letter.bcc
    assert letter.subject == "Заявка ИБ-2026-0001 принята"
    assert "«Детская площадка во дворе ул. Садовой, 5»" in letter.body and "ИБ-2026-0001" in letter.body
    assert f"http://127.0.0.1:8000/ru/cabinet/competitions/{application.pk}/" in letter.body


def test_a_repeated_submit_sends_no_second_letter(competition, mailoutbox, django_capture_on_commit_callbacks):
    application = submitted_application(competition)
    with django_capture_on_commit_callbacks(execute=True):
        _version, created = applications.submit(application, application.applicant)
    assert not created and mailoutbox == []


@pytest.mark.parametrize(
    ("decision", "subject", "in_body"),
    [
        ("admit", "Заявка ИБ-2026-0001 допущена к конкурсу", "допущена к конкурсу"),
        ("reject", "Заявка ИБ-2026-0001 не допущена к конкурсу", REASONS),
        ("return", "Заявка ИБ-2026-0001 возвращена на доработку до", REASONS),
    ],
)
def test_decisions_are_mailed_to_the_applicant_only(
    competition, secretary, mailoutbox, django_capture_on_commit_callbacks, decision, subject, in_body
):
    application = submitted_application(competition)
    checklist = {doc.pk: {"ok": True} for doc in required(application)}
    with django_capture_on_commit_callbacks(execute=True):
        review.decide(application, secretary, decision=decision, checklist=checklist, reasons=REASONS)

    assert len(mailoutbox) == 1
    letter = mailoutbox[0]
    assert letter.to == [application.applicant.email]
    assert secretary.email not in letter.to + letter.cc + letter.bcc
    assert letter.subject.startswith(subject) and in_body in letter.body


def test_the_return_letter_gives_the_deadline_in_moscow_time(
    competition, secretary, mailoutbox, django_capture_on_commit_callbacks
):
    deadline = tomorrow_at_2359()
    with django_capture_on_commit_callbacks(execute=True):
        returned(competition, secretary, deadline)
    letter = mailoutbox[-1]
    assert letter.subject.endswith(f"{deadline:%d.%m.%Y} 23:59")
    assert f"до {deadline:%d.%m.%Y} 23:59 (мск)" in letter.body


def test_a_refused_decision_sends_nothing(competition, mailoutbox, django_capture_on_commit_callbacks):
    application = submitted_application(competition)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused) as refused:
        review.decide(application, application.applicant, decision="reject", checklist={}, reasons=REASONS)
    assert refused.value.status == 403
    assert mailoutbox == []
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


# --- Reminders: correction deadline ----------------------------------------------------------------------------


def test_a_correction_reminder_goes_out_once(competition, secretary, mailoutbox):
    deadline = tomorrow_at_2359()
    application = returned(competition, secretary, deadline)

    assert "Отправлено напоминаний: 1" in run()
    assert len(mailoutbox) == 1
    letter = mailoutbox[0]
    assert letter.to == [application.applicant.email]
    assert letter.subject == f"Срок доработки заявки ИБ-2026-0001 истекает {deadline:%d.%m.%Y} 23:59"
    assert f"до {deadline:%d.%m.%Y} 23:59 (мск)" in letter.body and REASONS in letter.body
    assert "«Детская площадка во дворе ул. Садовой, 5»" in letter.body

    assert "Отправлено напоминаний: 0" in run()
    assert len(mailoutbox) == 1


def test_a_new_deadline_after_a_second_return_is_reminded_again(competition, secretary, mailoutbox):
    application = returned(competition, secretary, timezone.now() + timedelta(hours=20))
    run()
    applications.submit(application, application.applicant)
    review.decide(
        application,
        secretary,
        decision="return",
        checklist={},
        reasons="Смета не подписана.",
        correction_deadline=timezone.now() + timedelta(hours=30),
    )

    assert "Отправлено напоминаний: 1" in run()
    assert len(mailoutbox) == 2 and "Смета не подписана." in mailoutbox[1].body
    assert SentReminder.objects.count() == 2


def test_no_correction_reminder_for_far_passed_or_settled_deadlines(competition, secretary, mailoutbox):
    returned(competition, secretary, timezone.now() + timedelta(days=5))  # more than 48 hours ahead
    withdrawn = returned(competition, secretary, timezone.now() + timedelta(hours=20))
    applications.withdraw(withdrawn, withdrawn.applicant, reason="Передумали.")
    resubmitted = returned(competition, secretary, timezone.now() + timedelta(hours=20))
    applications.submit(resubmitted, resubmitted.applicant)
    rejected = submitted_application(competition)
    review.decide(rejected, secretary, decision="reject", checklist={}, reasons=REASONS)

    assert "Отправлено напоминаний: 0" in run()
    assert mailoutbox == []

    passed = returned(competition, secretary, timezone.now() + timedelta(hours=20))
    with time_machine.travel(passed.correction_deadline + timedelta(minutes=1), tick=False):
        assert "Отправлено напоминаний: 0" in run()
    assert mailoutbox == []


def test_no_reminder_for_an_applicant_without_an_address(competition, secretary, mailoutbox):
    application = returned(competition, secretary, timezone.now() + timedelta(hours=20))
    type(application.applicant).objects.filter(pk=application.applicant_id).update(email="")
    assert "Отправлено напоминаний: 0" in run()
    assert mailoutbox == []


def test_dry_run_lists_the_reminders_and_sends_nothing(competition, secretary, mailoutbox):
    deadline = tomorrow_at_2359()
    application = returned(competition, secretary, deadline)

    output = run("--dry-run")
    assert f"ИБ-2026-0001, {application.applicant.email}: доработка заявки до {deadline:%d.%m.%Y} 23:59 (мск)" in output
    assert "Будет отправлено напоминаний: 1" in output
    assert mailoutbox == [] and not SentReminder.objects.exists()

    assert "Отправлено напоминаний: 1" in run()
    assert len(mailoutbox) == 1


# --- Reminders: reports ----------------------------------------------------------------------------------------


def test_a_report_reminder_goes_out_once_within_seven_days(competition, secretary, mailoutbox):
    application = awarded_with_reports(competition, secretary, 3, 30)
    report = application.reports.get(report_form__title="Отчёт 1")

    assert "Отправлено напоминаний: 1" in run()
    assert len(mailoutbox) == 1
    letter = mailoutbox[0]
    assert letter.to == [application.applicant.email]
    deadline = timezone.localtime(report.due_at)
    assert letter.subject == f"Срок отчёта «Отчёт 1» по заявке ИБ-2026-0001 — {deadline:%d.%m.%Y %H:%M}"
    assert f"до {deadline:%d.%m.%Y %H:%M} (мск)" in letter.body

    assert "Отправлено напоминаний: 0" in run()
    assert len(mailoutbox) == 1


def test_a_returned_report_with_a_new_due_date_is_reminded_again(competition, secretary, mailoutbox):
    application = awarded_with_reports(competition, secretary, 3)
    report = application.reports.get()
    run()
    reports.submit(report, application.applicant)
    assert "Отправлено напоминаний: 0" in run()  # a submitted report is not reminded

    review.review_report(
        report, secretary, accept=False, remarks="Нет фотографий.", due_at=timezone.now() + timedelta(days=5)
    )
    assert "Отправлено напоминаний: 1" in run()
    assert len(mailoutbox) == 2


def test_no_report_reminder_when_accepted_far_or_passed(competition, secretary, mailoutbox):
    application = awarded_with_reports(competition, secretary, 3, 30)
    near = application.reports.get(report_form__title="Отчёт 1")
    reports.submit(near, application.applicant)
    review.review_report(near, secretary, accept=True)

    assert "Отправлено напоминаний: 0" in run()

    far = application.reports.get(report_form__title="Отчёт 2")
    with time_machine.travel(far.due_at + timedelta(hours=1), tick=False):
        assert "Отправлено напоминаний: 0" in run()
    assert mailoutbox == []


# --- Editable templates ----------------------------------------------------------------------------------------


def test_an_edited_template_is_used_and_unknown_placeholders_stay_as_written(competition, secretary, mailoutbox):
    NotificationTemplate.objects.filter(event="correction_due").update(
        subject="Напоминание: {number} до {deadline}",
        body="Проект «{title}» ({competition}). {unknown} остаётся как есть.",
    )
    deadline = tomorrow_at_2359()
    returned(competition, secretary, deadline)

    run()
    letter = mailoutbox[0]
    assert letter.subject == f"Напоминание: ИБ-2026-0001 до {deadline:%d.%m.%Y} 23:59"
    assert (
        letter.body
        == f"Проект «Детская площадка во дворе ул. Садовой, 5» ({competition.title}). {{unknown}} остаётся как есть."
    )


def test_stray_braces_in_an_edited_template_do_not_stop_the_letter(competition, secretary, mailoutbox):
    """A secretary may type «{}» or a lone brace; the letter still goes out with the text as written."""
    NotificationTemplate.objects.filter(event="correction_due").update(
        subject="Заявка {number}: {} {", body="Скобки { и } и {0} остаются; номер {number}."
    )
    returned(competition, secretary, tomorrow_at_2359())

    assert "Отправлено напоминаний: 1" in run()
    assert mailoutbox[0].subject == "Заявка ИБ-2026-0001: {} {"
    assert mailoutbox[0].body == "Скобки { и } и {0} остаются; номер ИБ-2026-0001."
