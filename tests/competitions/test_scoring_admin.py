"""The secretary's expert review in the admin: assignment, overrides, progress, reminders, close and publish."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from competitions import applications, review
from competitions.models import (
    ApplicantType,
    Application,
    CompetitionStage,
    ExpertAssignment,
    ExpertTie,
    ScoringRound,
)
from tests.competitions.factories import fill
from tests.competitions.scoring_factories import admitted_application, make_expert, run_assignment, score, set_sheet
from tests.factories import UserFactory
from tests.tos.factories import TOSIndexPageFactory, leader_of, publish_profile

pytestmark = pytest.mark.django_db


def denied(response):
    """A refused admin view: 403, or Wagtail's redirect to its login page (anonymous or no admin access)."""
    if response.status_code == 302:
        return response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/")
    return response.status_code == 403


def text(response):
    return response.content.decode()


def url(name, competition, *args):
    return reverse(f"competition_scoring:{name}", args=[competition.pk, *args])


def dashboard(client, competition):
    response = client.get(url("dashboard", competition))
    assert response.status_code == 200
    return text(response)


@pytest.fixture
def as_secretary(client, secretary):
    client.force_login(secretary)
    return client


@pytest.fixture
def sheet_competition(competition):
    return set_sheet(competition, experts_per_application=2, passing_score=Decimal("10"))


@pytest.fixture
def profile(site_tree):
    return publish_profile(TOSIndexPageFactory(parent=site_tree["home"]), title="ТОС «Солнечный»")


def admitted_tos_application(competition, secretary, profile):
    leader = leader_of(profile)
    application, _created = applications.start(
        competition, leader, start_key="tos-1", applicant_type=ApplicantType.TOS, title="Сквер у школы", tos=profile
    )
    fill(application)
    applications.submit(application, leader)
    checklist = {row["document_id"]: {"ok": True} for row in review.checklist_for(application)}
    review.decide(application, secretary, decision="admit", checklist=checklist)
    application.refresh_from_db()
    return application


def review_stage(competition, ends_at):
    CompetitionStage.objects.create(
        page=competition, kind="expert_review", starts_at=ends_at - timedelta(days=20), ends_at=ends_at
    )


def started(competition, secretary, *, applications_count=1, experts=2):
    projects = [admitted_application(competition, secretary, title=f"Проект {n}") for n in range(applications_count)]
    pool = [make_expert(competition, name=f"Эксперт{n}", full_name=f"Эксперт {n}") for n in range(experts)]
    _scoring_round, created = run_assignment(competition, secretary)
    return projects, pool, created


# The index and the dashboard ---------------------------------------------------------------------------------------


def test_the_secretary_sees_competitions_and_a_dashboard_before_the_review(as_secretary, sheet_competition, secretary):
    admitted_application(sheet_competition, secretary, title="Детская площадка")

    index = as_secretary.get(reverse("competition_scoring:index"))
    assert index.status_code == 200
    assert sheet_competition.title in text(index) and url("dashboard", sheet_competition) in text(index)

    page = dashboard(as_secretary, sheet_competition)
    assert "не начата" in page
    assert "Назначить экспертов автоматически" in page
    assert "Детская площадка" in page and "Эксперты не назначены." in page
    assert "Закрыть оценку" not in page


def test_an_unknown_competition_is_404(as_secretary):
    assert as_secretary.get(reverse("competition_scoring:dashboard", args=[999999])).status_code == 404
    assert as_secretary.post(reverse("competition_scoring:assign", args=[999999])).status_code == 404


# Automatic assignment ----------------------------------------------------------------------------------------------


def test_automatic_assignment_creates_assignments_and_shows_the_seed(as_secretary, sheet_competition, secretary):
    for n in range(2):
        admitted_application(sheet_competition, secretary, title=f"Проект {n}")
    for n in range(3):
        make_expert(sheet_competition, full_name=f"Эксперт {n}")

    response = as_secretary.post(url("assign", sheet_competition), follow=True)

    assert response.status_code == 200
    assert ExpertAssignment.objects.filter(origin="automatic", status="active").count() == 4
    page = text(response)
    assert "Эксперты назначены автоматически: создано назначений — 4." in page
    scoring_round = ScoringRound.objects.get(competition=sheet_competition)
    assert scoring_round.seed in page
    assert "Версия листа оценки" in page and str(scoring_round.sheet_version) in page
    assert page.count("Лист оценки: не начат") == 4
    assert "Листов к сдаче: 4, отправлено: 0, ожидается: 4, просрочено: 0." in page


def test_too_few_experts_is_refused_in_russian_and_nothing_is_created(as_secretary, sheet_competition, secretary):
    admitted_application(sheet_competition, secretary)
    make_expert(sheet_competition)

    response = as_secretary.post(url("assign", sheet_competition))

    assert response.status_code == 409
    assert "Не хватает экспертов без конфликта интересов" in text(response)
    assert "Ничего не назначено." in text(response)
    assert not ExpertAssignment.objects.exists()
    assert not ScoringRound.objects.exists()


# Manual overrides --------------------------------------------------------------------------------------------------


