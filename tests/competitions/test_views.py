"""The applicant's web pages: start a draft, fill the project, the ledger and the form steps, submit, withdraw,
read submitted versions; the deadline and the «two tabs» rule as the applicant meets them."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from competitions import review
from competitions.models import Application, ApplicationVersion
from tests.competitions.factories import (
    complete_answers,
    fill,
    publish_competition,
    start_group_application,
    submitted_application,
)
from tests.factories import UserFactory
from tests.tos.factories import TOSIndexPageFactory, leader_of, publish_profile

pytestmark = pytest.mark.django_db

CONFLICT = "изменён в другой вкладке"


def url(name, *args):
    return reverse(f"competitions:{name}", args=args)


@pytest.fixture
def applicant(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def draft(competition, applicant):
    return start_group_application(competition, applicant)


def start_data(**changes):
    data = {
        "start_key": "9b2f0c1e",
        "applicant_type": "group",
        "group_name": "Жители ул. Садовой, 5",
        "group_size": "12",
        "title": "Детская площадка во дворе",
    }
    data.update(changes)
    return data


def project_data(application, rows=(), **changes):
    """What the browser posts from the project tab: the fields, the ledger rows and the page's revision."""
    data = {
        "revision": str(application.revision),
        "action": "save",
        "title": application.title,
        "group_name": application.group_name,
        "group_size": str(application.group_size or ""),
        "requested_amount": "970000",
        "ledger-count": str(len(rows)),
    }
    for index, row in enumerate(rows):
        data.update({f"ledger-{index}-{name}": value for name, value in row.items()})
    data.update(changes)
    return data


RESIDENTS_30000 = {"source": "residents", "kind": "money", "amount": "30 000", "note": "сбор жителей"}


def text(response):
    return response.content.decode()


# --- Start ------------------------------------------------------------------------------------------------------


def test_start_page_offers_accepted_types_and_a_new_key_each_time(client, competition, applicant):
    first = client.get(url("start", competition.pk))
    second = client.get(url("start", competition.pk))

    assert first.status_code == 200
    assert "Кто подаёт заявку" in text(first)
    assert "инициативная группа жителей" in text(first)
    assert first.context["form"].initial["start_key"] != second.context["form"].initial["start_key"]


def test_start_creates_a_draft_and_opens_the_editor(client, competition, applicant):
    response = client.post(url("start", competition.pk), start_data())

    application = Application.objects.get(applicant=applicant)
    assert response.status_code == 302
    assert response["Location"] == url("edit", application.pk)
    assert application.title == "Детская площадка во дворе"
    assert application.status == Application.Status.DRAFT


def test_double_click_on_start_with_the_same_key_gives_one_application(client, competition, applicant):
    first = client.post(url("start", competition.pk), start_data())
    second = client.post(url("start", competition.pk), start_data(title="Другое название"))

    assert Application.objects.filter(applicant=applicant).count() == 1
    assert first["Location"] == second["Location"]


def test_start_without_a_title_is_refused_with_every_problem_at_once(client, competition, applicant):
    response = client.post(url("start", competition.pk), start_data(title="  ", group_size="3"))

    assert response.status_code == 400
    assert "Напишите название проекта." in text(response)
    assert "не меньше 10 человек" in text(response)
    assert set(response.context["form"].errors) == {"title", "group_size"}
    assert not Application.objects.exists()


def test_start_with_a_too_small_group_names_the_minimum(client, competition, applicant):
    response = client.post(url("start", competition.pk), start_data(group_size="3"))

    assert response.status_code == 400
    assert "не меньше 10 человек" in text(response)
    assert response.context["form"].errors["group_size"]
    assert not Application.objects.exists()


def test_start_without_a_tos_explains_how_to_register_one(client, competition, applicant):
    response = client.get(url("start", competition.pk))

    assert "Вы не ведёте ни одного ТОС" in text(response)
    assert reverse("tos_registration:request") in text(response)


def test_tos_leader_applies_on_behalf_of_the_tos_and_others_cannot(client, competition, site_tree):
    profile = publish_profile(TOSIndexPageFactory(parent=site_tree["home"]))
    leader = leader_of(profile)
    client.force_login(leader)

    response = client.post(url("start", competition.pk), start_data(applicant_type="tos", tos=str(profile.pk)))

    application = Application.objects.get(applicant=leader)
    assert response.status_code == 302
    assert application.tos == profile
    assert application.applicant_name == profile.title

    stranger = UserFactory()
    client.force_login(stranger)
    refused = client.post(url("start", competition.pk), start_data(applicant_type="tos", tos=str(profile.pk)))
    assert refused.status_code == 400
    assert not Application.objects.filter(applicant=stranger).exists()


