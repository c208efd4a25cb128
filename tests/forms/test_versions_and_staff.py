"""Editing a form never breaks its answers; staff see answers in the admin, nobody else does."""

import re

import pytest

from forms.models import FormVersion, Submission
from tests.factories import UserFactory
from tests.forms.factories import block, publish_form, republish
from tests.forms.test_form_flow import FIELDS, fill_to_last_step, submit, text_of

EDITED = [
    {**FIELDS[0], "value": {**FIELDS[0]["value"], "label": "Наименование проекта"}},
    *[item for item in FIELDS[1:] if item["id"] != "cofin_sum"],
    block("long_text", "Описание проекта", id="description", required=False),
]


@pytest.fixture
def form_page(site_tree):
    return publish_form(site_tree["home"], FIELDS, title="Заявка на конкурс «Активный ТОС»")


@pytest.fixture
def resident(client):
    user = UserFactory(first_name="Мария", last_name="Иванова")
    client.force_login(user)
    return user


@pytest.fixture
def submitted(form_page, resident, client):
    fill_to_last_step(client, form_page)
    submit(client, form_page)
    return Submission.objects.get(page=form_page)


@pytest.fixture
def methodologist():
    return UserFactory(roles=["Методист"], username="metodist")


def test_an_old_answer_keeps_its_labels_and_values_after_the_form_is_edited(
    form_page, submitted, client, methodologist
):
    republish(form_page, EDITED)
    assert list(FormVersion.objects.filter(page=form_page).values_list("number", flat=True)) == [2, 1]
    submitted.refresh_from_db()
    assert submitted.version.number == 1

    mine = text_of(client.get(f"/ru/forms/my/{submitted.pk}/"))
    assert "Название проекта" in mine and "Наименование проекта" not in mine
    assert "Сумма софинансирования 15 000,00 ₽" in mine

    client.force_login(methodologist)
    detail = text_of(client.get(f"/admin/form-submissions/{form_page.pk}/{submitted.pk}/"))
    assert "Название проекта Двор на ул. Ленина, 5" in detail
    assert "Сумма софинансирования 15 000,00 ₽" in detail
    assert "форма с тех пор изменена (сейчас версия 2)" in detail

    form_now = text_of(client.get(form_page.url))
    assert "Наименование проекта" in form_now and "Сумма софинансирования" not in form_now


def test_the_answers_list_shows_old_values_under_current_questions(form_page, submitted, client, methodologist):
    republish(form_page, EDITED)
    client.force_login(methodologist)
    listing = text_of(client.get(f"/admin/form-submissions/{form_page.pk}/"))
    assert "Наименование проекта" in listing and "Двор на ул. Ленина, 5" in listing
    assert "Мария" in listing


def test_publishing_the_same_fields_again_makes_no_new_version(form_page):
    republish(form_page, FIELDS)
    form_page.title = "Заявка (уточнённое название)"
    form_page.save_revision().publish()
    assert FormVersion.objects.filter(page=form_page).count() == 1


def test_a_draft_continues_on_the_new_version_with_its_answers(form_page, resident, client):
    client.post(form_page.url, {"step": "1", "action": "save", "title": "Сквер у школы"})
    republish(form_page, EDITED)
    page = client.get(form_page.url).content.decode()
    assert "Наименование проекта" in page and 'value="Сквер у школы"' in page
    assert Submission.objects.get(page=form_page).version.number == 2


def test_the_editor_is_told_what_editing_does_to_answers(form_page, submitted, client, methodologist):
    client.force_login(methodologist)
    editor = text_of(client.get(f"/admin/pages/{form_page.pk}/edit/"))
    assert "На эту форму уже есть ответы: отправлено — 1, черновиков — 0" in editor
    assert "Отправленные ответы останутся с теми вопросами" in editor


def test_a_form_with_answers_cannot_be_deleted(form_page, submitted, client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(f"/admin/pages/{form_page.pk}/delete/", follow=True)
    assert "Удалить нельзя: на форму есть 1 ответ" in text_of(response)
    assert Submission.objects.filter(page_id=form_page.pk).exists()
    form_page.refresh_from_db()


def test_a_form_without_answers_can_be_deleted(form_page, client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    client.post(f"/admin/pages/{form_page.pk}/delete/")
    assert not type(form_page).objects.filter(pk=form_page.pk).exists()


@pytest.mark.parametrize("role", ["Методист", "Секретарь конкурса"])
def test_staff_roles_see_answers_in_the_admin(form_page, submitted, client, role):
    client.force_login(UserFactory(roles=[role]))
    index = text_of(client.get("/admin/form-submissions/"))
    assert "Заявка на конкурс «Активный ТОС»" in index
    assert re.search(r"Активный ТОС» Форма 1 0", index)
    detail = client.get(f"/admin/form-submissions/{form_page.pk}/{submitted.pk}/")
    assert detail.status_code == 200
    history = text_of(detail)
    assert "Иванова Мария" in history and "начат" in history
    assert "отправлен Согласие на обработку персональных данных" in history
    assert re.search(r"изменён (Протокол собрания; Чего не хватает|Чего не хватает; Протокол собрания)", history)


@pytest.mark.parametrize("role", ["Модератор"])
def test_other_admin_roles_do_not_see_answers(form_page, submitted, client, role):
    client.force_login(UserFactory(roles=[role]))
    for url in (
        "/admin/form-submissions/",
        f"/admin/form-submissions/{form_page.pk}/",
        f"/admin/form-submissions/{form_page.pk}/{submitted.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Двор на ул. Ленина" not in response.content.decode()
    assert "Ответы на формы" not in client.get("/admin/").content.decode()


@pytest.mark.parametrize("role", ["Лидер ТОС", "Эксперт", None])
def test_site_users_never_reach_the_answers(form_page, submitted, client, role):
    client.force_login(UserFactory(roles=[role] if role else []))
    response = client.get(f"/admin/form-submissions/{form_page.pk}/{submitted.pk}/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_section_holding_a_form_with_answers_cannot_be_deleted(site_tree, client):
    from forms.models import FormPage
    from tests.factories import ContentPageFactory

    section = ContentPageFactory(parent=site_tree["home"], title="Конкурсы 2026")
    page = publish_form(section, FIELDS, title="Заявка")
    user = UserFactory()
    client.force_login(user)
    fill_to_last_step(client, page)
    submit(client, page)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(f"/admin/pages/{section.pk}/delete/", follow=True)
    assert "в этом разделе есть формы с ответами (ответов: 1)" in text_of(response)
    assert FormPage.objects.filter(pk=page.pk).exists()