def test_a_conflicted_expert_is_not_assigned_by_hand(as_secretary, sheet_competition, secretary, profile):
    application = admitted_tos_application(sheet_competition, secretary, profile)
    for n in range(2):
        make_expert(sheet_competition, full_name=f"Эксперт {n}")
    conflicted = make_expert(
        sheet_competition, full_name="Связанный Эксперт", ties=[(ExpertTie.Kind.TOS, {"tos": profile})]
    )
    run_assignment(sheet_competition, secretary)
    assert not ExpertAssignment.objects.filter(expert=conflicted).exists()

    response = as_secretary.post(
        url("assign_manually", sheet_competition),
        {"application": application.pk, "expert": conflicted.pk, "reason": "Нужен третий эксперт"},
    )

    assert response.status_code == 400
    assert "У эксперта конфликт интересов: заявлена связь с ТОС «ТОС «Солнечный»»." in text(response)
    assert not ExpertAssignment.objects.filter(expert=conflicted).exists()


def test_manual_assignment_needs_a_reason(as_secretary, sheet_competition, secretary):
    (application,), _pool, _created = started(sheet_competition, secretary)
    extra = make_expert(sheet_competition, full_name="Третий Эксперт")

    response = as_secretary.post(
        url("assign_manually", sheet_competition), {"application": application.pk, "expert": extra.pk, "reason": " "}
    )
    assert response.status_code == 400
    assert "Напишите причину ручного назначения." in text(response)
    assert not ExpertAssignment.objects.filter(expert=extra).exists()

    response = as_secretary.post(url("assign_manually", sheet_competition), {"application": "", "reason": "Нужно"})
    assert response.status_code == 400
    assert "Выберите заявку." in text(response) and "Выберите эксперта." in text(response)

    response = as_secretary.post(
        url("assign_manually", sheet_competition),
        {"application": application.pk, "expert": extra.pk, "reason": "Нужен специалист по озеленению"},
        follow=True,
    )
    assert "Третий Эксперт назначен на заявку" in text(response)
    made = ExpertAssignment.objects.get(expert=extra)
    assert made.origin == "manual" and made.reason == "Нужен специалист по озеленению"


def test_removing_an_expert_with_a_reason_assigns_a_replacement(as_secretary, sheet_competition, secretary):
    (application,), _pool, created = started(sheet_competition, secretary, experts=3)
    leaving = created[0]

    response = as_secretary.post(url("remove", sheet_competition, leaving.pk), {"reason": "", "reassign": "on"})
    assert response.status_code == 400
    assert "Напишите причину снятия эксперта." in text(response)
    leaving.refresh_from_db()
    assert leaving.is_active

    response = as_secretary.post(
        url("remove", sheet_competition, leaving.pk), {"reason": "Болезнь эксперта", "reassign": "on"}, follow=True
    )

    leaving.refresh_from_db()
    assert leaving.status == "removed" and leaving.reason == "Болезнь эксперта"
    replacement = ExpertAssignment.objects.get(origin="replacement")
    assert replacement.application == application and replacement.expert not in {item.expert for item in created}
    page = text(response)
    assert f"взамен назначен {replacement.expert.full_name}" in page
    assert "Болезнь эксперта" in page  # in the table and in the history
    assert "secretary@example.org" in page


def test_removing_without_replacement(as_secretary, sheet_competition, secretary):
    _projects, _pool, created = started(sheet_competition, secretary, experts=3)

    response = as_secretary.post(url("remove", sheet_competition, created[0].pk), {"reason": "Отпуск"}, follow=True)

    assert "снят с заявки" in text(response) and "без замены" in text(response)
    assert ExpertAssignment.objects.active().count() == 1


# Progress, overdue sheets and divergences --------------------------------------------------------------------------


def test_sheets_past_the_review_deadline_are_marked_overdue(as_secretary, sheet_competition, secretary):
    _projects, _pool, created = started(sheet_competition, secretary)
    score(created[0], {"relevance": "8", "budget": "6"})
    review_stage(sheet_competition, timezone.now() - timedelta(hours=1))

    page = dashboard(as_secretary, sheet_competition)

    assert "Листов к сдаче: 2, отправлено: 1, ожидается: 1, просрочено: 1." in page
    assert len(re.findall(r"w-status[^>]*>\s*просрочен\s*<", page)) == 1
    assert "отправлен, итог 22" in page  # 8×2 + 6×1


def test_divergent_totals_are_shown_with_the_extra_expert(as_secretary, secretary, competition):
    set_sheet(competition, experts_per_application=2, divergence_threshold=Decimal("5"))
    _projects, _pool, created = started(competition, secretary, experts=3)
    score(created[0], {"relevance": "9", "budget": "9"})
    score(created[1], {"relevance": "4", "budget": "1"})

    page = dashboard(as_secretary, competition)

    assert ExpertAssignment.objects.filter(origin="divergence").count() == 1
    assert "доп. эксперт из‑за расхождения" in page
    assert "Расхождения оценок" in page
    assert "больше чем на 5" in page
    assert "<td>27</td><td>9</td><td>18</td>" in page.replace("\n", "").replace(" ", "")
    assert "назначен</td>" in page