def test_start_after_the_intake_closed_says_so_and_creates_nothing(client, competitions_index, applicant):
    competition = publish_competition(
        competitions_index,
        opens=timezone.now() - timedelta(days=20),
        closes=timezone.now() - timedelta(days=1),
    )

    page = client.get(url("start", competition.pk))
    refused = client.post(url("start", competition.pk), start_data())

    assert "Приём заявок закрыт" in text(page)
    assert refused.status_code == 403
    assert not Application.objects.exists()


# --- The project tab and the ledger -----------------------------------------------------------------------------


def test_saving_the_ledger_shows_the_cost_and_each_source_share(client, draft):
    response = client.post(url("edit", draft.pk), project_data(draft, [RESIDENTS_30000]), follow=True)

    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("970000")
    assert draft.ledger == [{"source": "residents", "kind": "money", "amount": "30000", "note": "сбор жителей"}]
    page = text(response)
    assert "Черновик сохранён в" in page
    assert "Жители" in page
    assert "3,00 %" in page  # residents: 30 000 of 1 000 000
    assert "97,00 %" in page
    assert "Софинансирование соответствует правилам конкурса." in page


def test_a_ledger_amount_in_letters_is_refused_naming_the_row(client, draft):
    rows = [RESIDENTS_30000, {"source": "business", "kind": "money", "amount": "abc", "note": ""}]

    response = client.post(url("edit", draft.pk), project_data(draft, rows, title="Новое название"))

    assert response.status_code == 400
    assert "Строка 2: сумма — число рублей" in text(response)
    draft.refresh_from_db()
    assert draft.ledger == []
    assert draft.title == "Детская площадка во дворе ул. Садовой, 5"  # nothing written


def test_a_shortfall_is_saved_as_a_draft_with_a_warning_naming_residents_and_3_percent(client, draft):
    rows = [{"source": "residents", "kind": "money", "amount": "10000", "note": ""}]

    response = client.post(url("edit", draft.pk), project_data(draft, rows, requested_amount="990000"), follow=True)

    draft.refresh_from_db()
    assert len(draft.ledger) == 1
    page = text(response)
    assert "Софинансирование не соответствует правилам конкурса." in page
    assert "«жители» — 1,00 % стоимости проекта, а нужно не меньше 3,00 %" in page


def test_an_empty_title_in_the_editor_is_refused_and_nothing_changes(client, draft):
    response = client.post(url("edit", draft.pk), project_data(draft, [RESIDENTS_30000], title=""))

    assert response.status_code == 400
    assert "Напишите название проекта." in text(response)
    draft.refresh_from_db()
    assert draft.ledger == []
    assert draft.requested_amount is None


def test_more_ledger_rows_without_javascript_keep_what_was_typed(client, draft):
    blank = {"source": "", "kind": "", "amount": "", "note": ""}
    rows = [RESIDENTS_30000, blank, blank]

    response = client.post(url("edit", draft.pk), project_data(draft, rows, action="add_rows"))

    assert response.status_code == 200
    assert len(response.context["ledger_rows"]) == 6  # the typed row, the two blank ones and three more
    assert 'value="30 000"' in text(response)
    draft.refresh_from_db()
    assert draft.ledger == []  # adding rows is not a save


def test_a_row_marked_for_removal_is_dropped_on_save(client, draft):
    business = {"source": "business", "kind": "in_kind", "amount": "5000", "note": "песок"}
    client.post(url("edit", draft.pk), project_data(draft, [RESIDENTS_30000, business]))
    draft.refresh_from_db()

    response = client.post(url("edit", draft.pk), project_data(draft, [RESIDENTS_30000, {**business, "delete": "on"}]))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert [line["source"] for line in draft.ledger] == ["residents"]


# --- Form steps ---------------------------------------------------------------------------------------------------


def test_form_steps_are_tabs_saved_through_the_engine(client, draft):
    step_one, _step_two = complete_answers()

    page = client.get(url("edit_step", draft.pk, 1))
    response = client.post(url("edit_step", draft.pk, 1), {**step_one, "revision": draft.revision, "action": "next"})

    assert "Описание проблемы" in text(page)
    assert "Проверка и подача" in text(page)
    assert response.status_code == 302
    assert response["Location"] == url("edit_step", draft.pk, 2)
    draft.refresh_from_db()
    assert draft.submission.data["problem"] == "Во дворе нет детской площадки."
    assert draft.submission.current_step == 1


