"""load_demo: «Конкурсы» with the initiative-budgeting competition of domain.md §8.5, a TOS competition, a demo
secretary, and applications of the demo TOS in every status; last year's competition with an expert pool, a finished
expert review and published results. All made through the services the interface uses."""

import io
from decimal import Decimal
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from accounts.roles import EXPERT
from competitions import applications, assignment, ranking, review, scoring
from competitions.demo import (
    EXPERT_ACCOUNT,
    EXPERTS,
    FINISHED_COMPETITION,
    IB_COMPETITION,
    LEADER,
    SECRETARY_ACCOUNT,
    TOS_COMPETITION,
)
from competitions.models import (
    AdmissibilityReview,
    Application,
    ApplicationReport,
    ApplicationVersion,
    CompetitionIndexPage,
    CompetitionPage,
    ConflictDeclaration,
    Expert,
    ExpertAssignment,
    ReportForm,
    ScoreSheet,
    ScoringRound,
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
        "experts": Expert.objects.count(),
        "declarations": ConflictDeclaration.objects.count(),
        "rounds": ScoringRound.objects.count(),
        "assignments": ExpertAssignment.objects.count(),
        "sheets": ScoreSheet.objects.count(),
        "sheet history": ScoreSheet.history.count(),
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
        "finished": CompetitionPage.objects.get(slug=FINISHED_COMPETITION["slug"]),
    }


def by_status(competition):
    return {application.status: application for application in competition.applications.all()}


def test_a_second_load_creates_nothing(demo):
    before = counts()
    load_demo()
    assert counts() == before
    assert before["competitions"] == 3 and before["applications"] == 12
    assert before["experts"] == 6 and before["declarations"] == 6 and before["rounds"] == 1
    assert before["assignments"] == before["sheets"] == 13  # six applications × two experts, and a third on one


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
    for page in (demo["ib"], demo["tos"]):
        assert page.intake_closed_message() is None
        assert page.current_stage().kind == "intake"
        closes = timezone.localtime(page.deadline)
        assert (closes.hour, closes.minute) == (23, 59)
        assert closes.date() >= timezone.localdate()


def test_demo_forms_pass_the_checks_of_the_page_editor(demo):
    for page in demo.values():
        page.application_form.stream_block.clean(page.application_form)
        page.scoring_sheet.stream_block.clean(page.scoring_sheet)
        for form in page.report_forms.all():
            form.fields.stream_block.clean(form.fields)
        page.full_clean()  # the finished competition's sheet is locked: an unchanged page must still save
    finished = demo["finished"]
    assert finished.scoring_sheet_data() == finished.scoring_round.sheet_version.definition


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
        FINISHED_COMPETITION["slug"],
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


# --- Last year's competition: the expert review and the published results ---------------------------------------

FINISHED_ORDER = ["ИБ-2025-0002", "ИБ-2025-0004", "ИБ-2025-0001", "ИБ-2025-0005", "ИБ-2025-0006", "ИБ-2025-0003"]


def result_rows(page):
    return {row["number"]: row for row in scoring.published_results(page)["rows"]}


def test_the_finished_competition_lies_in_the_past_and_its_results_are_published(demo):
    page = demo["finished"]
    assert page.live and page.year == 2025 and page.current_stage() is None
    assert all(stage.ends_at < timezone.now() for stage in page.stages.all())
    assert page.intake_closed_message().startswith("Приём заявок закрыт 31.03.2025 23:59")
    assert page.scoring_round.status == ScoringRound.Status.PUBLISHED
    assert sorted(page.applications.values_list("number", flat=True)) == sorted(FINISHED_ORDER)


