"""Public competition pages: the competition (current stage, timeline, money, rules, countdown), the list of
competitions, and a winner's result card with report statuses — never an applicant's answers or personal data."""

from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model

from competitions import reports, review
from competitions.models import ApplicantType, CompetitionDocument, Nomination, ReportForm
from competitions.public import duration_text
from tests.competitions.factories import fill, publish_competition, submitted_application
from tests.factories import UserFactory
from tests.forms.factories import block
from tests.tos.factories import TOSIndexPageFactory, leader_of, publish_profile

pytestmark = pytest.mark.django_db

MOMENT = datetime(2026, 3, 20, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def text(response):
    return response.content.decode()


def add_report_form(competition, *, title="Промежуточный отчёт", kind="progress", due_at=None):
    return ReportForm.objects.create(
        page=competition,
        kind=kind,
        title=title,
        due_at=due_at or competition.deadline + timedelta(days=60),
        fields=[block("long_text", "Что сделано", id="done")],
    )


def awarded_application(competition, user=None, amount="900000", application=None):
    """A submitted application admitted (every document in order) and declared a winner by the secretary."""
    application = application or submitted_application(competition, user)
    secretary = UserFactory(roles=["Секретарь конкурса"])
    checklist = {row["document_id"]: {"ok": True} for row in review.checklist_for(application)}
    review.decide(application, secretary, decision="admit", checklist=checklist)
    review.award(application, secretary, amount=Decimal(amount))
    application.refresh_from_db()
    return application


def card_url(competition, number):
    return competition.url + competition.reverse_subpage("project", args=[number])


# --- The competition page -------------------------------------------------------------------------------------------


def test_the_page_shows_the_current_stage_timeline_and_countdown(client, competitions_index):
    with time_machine.travel(MOMENT, tick=False):
        competition = publish_competition(
            competitions_index, opens=MOMENT - timedelta(days=1), closes=MOMENT + timedelta(days=5, hours=6)
        )
        response = client.get(competition.url)

    page = text(response)
    assert response.status_code == 200
    assert "Сейчас идёт этап: <strong>приём заявок</strong>" in page
    assert 'aria-current="step"' in page
    assert "до окончания приёма заявок: 5 дней 6 часов".capitalize() in page
    assert f'data-deadline="{(MOMENT + timedelta(days=5, hours=6)).isoformat()}"' in page
    assert "с 19.03.2026 12:00 (мск) по 25.03.2026 18:00 (мск)" in page
    assert "проверка документов" in page
    assert "js/competitions.js" in page


def test_the_countdown_before_and_after_the_intake(client, competitions_index):
    with time_machine.travel(MOMENT, tick=False):
        upcoming = publish_competition(
            competitions_index, opens=MOMENT + timedelta(days=2), closes=MOMENT + timedelta(days=12)
        )
        closed = publish_competition(
            competitions_index, opens=MOMENT - timedelta(days=12), closes=MOMENT - timedelta(days=2)
        )
        before = client.get(upcoming.url)
        after = client.get(closed.url)

    assert "Приём заявок начнётся 22.03.2026 12:00 (мск)." in text(before)
    assert "Приём заявок закрыт 18.03.2026 12:00 (мск)." in text(after)
    assert "Подать заявку</a>" not in text(before)
    assert "Подать заявку</a>" not in text(after)


def test_the_countdown_text_to_the_minute():
    assert duration_text(timedelta(days=5, hours=6, minutes=59)) == "5 дней 6 часов"
    assert duration_text(timedelta(hours=5, minutes=12)) == "5 часов 12 минут"
    assert duration_text(timedelta(seconds=30)) == "меньше минуты"


def test_the_page_lists_money_rules_nominations_documents_and_how_to_apply(client, competition):
    competition.nominations.add(Nomination(name="Детские площадки", fund=Decimal("2000000")))
    regulation = get_document_model().objects.create(
        title="Положение", file=SimpleUploadedFile("polozhenie.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    )
    competition.documents.add(CompetitionDocument(title="Положение о конкурсе", document=regulation))
    competition.save_revision().publish()

    response = client.get(competition.url)

    page = text(response)
    assert "Инициативное бюджетирование" in page
    assert "Администрация МО (демо)" in page
    assert "Решение Городской Думы г. Калуги от 27.01.2021 № 14" in page
    assert "5\xa0000\xa0000,00 ₽" in page
    assert "1\xa0500\xa0000,00 ₽" in page
    assert "Детские площадки" in page
    assert "фонд 2\xa0000\xa0000,00 ₽" in page
    assert "жители — не меньше 3 % стоимости проекта, засчитываются деньги" in page
    assert "Протокол собрания жителей" in page
    assert "Копия устава ТОС" in page
    assert "только ТОС" in page
    assert "Положение о конкурсе" in page
    assert regulation.url in page
    assert "Как подать заявку" in page


def test_the_apply_button_leads_anonymous_visitors_to_sign_in_first(client, competition):
    start = reverse("competitions:start", args=[competition.pk])

    anonymous = text(client.get(competition.url))
    client.force_login(UserFactory())
    signed_in = text(client.get(competition.url))

    assert f"{reverse('account_login')}?next={quote(start, safe='')}" in anonymous
    assert f'href="{start}"' in signed_in


def test_the_index_lists_competitions_with_kind_year_stage_and_deadline(client, competitions_index):
    with time_machine.travel(MOMENT, tick=False):
        publish_competition(competitions_index, closes=MOMENT + timedelta(days=10))
        response = client.get(competitions_index.url)

    page = text(response)
    assert "Конкурсный отбор инициативных проектов 2026" in page
    assert "Инициативное бюджетирование · 2026" in page
    assert "Сейчас: <strong>приём заявок</strong>" in page
    assert "Приём заявок до 30.03.2026 12:00 (мск)" in page


# --- Winners and their result cards -----------------------------------------------------------------------------


def test_a_card_exists_only_for_an_awarded_application(client, competition):
    submitted = submitted_application(competition)

    assert client.get(card_url(competition, submitted.number)).status_code == 404
    assert client.get(card_url(competition, "ИБ-2026-9999")).status_code == 404


def test_the_card_of_a_winner_shows_the_award_and_report_statuses_without_personal_data(client, competition):
    add_report_form(competition, title="Промежуточный отчёт", due_at=competition.deadline + timedelta(days=30))
    add_report_form(competition, title="Итоговый отчёт", kind="final", due_at=competition.deadline + timedelta(days=90))
    application = awarded_application(competition, UserFactory(email="leader@example.org"))
    progress = application.reports.get(report_form__title="Промежуточный отчёт")
    with time_machine.travel(progress.due_at + timedelta(days=1)):
        reports.save_step(progress, application.applicant, 0, {"done": "Площадка собрана."}, {}, revision=0)
        reports.submit(progress, application.applicant)

    response = client.get(card_url(competition, application.number))

    page = text(response)
    assert response.status_code == 200
    assert application.title in page
    assert "Жители ул. Садовой, 5" in page
    assert "900\xa0000,00 ₽" in page
    assert "сдан, на проверке" in page
    assert "с опозданием" in page
    assert "ожидается" in page
    assert "leader@example.org" not in page
    assert "Петрова" not in page
    assert "Во дворе нет детской площадки." not in page
    assert "Площадка собрана." not in page


def test_the_competition_page_lists_winners_with_links_to_their_cards(client, competition):
    application = awarded_application(competition)
    draft_title = "Ещё не победитель"
    submitted_application(competition, title=draft_title)

    page = text(client.get(competition.url))

    assert "Победители" in page
    assert card_url(competition, application.number) in page or quote(application.number) in page
    assert draft_title not in page


def test_a_tos_winner_links_to_the_tos_page(client, competition, site_tree):
    from competitions import applications

    profile = publish_profile(TOSIndexPageFactory(parent=site_tree["home"]), title="ТОС «Солнечный»")
    leader = leader_of(profile)
    application, _created = applications.start(
        competition, leader, start_key="tos-1", applicant_type=ApplicantType.TOS, title="Сквер у школы", tos=profile
    )
    fill(application)
    applications.submit(application, leader)
    awarded_application(competition, application=application)

    page = text(client.get(card_url(competition, application.number)))

    assert f'<a href="{profile.url}">ТОС «Солнечный»</a>' in page