def test_moving_on_from_a_step_with_a_required_answer_missing_is_refused(client, draft):
    response = client.post(url("edit_step", draft.pk, 1), {"revision": draft.revision, "action": "next"})

    assert response.status_code == 400
    assert "Заполните это поле." in text(response)
    assert "Описание проблемы" in text(response)
    draft.refresh_from_db()
    assert draft.submission.data == {}


def test_a_draft_step_may_be_saved_unfinished(client, draft):
    response = client.post(
        url("edit_step", draft.pk, 1), {"problem": "Пока только это.", "revision": draft.revision, "action": "save"}
    )

    assert response.status_code == 302
    assert response["Location"] == url("edit_step", draft.pk, 1)
    draft.refresh_from_db()
    assert draft.submission.data["problem"] == "Пока только это."


def test_a_step_that_does_not_exist_is_404(client, draft):
    assert client.get(url("edit_step", draft.pk, 9)).status_code == 404


# --- Check and submit ---------------------------------------------------------------------------------------------


def test_check_lists_every_problem_with_a_link_to_its_tab(client, draft):
    response = client.get(url("check", draft.pk))

    page = text(response)
    assert response.status_code == 200
    assert "Укажите запрашиваемую сумму." in page
    assert url("edit", draft.pk) + "#field-requested_amount" in page
    assert "«Описание проблемы»" in page
    assert url("edit_step", draft.pk, 1) + "#field-problem" in page
    assert "Подать заявку</button>" not in page


def test_submit_freezes_the_application_and_shows_its_number(client, draft):
    fill(draft)
    draft.refresh_from_db()

    response = client.post(url("submit", draft.pk), {"revision": draft.revision}, follow=True)

    assert response.redirect_chain[-1][0] == url("application", draft.pk)
    assert "Заявка подана. Номер ИБ-2026-0001." in text(response)
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED
    assert draft.versions.count() == 1


def test_a_repeated_submit_shows_the_same_number_and_makes_no_second_version(client, draft):
    fill(draft)
    draft.refresh_from_db()
    revision = draft.revision

    client.post(url("submit", draft.pk), {"revision": revision})
    again = client.post(url("submit", draft.pk), {"revision": revision}, follow=True)

    assert "Заявка подана. Номер ИБ-2026-0001." in text(again)
    assert ApplicationVersion.objects.filter(application=draft).count() == 1


def test_submit_with_problems_returns_to_the_check_tab(client, draft):
    response = client.post(url("submit", draft.pk), {"revision": draft.revision})

    assert response.status_code == 400
    assert "Заявку нельзя подать, пока не исправлено" in text(response)
    assert "Укажите запрашиваемую сумму." in text(response)
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT


def test_submit_a_second_after_the_deadline_is_refused_and_the_draft_kept(client, draft, competition):
    fill(draft)
    draft.refresh_from_db()
    answers = dict(draft.submission.data)

    with time_machine.travel(competition.deadline + timedelta(seconds=1)):
        response = client.post(url("submit", draft.pk), {"revision": draft.revision})
        editing = client.post(url("edit", draft.pk), project_data(draft, [RESIDENTS_30000], title="Поздно"))

    assert response.status_code == 403
    assert "Приём заявок закрыт" in text(response)
    assert editing.status_code == 403
    assert "Приём заявок закрыт" in text(editing)
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT
    assert draft.number is None
    assert draft.title == "Детская площадка во дворе ул. Садовой, 5"
    assert draft.submission.data == answers


# --- Two tabs -----------------------------------------------------------------------------------------------------


def test_the_second_tab_saving_the_same_revision_gets_a_conflict_and_overwrites_nothing(client, draft):
    first = client.post(url("edit", draft.pk), project_data(draft, [RESIDENTS_30000], title="Из первой вкладки"))
    second = client.post(url("edit", draft.pk), project_data(draft, [], title="Из второй вкладки"))

    assert first.status_code == 302
    assert second.status_code == 409
    assert CONFLICT in text(second)
    assert 'value="Из второй вкладки"' in text(second)  # what was typed stays on the page
    draft.refresh_from_db()
    assert draft.title == "Из первой вкладки"
    assert len(draft.ledger) == 1


def test_a_step_saved_from_a_stale_tab_gets_a_conflict(client, draft):
    stale = draft.revision
    client.post(url("edit", draft.pk), project_data(draft, [RESIDENTS_30000]))

    response = client.post(
        url("edit_step", draft.pk, 1), {"problem": "Из старой вкладки", "revision": stale, "action": "save"}
    )

    assert response.status_code == 409
    assert CONFLICT in text(response)
    assert "Из старой вкладки" in text(response)
    draft.refresh_from_db()
    assert "problem" not in draft.submission.data