def test_the_published_ranking_has_a_passing_score_cut_and_a_fund_that_does_not_fit_everyone(demo):
    """The numbers of the worked example in docs/ru/secretary.md."""
    page = demo["finished"]
    results = scoring.published_results(page)
    assert [row["number"] for row in results["rows"]] == FINISHED_ORDER
    rows = result_rows(page)
    assert {number: rows[number]["expert_totals"] for number in FINISHED_ORDER} == {
        "ИБ-2025-0002": ["71", "65"],
        "ИБ-2025-0004": ["65", "58"],
        "ИБ-2025-0001": ["63", "60"],
        "ИБ-2025-0005": ["67", "37", "59"],
        "ИБ-2025-0006": ["53", "47"],
        "ИБ-2025-0003": ["38", "39"],
    }
    assert {number: rows[number]["final_score"] for number in FINISHED_ORDER} == {
        "ИБ-2025-0002": "78",
        "ИБ-2025-0004": "68.5",
        "ИБ-2025-0001": "68.5",
        "ИБ-2025-0005": "193/3",
        "ИБ-2025-0006": "54",
        "ИБ-2025-0003": "42.5",
    }
    assert rows["ИБ-2025-0005"]["final_score_shown"] == "64.33"
    assert [rows[number]["standing"] for number in FINISHED_ORDER] == [
        "funded",
        "funded",
        "not_fitting",
        "funded",
        "not_fitting",
        "below_passing",
    ]
    assert results["passing_line_after"] == 5
    assert results["pools"] == [
        {"key": "common", "name": "", "fund": "3000000.00", "granted": "2840000.00", "remaining": "160000.00"}
    ]
    awarded = {a.number: a.award_amount for a in page.applications.filter(status=Application.Status.AWARDED)}
    assert awarded == {
        "ИБ-2025-0002": Decimal("640000.00"),
        "ИБ-2025-0004": Decimal("1300000.00"),
        "ИБ-2025-0005": Decimal("900000.00"),
    }


def test_the_tie_at_the_fund_line_goes_to_the_higher_residents_share_not_to_the_earlier_number(demo):
    rows = result_rows(demo["finished"])
    square, yard = rows["ИБ-2025-0004"], rows["ИБ-2025-0001"]
    assert square["final_score"] == yard["final_score"] and square["rank"] < yard["rank"]
    assert (square["residents_share"], yard["residents_share"]) == ("7.1429", "5.8333")
    assert (square["granted"], yard["granted"]) == ("1300000.00", None)


def test_with_the_stop_rule_the_same_scores_would_end_the_allocation_at_the_tie(demo):
    """The «stop» variant of the worked example, computed from the same sheets by the same formula."""
    page = demo["finished"]
    rules = scoring.rules_of(page, page.scoring_round)
    rules.allocation_rule = "stop"
    result = ranking.rank(rules, scoring.entries(page.scoring_round))
    assert [(row.entry.number, row.standing) for row in result.rows] == [
        ("ИБ-2025-0002", "funded"),
        ("ИБ-2025-0004", "funded"),
        ("ИБ-2025-0001", "stopped"),
        ("ИБ-2025-0005", "stopped"),
        ("ИБ-2025-0006", "stopped"),
        ("ИБ-2025-0003", "below_passing"),
    ]
    [pool] = result.pools
    assert (pool.granted, pool.remaining) == (Decimal("1940000.00"), Decimal("1060000.00"))


def test_a_divergence_brought_a_third_expert_who_scored_too(demo):
    page = demo["finished"]
    playground = Application.objects.get(number="ИБ-2025-0005")
    assignments = list(playground.expert_assignments.order_by("sheet__submitted_at", "pk"))
    assert [item.origin for item in assignments] == ["automatic", "automatic", "divergence"]
    assert [item.sheet.expert_total for item in assignments] == [67, 37, 59]
    assert all(item.sheet.is_submitted and item.is_active for item in assignments)
    assert assignment.divergences(page.scoring_round) == [(playground, [67, 37, 59], True)]
    others = page.applications.exclude(pk=playground.pk)
    assert all(application.expert_assignments.count() == 2 for application in others)


def test_the_expert_with_a_tie_to_the_demo_tos_is_not_put_on_its_application(demo):
    page = demo["finished"]
    tos_application = Application.objects.get(number="ИБ-2025-0001")
    tied = Expert.objects.get(ties__tos=tos_application.tos)
    assert assignment.conflicts(tied, tos_application, page) == [
        "заявлена связь с ТОС «ТОС «Солнечный квартал» (демо)»"
    ]
    assert not ExpertAssignment.objects.filter(expert=tied, application=tos_application).exists()
    assert ExpertAssignment.objects.filter(expert=tied).exists()  # she scores other applications
    declaration = ConflictDeclaration.objects.get(expert=tied, competition=page)
    assert [tie["tos"] for tie in declaration.ties_declared] == ["ТОС «Солнечный квартал» (демо)"]