# Reminders ---------------------------------------------------------------------------------------------------------


def test_reminders_go_only_to_experts_with_pending_sheets(
    as_secretary, sheet_competition, secretary, mailoutbox, django_capture_on_commit_callbacks
):
    review_stage(sheet_competition, timezone.now() + timedelta(days=5))
    _projects, pool, created = started(sheet_competition, secretary, applications_count=2, experts=3)
    done = pool[0]
    for item in created:
        if item.expert == done:
            score(item, {"relevance": "8", "budget": "6"})
    idle = make_expert(sheet_competition, full_name="Без назначений")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = as_secretary.post(url("remind", sheet_competition), follow=True)

    waiting = {item.expert for item in created if item.expert != done}
    assert "Напоминания отправлены экспертам, у которых есть неотправленные листы: 2." in text(response)
    assert sorted(message.to[0] for message in mailoutbox) == sorted(expert.user.email for expert in waiting)
    assert done.user.email not in {message.to[0] for message in mailoutbox}
    assert idle.user.email not in {message.to[0] for message in mailoutbox}
    for message in mailoutbox:
        expert = next(expert for expert in waiting if expert.user.email == message.to[0])
        mine = [item.application for item in created if item.expert == expert]
        assert sheet_competition.title in message.subject
        for application in mine:
            assert f"{application.number} «{application.title}»" in message.body
        assert "Экспертиза завершается" in message.body and "(мск)" in message.body


# Close and publish -------------------------------------------------------------------------------------------------


def test_close_is_refused_while_sheets_are_pending_then_allowed_and_publish_awards(
    as_secretary, sheet_competition, secretary
):
    projects, _pool, created = started(sheet_competition, secretary, applications_count=2, experts=2)
    for item in created[:-1]:
        score(item, {"relevance": "8", "budget": "6"})
    pending = created[-1]

    response = as_secretary.post(url("close", sheet_competition))
    assert response.status_code == 409
    assert "Не все листы оценки отправлены" in text(response)
    assert f"{pending.application.number} — {pending.expert.full_name}" in text(response)
    assert ScoringRound.objects.get().status == "open"

    score(pending, {"relevance": "8", "budget": "6"})
    response = as_secretary.post(url("close", sheet_competition), follow=True)
    page = text(response)
    assert ScoringRound.objects.get().status == "closed"
    assert "Итоги (ещё не опубликованы)" in page
    assert "23,00" in page  # 8×2 + 6×1 + 1 point for the residents' share, to 2 places
    assert "поддержана" in page and "970\u00a0000,00 ₽" in page
    assert "Опубликовать итоги" in page
    assert "Назначить экспертов автоматически" not in page and "Закрыть оценку" not in page

    response = as_secretary.post(url("publish", sheet_competition), follow=True)
    assert "Итоги опубликованы. Победителями объявлены заявки: 2" in text(response)
    assert ScoringRound.objects.get().status == "published"
    for project in projects:
        project.refresh_from_db()
        assert project.status == Application.Status.AWARDED and project.award_amount == Decimal("970000")
    assert "Опубликовать итоги</button>" not in text(response)

    again = as_secretary.post(url("publish", sheet_competition))
    assert again.status_code == 409 and "только один раз" in text(again)


# Permissions -------------------------------------------------------------------------------------------------------


@pytest.fixture
def tos_leader(profile):
    return leader_of(profile)


@pytest.mark.parametrize("who", ["methodologist", "expert", "tos_leader", "anonymous"])
def test_others_can_neither_see_nor_change_the_review(client, who, sheet_competition, secretary, tos_leader):
    (application,), pool, created = started(sheet_competition, secretary, experts=3)
    spare = next(expert for expert in pool if expert not in {item.expert for item in created})
    if who == "methodologist":
        client.force_login(UserFactory(roles=["Методист"]))
    elif who == "expert":
        client.force_login(created[0].expert.user)
    elif who == "tos_leader":
        client.force_login(tos_leader)

    assert denied(client.get(reverse("competition_scoring:index")))
    assert denied(client.get(url("dashboard", sheet_competition)))
    assert denied(client.post(url("assign", sheet_competition)))
    assert denied(
        client.post(
            url("assign_manually", sheet_competition),
            {"application": application.pk, "expert": spare.pk, "reason": "Так нужно"},
        )
    )
    assert denied(client.post(url("remove", sheet_competition, created[0].pk), {"reason": "Так нужно"}))
    assert denied(client.post(url("remind", sheet_competition)))
    assert denied(client.post(url("close", sheet_competition)))
    assert denied(client.post(url("publish", sheet_competition)))

    assert ExpertAssignment.objects.count() == 2 and ExpertAssignment.objects.active().count() == 2
    assert ScoringRound.objects.get().status == "open"


def test_the_review_is_reached_only_by_post(as_secretary, sheet_competition, secretary):
    started(sheet_competition, secretary)
    for name in ("assign", "remind", "close", "publish"):
        assert as_secretary.get(url(name, sheet_competition)).status_code == 405
    assert ScoringRound.objects.get().status == "open"
