"""load_demo: «Конкурсы» with the initiative-budgeting competition of domain.md §8.5, a TOS competition, a demo
secretary, and applications of the demo TOS in every status, made through the services the interface uses."""

import io
from decimal import Decimal
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from competitions import applications, review
from competitions.demo import IB_COMPETITION, LEADER, SECRETARY_ACCOUNT, TOS_COMPETITION
from competitions.models import (
    AdmissibilityReview,
    Application,
    ApplicationReport,
    ApplicationVersion,
    CompetitionIndexPage,
    CompetitionPage,
    ReportForm,
    SentReminder,
)
from forms.models import Submission, SubmissionFile
from website.models import NavigationSettings

pytestmark = pytest.mark.django_db


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


def counts():
    return {
        "competitions": CompetitionPage.objects.count(),
        "applications": Application.objects.count(),
        "application history": Application.history.count(),
        "versions": ApplicationVersion.objects.count(),
        "reviews": AdmissibilityReview.objects.count(),
        "reports": ApplicationReport.objects.count(),
        "submissions": Submission.objects.count(),
        "files": SubmissionFile.objects.count(),
        "users": get_user_model().objects.count(),
        "revisions": Revision.objects.count(),
        "menu": len(NavigationSettings.objects.get().main_menu),
    }


@pytest.fixture
def demo():
    load_demo()
    return {
        "ib": CompetitionPage.objects.get(slug=IB_COMPETITION["slug"]),
        "tos": CompetitionPage.objects.get(slug=TOS_COMPETITION["slug"]),
    }


def by_status(competition):
    return {application.status: application for application in competition.applications.all()}


def test_a_second_load_creates_nothing(demo):
    before = counts()
    load_demo()
    assert counts() == before
    assert before["competitions"] == 2 and before["applications"] == 6


def test_the_initiative_budgeting_competition_follows_domain_8_5(demo):
    page = demo["ib"]
    assert page.live and page.kind.number_prefix == "ИБ" and page.year == 2026
    assert page.fund == Decimal("5000000") and page.max_per_project == Decimal("1500000")
    assert "27.01.2021 № 14" in page.legal_basis
    assert "90 %" in page.description and "10 %" in page.description
    [rule] = page.cofinancing_rules.all()
    assert (rule.source, rule.min_share, rule.counted_kinds) == ("residents", Decimal("3.00"), {"money", "labour"})
    assert [stage.name for stage in page.stages.all()] == [
        "Заявки на определение территории",
        "Приём проектов",
        "Проверка документов",
        "Оценка комиссией",
        "Публикация итогов",
        "Реализация проектов",
        "Отчёт о реализации",
    ]
    stages = list(page.stages.all())
    assert all(later.starts_at > earlier.ends_at for earlier, later in pairwise(stages))
    assert {document.title for document in page.required_documents.all()} >= {
        "Протокол собрания жителей или подписные листы (16+)",
        "Гарантийные письма о софинансировании",
        "Копия устава ТОС и решение органа ТОС",
    }
    assert [form.kind for form in page.report_forms.all()] == ["progress", "financial", "final"]
    reporting = page.stage("reporting")
    assert all(form.due_at <= reporting.ends_at for form in page.report_forms.all())
    assert page.report_forms.get(kind="progress").due_at < page.stage("implementation").ends_at
    assert [step.title for step in page.application_definition.steps] == ["О проекте", "Участие жителей", "Документы"]


def test_the_intake_is_open_right_after_loading_and_closes_at_2359_moscow(demo):
    for page in demo.values():
        assert page.intake_closed_message() is None
        assert page.current_stage().kind == "intake"
        closes = timezone.localtime(page.deadline)
        assert (closes.hour, closes.minute) == (23, 59)
        assert closes.date() >= timezone.localdate()


def test_demo_forms_pass_the_checks_of_the_page_editor(demo):
    for page in demo.values():
        page.application_form.stream_block.clean(page.application_form)
        for form in page.report_forms.all():
            form.fields.stream_block.clean(form.fields)


def test_the_tos_competition_takes_tos_only_with_two_funded_nominations(demo):
    page = demo["tos"]
    assert page.kind.number_prefix == "ТОС" and page.accepts_tos and not page.accepts_groups
    assert {(n.name, n.fund) for n in page.nominations.all()} == {
        ("Благоустройство, охрана памятников", Decimal("1200000.00")),
        ("Здоровый образ жизни, физкультура и спорт", Decimal("800000.00")),
    }
    [application] = page.applications.all()
    assert application.number == "ТОС-2026-0001" and application.nomination.name.startswith("Благоустройство")


