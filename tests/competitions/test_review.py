"""The secretary's decisions: admissibility with the documents checklist, awards, and winners' reports."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from competitions import reports, review
from competitions.applications import Refused
from competitions.models import AdmissibilityReview, Application, ApplicationReport
from tests.competitions.factories import publish_competition, submitted_application
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary():
    return UserFactory(roles=["Секретарь конкурса"])


def all_documents_ok(application):
    return {row["document_id"]: {"ok": True} for row in review.checklist_for(application)}


def test_the_checklist_holds_the_documents_for_this_applicant(competition):
    application = submitted_application(competition)
    assert [row["document"] for row in review.checklist_for(application)] == ["Протокол собрания жителей"]


def test_admit_with_every_document_in_order(competition, secretary, django_capture_on_commit_callbacks, mailoutbox):
    application = submitted_application(competition)
    with django_capture_on_commit_callbacks(execute=True):
        decision = review.decide(application, secretary, decision="admit", checklist=all_documents_ok(application))
    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    assert decision.checklist[0]["ok"] is True and decision.decided_by == secretary
    assert [mail.to for mail in mailoutbox] == [[application.applicant.email]]
    assert "допущена" in mailoutbox[0].subject


def test_admit_with_a_document_missing_is_refused_and_writes_nothing(competition, secretary):
    application = submitted_application(competition)
    with pytest.raises(Refused) as refused:
        review.decide(application, secretary, decision="admit", checklist={})
    assert "Протокол собрания жителей" in refused.value.message
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not AdmissibilityReview.objects.exists()


@pytest.mark.parametrize("decision", ["return", "reject"])
def test_return_and_reject_need_reasons(competition, secretary, decision):
    application = submitted_application(competition)
    with pytest.raises(Refused) as refused:
        review.decide(application, secretary, decision=decision, checklist={}, reasons="  ")
    assert refused.value.problems[0][0] == "reasons"
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_return_defaults_to_the_competitions_correction_days(
    competition, secretary, mailoutbox, django_capture_on_commit_callbacks
):
    application = submitted_application(competition)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        review.decide(application, secretary, decision="return", checklist={}, reasons="Нет фото территории.")
    application.refresh_from_db()
    expected = before + timedelta(days=competition.correction_days)
    assert abs(application.correction_deadline - expected) < timedelta(minutes=1)
    assert "Нет фото территории." in mailoutbox[0].body
    assert application.number in mailoutbox[0].subject


def test_a_return_deadline_in_the_past_is_refused(competition, secretary):
    application = submitted_application(competition)
    with pytest.raises(Refused) as refused:
        review.decide(
            application,
            secretary,
            decision="return",
            checklist={},
            reasons="Нет сметы.",
            correction_deadline=timezone.now() - timedelta(hours=1),
        )
    assert refused.value.problems[0][0] == "correction_deadline"


def test_only_a_secretary_decides(competition):
    application = submitted_application(competition)
    for user in (UserFactory(roles=["Методист"]), UserFactory(roles=["Лидер ТОС"]), application.applicant):
        with pytest.raises(Refused) as refused:
            review.decide(application, user, decision="admit", checklist=all_documents_ok(application))
        assert refused.value.status == 403
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_decision_is_made_once_per_version(competition, secretary):
    application = submitted_application(competition)
    review.decide(
        application, secretary, decision="reject", checklist={}, reasons="Объект не в муниципальной собственности."
    )
    with pytest.raises(Refused) as refused:
        review.decide(application, secretary, decision="admit", checklist=all_documents_ok(application))
    assert refused.value.status == 409


# --- Awards and reports -------------------------------------------------------------------------------------------


@pytest.fixture
def winner(competitions_index, secretary):
    competition = publish_competition(competitions_index, with_reports=True)
    application = submitted_application(competition)
    review.decide(application, secretary, decision="admit", checklist=all_documents_ok(application))
    review.award(application, secretary, amount=Decimal("970000"))
    application.refresh_from_db()
    return application


def test_award_opens_the_reports(winner):
    assert winner.status == Application.Status.AWARDED
    assert winner.award_amount == Decimal("970000")
    (report,) = winner.reports.all()
    assert report.status == ApplicationReport.Status.DUE
    assert report.submission.is_draft


def test_award_more_than_requested_is_refused(competition, secretary):
    application = submitted_application(competition)
    review.decide(application, secretary, decision="admit", checklist=all_documents_ok(application))
    with pytest.raises(Refused) as refused:
        review.award(application, secretary, amount=Decimal("970000.01"))
    assert "970\u00a0000,00 ₽" in refused.value.message or "970 000,00 ₽" in refused.value.message
    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED


def test_report_returned_with_remarks_then_accepted(winner, secretary):
    report = winner.reports.get()
    applicant = winner.applicant
    reports.save_step(report, applicant, 0, {"done": "Уложено 300 м² плитки."}, {}, revision=report.revision)
    reports.submit(report, applicant)
    first_answers = report.submission
    review.review_report(report, secretary, accept=False, remarks="Приложите фото после работ.")
    report.refresh_from_db()
    assert report.status == ApplicationReport.Status.RETURNED
    assert report.submission.pk != first_answers.pk
    assert report.submission.data == {"done": "Уложено 300 м² плитки."}
    first_answers.refresh_from_db()
    assert not first_answers.is_draft  # the report as first sent stays readable

    reports.save_step(
        report, applicant, 0, {"done": "Уложено 300 м² плитки, фото в альбоме."}, {}, revision=report.revision
    )
    reports.submit(report, applicant)
    review.review_report(report, secretary, accept=True)
    report.refresh_from_db()
    assert report.status == ApplicationReport.Status.ACCEPTED
    assert report.history.count() >= 4


def test_only_the_winner_fills_the_report(winner):
    report = winner.reports.get()
    with pytest.raises(Refused) as refused:
        reports.save_step(report, UserFactory(), 0, {"done": "чужой"}, {}, revision=report.revision)
    assert refused.value.status == 403
    with pytest.raises(Refused):
        reports.submit(report, UserFactory())
    report.refresh_from_db()
    assert report.status == ApplicationReport.Status.DUE and report.submission.data == {}


def test_returning_a_report_needs_remarks(winner, secretary):
    report = winner.reports.get()
    reports.save_step(report, winner.applicant, 0, {"done": "Сделано."}, {}, revision=report.revision)
    reports.submit(report, winner.applicant)
    with pytest.raises(Refused) as refused:
        review.review_report(report, secretary, accept=False, remarks="")
    assert refused.value.problems[0][0] == "remarks"


def test_secretaries_may_announce_competitions_under_the_list_and_nowhere_else(
    competitions_index, secretary, site_tree
):
    secretary.refresh_from_db()
    assert competitions_index.permissions_for_user(secretary).can_add_subpage()
    assert competitions_index.permissions_for_user(secretary).can_publish_subpage()
    assert not site_tree["home"].permissions_for_user(secretary).can_add_subpage()
    assert not competitions_index.permissions_for_user(UserFactory(roles=["Лидер ТОС"])).can_add_subpage()