# --- The application page, withdrawal, versions ------------------------------------------------------------------


def test_withdraw_asks_first_then_keeps_the_application_as_withdrawn(client, competition, applicant):
    application = submitted_application(competition, applicant)

    confirm = client.get(url("withdraw", application.pk))
    response = client.post(url("withdraw", application.pk), {"reason": "Передумали"}, follow=True)

    assert "Отозвать заявку" in text(confirm)
    assert "Заявка отозвана" in text(response)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert application.decision_reason == "Передумали"
    assert application.versions.count() == 1


def test_a_returned_application_is_corrected_into_version_2_and_version_1_stays_readable(
    client, competition, applicant
):
    application = submitted_application(competition, applicant)
    first_hash = application.latest_version.content_hash
    secretary = UserFactory(roles=["Секретарь конкурса"], first_name="Ольга", last_name="Секретарёва")
    review.decide(
        application,
        secretary,
        decision="return",
        checklist={},
        reasons="Приложите протокол собрания жителей.",
    )
    application.refresh_from_db()

    page = client.get(url("application", application.pk))
    assert "Приложите протокол собрания жителей." in text(page)
    assert "Исправьте заявку и подайте её снова до" in text(page)
    assert "Протокол собрания жителей" in text(page)  # the checklist row that is not in order
    assert "Секретарёва Ольга" in text(page)  # the history names who returned it

    client.post(url("edit", application.pk), project_data(application, [RESIDENTS_30000], title="Исправленный проект"))
    application.refresh_from_db()
    response = client.post(url("submit", application.pk), {"revision": application.revision}, follow=True)

    assert "версия 2" in text(response)
    assert "ИБ-2026-0001" in text(response)
    version_one = client.get(url("version", application.pk, 1))
    version_two = client.get(url("version", application.pk, 2))
    assert version_one.status_code == 200
    assert "Детская площадка во дворе ул. Садовой, 5" in text(version_one)
    assert "Исправленный проект" not in text(version_one)
    assert first_hash in text(version_one)
    assert "Контрольная сумма" in text(version_one)
    assert "Во дворе нет детской площадки." in text(version_one)
    assert "Исправленный проект" in text(version_two)


def test_the_application_page_shows_status_number_history_and_versions(client, competition, applicant):
    application = submitted_application(competition, applicant)

    response = client.get(url("application", application.pk))

    page = text(response)
    assert "ИБ-2026-0001" in page
    assert "app-status--submitted" in page
    assert "подана, на проверке" in page
    assert "Черновик создан" in page
    assert "Статус: «подана, на проверке» — номер ИБ-2026-0001" in page
    assert "Петрова Анна" in page
    assert url("version", application.pk, 1) in page
    assert "Во дворе нет детской площадки." in page
    assert "Продолжить заполнение" not in page


def test_the_editor_of_a_submitted_application_leads_back_to_it(client, competition, applicant):
    application = submitted_application(competition, applicant)

    response = client.get(url("edit", application.pk))
    posted = client.post(url("edit", application.pk), project_data(application, title="Переделка"))

    assert response.status_code == 302
    assert response["Location"] == url("application", application.pk)
    assert posted.status_code == 409
    application.refresh_from_db()
    assert application.title != "Переделка"


def test_a_file_uploaded_in_a_step_is_frozen_with_the_version_and_downloadable_by_the_applicant(
    client, competitions_index, applicant
):
    competition = publish_competition(competitions_index, with_file=True)
    application = start_group_application(competition, applicant)
    step_one, _step_two = complete_answers()
    client.post(url("edit_step", application.pk, 1), {**step_one, "revision": application.revision, "action": "next"})
    application.refresh_from_db()
    protocol = SimpleUploadedFile("protokol.pdf", b"%PDF-1.4 protocol", content_type="application/pdf")
    client.post(
        url("edit_step", application.pk, 2),
        {"protocol": protocol, "consent": "on", "revision": application.revision, "action": "next"},
    )
    application.refresh_from_db()
    client.post(url("edit", application.pk), project_data(application, [RESIDENTS_30000]))
    application.refresh_from_db()
    client.post(url("submit", application.pk), {"revision": application.revision})

    version = application.versions.get()
    stored = version.submission.files.get()
    page = text(client.get(url("version", application.pk, 1)))

    assert "protokol.pdf" in page
    assert reverse("forms:download_file", args=[stored.pk]) in page
    assert client.get(reverse("forms:download_file", args=[stored.pk])).status_code == 200
    client.force_login(UserFactory())
    assert client.get(reverse("forms:download_file", args=[stored.pk])).status_code == 403