def test_the_stored_seed_reproduces_the_automatic_assignment(demo):
    """As docs/ru/secretary.md tells: the seed, the pool and the applications give the same pairs again."""
    page = demo["finished"]
    scoring_round = page.scoring_round
    made = ExpertAssignment.objects.filter(scoring_round=scoring_round, origin=ExpertAssignment.Origin.AUTOMATIC)
    in_round = list(page.applications.filter(expert_assignments__isnull=False).distinct().order_by("number"))
    pairs, short = assignment.plan(
        scoring_round, in_round, list(assignment.pool(page)), [], page.experts_per_application
    )
    assert not short
    assert {(item.pk, expert.pk) for item, expert in pairs} == set(made.values_list("application", "expert"))


def test_every_sent_sheet_has_the_comments_its_rules_ask_for_and_a_recommendation(demo):
    scoring_round = demo["finished"].scoring_round
    criteria = [criterion for criterion in scoring_round.criteria if criterion.is_expert]
    recommendation = next(item for item in scoring_round.sheet.fields if item.code == "recommendation")
    low_scores_explained = 0
    for sheet in ScoreSheet.objects.filter(assignment__scoring_round=scoring_round):
        assert sheet.is_submitted and sheet.answers[recommendation.id]
        for criterion in criteria:
            answer = sheet.answers[criterion.id]
            if criterion.needs_comment(Decimal(answer["score"])):
                assert answer["comment"], (sheet, criterion.name)
                low_scores_explained += criterion.comment_rule == "at_or_below"
    assert low_scores_explained == 3


def test_the_experts_and_the_demo_expert_account(demo):
    user = get_user_model().objects.get(email=EXPERT_ACCOUNT["email"])
    assert not user.has_usable_password() and user.groups.filter(name=EXPERT).exists()
    assert user.expert.full_name == "Соколова Ирина Владимировна" and user.expert.municipality.short_name == "Калуга"
    own = ExpertAssignment.objects.of_expert_user(user)
    assert own.count() >= 2 and all(item.sheet.is_submitted for item in own)
    finished = demo["finished"]
    assert ConflictDeclaration.objects.filter(competition=finished).count() == len(EXPERTS)
    assert not ConflictDeclaration.objects.filter(competition=demo["ib"]).exists()  # left for the reader to sign
    loads = sorted(item[1] for item in assignment.expert_loads(finished.scoring_round))
    assert loads == [2, 2, 2, 2, 2, 3]  # twelve assignments spread evenly, plus the third expert


def test_the_live_competition_has_its_scoring_sheet_and_no_review_yet(demo):
    page = demo["ib"]
    names = [criterion.name for criterion in page.criteria]
    assert names == [
        "Актуальность и социальная значимость",
        "Вклад жителей",
        "Реалистичность сметы",
        "Устойчивость результата",
        "Софинансирование жителей",
    ]
    relevance, _residents, budget, _sustainability, residents_share = page.criteria
    assert relevance.bands[0][2].startswith("Проблема не описана")
    assert [(band[0], band[1]) for band in relevance.bands] == [(0, 2), (3, 5), (6, 8), (9, 10)]
    assert budget.weight_for("", Decimal("1200000")) == 3 and budget.weight_for("", Decimal("900000")) == 2
    assert [residents_share.points_for(Decimal(share)) for share in ("2.9", "3", "7.5", "10")] == [0, 4, 7, 10]
    assert page.experts_per_application == 3 and page.divergence_threshold == 15 and page.passing_score == 50
    assert page.tie_break_rules == ("residents_share", "earlier_submission")
    assert not ScoringRound.objects.filter(competition=page).exists()


def test_the_applicant_sees_the_experts_comments_without_their_names(demo):
    yard = Application.objects.get(number="ИБ-2025-0001")
    feedback = scoring.applicant_feedback(yard)
    assert feedback["row"]["standing"] == "not_fitting"
    assert [item["expert"] for item in feedback["comments"]] == ["Эксперт 1", "Эксперт 2"]
    names = {expert.full_name for expert in Expert.objects.all()}
    assert not any(name in str(feedback) for name in names)


def test_the_results_page_and_the_expert_cabinet_of_the_demo_render(demo, client):
    page = demo["finished"]
    response = client.get(page.url + page.reverse_subpage("results"))
    assert response.status_code == 200
    assert all(number in response.text for number in FINISHED_ORDER)

    client.force_login(get_user_model().objects.get(email=EXPERT_ACCOUNT["email"]))
    response = client.get("/ru/cabinet/expert/")
    assert response.status_code == 200 and page.title in response.text
    assert IB_COMPETITION["title"] in response.text  # its declaration is there to sign
