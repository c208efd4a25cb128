"""The applicant's cabinet: only one's own applications, versions and reports (anyone else's answer 403), sign-in
first, the «Мои заявки на конкурсы» section, and winners' reports filled, handed in and returned with remarks."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from competitions import review
from competitions.models import Application, ApplicationReport
from tests.competitions.factories import start_group_application, submitted_application
from tests.competitions.test_public import add_report_form, awarded_application
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"competitions:{name}", args=args)


def text(response):
    return response.content.decode()


@pytest.fixture
def owner(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def winner(competition, owner):
    add_report_form(competition, title="Промежуточный отчёт")
    return awarded_application(competition, owner)


# --- Sign-in and other people's applications ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["my_applications", "application", "edit", "check", "withdraw", "start"])
def test_anonymous_visitors_are_sent_to_sign_in(client, competition, name):
    application = start_group_application(competition)
    target = url(name, competition.pk) if name == "start" else url(name) if name == "my_applications" else None
    target = target or url(name, application.pk)

    response = client.get(target)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert "next=" in response["Location"]


def test_another_persons_application_pages_are_forbidden(client, competition, owner):
    application = submitted_application(competition)  # someone else's
    pages = [
        url("application", application.pk),
        url("edit", application.pk),
        url("edit_step", application.pk, 1),
        url("check", application.pk),
        url("withdraw", application.pk),
        url("version", application.pk, 1),
    ]

    for page in pages:
        response = client.get(page)
        assert response.status_code == 403, page
        assert application.title not in response.content.decode()


def test_another_persons_application_cannot_be_changed_submitted_or_withdrawn(client, competition, owner):
    draft = start_group_application(competition)  # someone else's
    revision = draft.revision

    edited = client.post(url("edit", draft.pk), {"revision": revision, "title": "Чужое", "ledger-count": "0"})
    stepped = client.post(url("edit_step", draft.pk, 1), {"revision": revision, "problem": "Чужое"})
    submitted = client.post(url("submit", draft.pk), {"revision": revision})
    withdrawn = client.post(url("withdraw", draft.pk), {"reason": "Чужое"})

    assert [edited.status_code, stepped.status_code, submitted.status_code, withdrawn.status_code] == [403] * 4
    draft.refresh_from_db()
    assert draft.title != "Чужое"
    assert draft.status == Application.Status.DRAFT
    assert draft.revision == revision
    assert draft.submission.data == {}


def test_another_persons_report_is_forbidden(client, competition, owner):
    add_report_form(competition)
    someone_elses = awarded_application(competition)
    report = someone_elses.reports.get()

    assert client.get(url("report", report.pk)).status_code == 403
    assert client.post(url("report", report.pk), {"revision": report.revision, "done": "Чужое"}).status_code == 403
    report.refresh_from_db()
    assert report.submission.data == {}


def test_my_applications_lists_only_my_own(client, competition, owner):
    mine = start_group_application(competition, owner, title="Моя площадка")
    submitted_application(competition, title="Чужой сквер")

    response = client.get(url("my_applications"))

    page = text(response)
    assert "Моя площадка" in page
    assert "Чужой сквер" not in page
    assert "черновик" in page
    assert "Продолжить заполнение" in page
    assert url("edit", mine.pk) in page


# --- The cabinet section ------------------------------------------------------------------------------------------


def test_the_cabinet_shows_my_latest_applications_and_reports_due(client, winner):
    response = client.get(reverse("cabinet"))

    page = text(response)
    assert "Мои заявки на конкурсы" in page
    assert winner.title in page
    assert winner.number in page
    assert "победитель" in page
    assert "Отчёты, которые нужно сдать" in page
    assert url("report", winner.reports.get().pk) in page


def test_the_cabinet_section_invites_to_competitions_when_there_are_no_applications(client, competition, owner):
    page = text(client.get(reverse("cabinet")))

    assert "Вы ещё не подавали заявок на конкурсы." in page
    assert competition.get_parent().url in page


# --- Reports ------------------------------------------------------------------------------------------------------


def test_a_winner_fills_and_hands_in_a_report(client, winner, owner):
    report = winner.reports.get()

    form = client.get(url("report", report.pk))
    saved = client.post(url("report", report.pk), {"revision": report.revision, "done": "Закупили", "action": "save"})
    report.refresh_from_db()
    handed_in = client.post(
        url("report", report.pk),
        {"revision": report.revision, "done": "Площадка собрана.", "action": "submit"},
        follow=True,
    )

    assert "Что сделано" in text(form)
    assert saved.status_code == 302
    assert "Отчёт «Промежуточный отчёт» сдан." in text(handed_in)
    report.refresh_from_db()
    assert report.status == ApplicationReport.Status.SUBMITTED
    assert report.submission.data["done"] == "Площадка собрана."
    read_only = text(client.get(url("report", report.pk)))
    assert "Сданный отчёт" in read_only
    assert "Площадка собрана." in read_only
    assert 'name="done"' not in read_only


def test_a_report_with_a_required_answer_missing_is_not_handed_in(client, winner):
    report = winner.reports.get()

    response = client.post(url("report", report.pk), {"revision": report.revision, "action": "submit"})

    assert response.status_code == 400
    assert "Заполните это поле." in text(response)
    report.refresh_from_db()
    assert report.status == ApplicationReport.Status.DUE


def test_a_handed_in_report_cannot_be_changed(client, winner, owner):
    report = winner.reports.get()
    client.post(url("report", report.pk), {"revision": report.revision, "done": "Готово.", "action": "submit"})
    report.refresh_from_db()

    response = client.post(
        url("report", report.pk), {"revision": report.revision, "done": "Переписал", "action": "save"}
    )

    assert response.status_code == 409
    report.refresh_from_db()
    assert report.submission.data["done"] == "Готово."


def test_a_returned_report_shows_the_remarks_and_can_be_sent_again(client, winner, owner):
    report = winner.reports.get()
    client.post(url("report", report.pk), {"revision": report.revision, "done": "Готово.", "action": "submit"})
    secretary = UserFactory(roles=["Секретарь конкурса"])
    review.review_report(report, secretary, accept=False, remarks="Приложите фотографии площадки.")

    page = client.get(url("report", report.pk))
    application_page = client.get(url("application", winner.pk))

    assert "Приложите фотографии площадки." in text(page)
    assert 'name="done"' in text(page)
    assert "возвращён с замечаниями" in text(application_page)
    assert "Приложите фотографии площадки." in text(application_page)


def test_a_stale_report_tab_gets_a_conflict(client, winner):
    report = winner.reports.get()
    stale = report.revision
    client.post(url("report", report.pk), {"revision": stale, "done": "Первая вкладка", "action": "save"})

    response = client.post(url("report", report.pk), {"revision": stale, "done": "Вторая вкладка", "action": "save"})

    assert response.status_code == 409
    assert "Вторая вкладка" in text(response)
    report.refresh_from_db()
    assert report.submission.data["done"] == "Первая вкладка"


def test_a_report_past_its_due_moment_is_marked_late_on_the_application_page(client, winner):
    report = winner.reports.get()
    with time_machine.travel(report.due_at + timedelta(days=2)):
        client.force_login(winner.applicant)  # the session of two months ago has expired
        page = text(client.get(url("application", winner.pk)))

    assert "срок прошёл" in page