def test_applications_of_the_demo_tos_are_in_every_status(demo):
    applications_by_status = by_status(demo["ib"])
    assert set(applications_by_status) == {"draft", "submitted", "correction", "admitted", "awarded"}
    leader = get_user_model().objects.get(email=LEADER["email"])
    assert all(a.applicant == leader and a.applicant_type == "tos" for a in applications_by_status.values())
    assert applications_by_status["draft"].number is None
    numbers = sorted(a.number for a in applications_by_status.values() if a.number)
    assert numbers == ["ИБ-2026-0001", "ИБ-2026-0002", "ИБ-2026-0003", "ИБ-2026-0004"]

    returned = applications_by_status["correction"]
    assert "секретарём собрания" in returned.decision_reason and returned.correction_deadline > timezone.now()
    assert returned.latest_version.review.decision == "return"
    assert [row["ok"] for row in returned.latest_version.review.checklist].count(False) == 1

    awarded = applications_by_status["awarded"]
    assert awarded.award_amount == Decimal("1200000.00")
    statuses = {report.report_form.kind: report.status for report in awarded.reports.all()}
    assert statuses == {"progress": "submitted", "financial": "due", "final": "due"}

    submitted = applications_by_status["submitted"]
    version = submitted.latest_version
    assert len(version.content_hash) == 64 and version.submission.files.count() == 5


def test_the_demo_secretary_may_review_and_has_no_password(demo):
    secretary = get_user_model().objects.get(email=SECRETARY_ACCOUNT["email"])
    assert review.can_review(secretary) and not secretary.has_usable_password()
    submitted = by_status(demo["ib"])["submitted"]
    review.decide(submitted, secretary, decision="reject", checklist={}, reasons="Проверка демо.")
    submitted.refresh_from_db()
    assert submitted.status == "rejected"


def test_the_demo_leader_can_go_on_with_the_draft_and_the_correction(demo):
    by_status_ = by_status(demo["ib"])
    draft, returned = by_status_["draft"], by_status_["correction"]
    assert applications.writable_message(draft) is None and applications.writable_message(returned) is None
    version, created = applications.submit(returned, returned.applicant)
    assert created and version.number == 2


def test_nobody_else_can_change_the_demo_applications(demo):
    draft = by_status(demo["ib"])["draft"]
    secretary = get_user_model().objects.get(email=SECRETARY_ACCOUNT["email"])
    with pytest.raises(applications.Refused) as refused:
        applications.withdraw(draft, secretary)
    assert refused.value.status == 403


def test_the_demo_sets_no_reminders_off_by_itself(demo):
    assert not SentReminder.objects.exists()


def test_the_competitions_index_is_in_the_menu(demo):
    index = CompetitionIndexPage.objects.get()
    assert index.slug == "konkursy" and index.live
    assert index.pk in [item.value["page"].pk for item in NavigationSettings.objects.get().main_menu]
    assert set(CompetitionPage.objects.child_of(index).values_list("slug", flat=True)) == {
        IB_COMPETITION["slug"],
        TOS_COMPETITION["slug"],
    }


def test_report_forms_of_the_tos_competition(demo):
    assert [form.kind for form in demo["tos"].report_forms.all()] == [ReportForm.Kind.FINAL]


def test_the_public_pages_of_the_demo_render(demo, client):
    index = CompetitionIndexPage.objects.get()
    response = client.get(index.url)
    assert response.status_code == 200
    assert IB_COMPETITION["title"] in response.text and TOS_COMPETITION["title"] in response.text

    page = demo["ib"]
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Приём проектов" in response.text and "Конкурсный отбор инициативных проектов 2026 (демо)" in response.text

    awarded = by_status(page)["awarded"]
    response = client.get(page.url + page.reverse_subpage("project", args=[awarded.number]))
    assert response.status_code == 200
    assert awarded.number in response.text and "ТОС «Солнечный квартал» (демо)" in response.text
    assert "Промежуточный отчёт о ходе реализации" in response.text and "Итоговый отчёт" in response.text
    assert "инициативные платежи 120 семей" not in response.text  # the application itself stays private

    admitted = by_status(page)["admitted"]
    assert client.get(page.url + page.reverse_subpage("project", args=[admitted.number])).status_code == 404
