"""A person fills in a form built from blocks: steps, drafts, conditions, deadlines, hostile input."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forms.models import Submission, SubmissionFile
from tests.factories import UserFactory
from tests.forms.factories import block, condition, publish_form, step

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

FIELDS = [
    block("short_text", "Название проекта", id="title", max_length=100),
    block("email", "Электронная почта", id="email"),
    block("phone", "Телефон", id="phone", required=False),
    block("single_choice", "Тип территории", id="kind", options="Двор\nСквер\nПарк"),
    block("yes_no", "Есть ли софинансирование?", id="cofin", code="cofin"),
    block("money", "Сумма софинансирования", id="cofin_sum", condition=condition("cofin", "equals", "Да")),
    step("Документы"),
    block("file", "Протокол собрания", id="protocol", allowed_extensions="pdf", max_size_mb=1),
    block(
        "multiple_choice",
        "Чего не хватает",
        id="needs",
        options="Освещения\nЛавочек\nПлощадки",
        max_selections=2,
        required=False,
    ),
    step("Согласие"),
    block("consent", "Согласие на обработку персональных данных", id="consent", text="<p>Согласие по 152-ФЗ.</p>"),
]

STEP_1 = {
    "step": "1",
    "action": "next",
    "title": "Двор на ул. Ленина, 5",
    "email": "ivanova@mail.ru",
    "phone": "8 910 123 45 67",
    "kind": "Двор",
    "cofin": "yes",
    "cofin_sum": "15 000",
}


@pytest.fixture
def form_page(site_tree):
    return publish_form(site_tree["home"], FIELDS, title="Заявка на конкурс «Активный ТОС»")


@pytest.fixture
def resident():
    return UserFactory(first_name="Мария", last_name="Иванова")


@pytest.fixture
def resident_client(client, resident):
    client.force_login(resident)
    return client


def pdf(name="протокол.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def fill_to_last_step(client, page):
    assert client.post(page.url, STEP_1)["Location"].endswith("?step=2")
    response = client.post(page.url, {"step": "2", "action": "next", "protocol": pdf(), "needs": ["Освещения"]})
    assert response["Location"].endswith("?step=3"), response.content.decode()[:2000]


def submit(client, page):
    return client.post(page.url, {"step": "3", "action": "submit", "consent": "on"})


def text_of(response):
    """The page as a reader sees it: text without tags, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


# --- Happy path ---------------------------------------------------------------------------------------------------


def test_three_steps_to_a_submitted_answer(form_page, resident, resident_client):
    page_one = resident_client.get(form_page.url)
    assert "Шаг 1 из 3" in text_of(page_one)

    fill_to_last_step(resident_client, form_page)
    response = submit(resident_client, form_page)
    assert response.status_code == 302 and response["Location"].endswith("?done=1")
    assert "Спасибо! Ваш ответ принят." in text_of(resident_client.get(response["Location"]))

    submission = Submission.objects.get(page=form_page)
    assert submission.status == Submission.Status.SUBMITTED and submission.user == resident
    assert submission.data["phone"] == "+79101234567"
    assert submission.data["cofin"] is True and submission.data["cofin_sum"] == "15000.00"
    assert submission.data["needs"] == ["Освещения"]
    assert submission.data["protocol"]["name"] == "протокол.pdf"
    assert "accepted_at" in submission.data["consent"]
    assert submission.version.number == 1
    authors = {record.history_user for record in submission.history.all()}
    assert authors == {resident}
    assert submission.history.count() >= 4


def test_answers_read_back_as_the_author_typed_them(form_page, resident_client):
    fill_to_last_step(resident_client, form_page)
    submit(resident_client, form_page)
    submission = Submission.objects.get(page=form_page)
    page = text_of(resident_client.get(f"/ru/forms/my/{submission.pk}/"))
    assert "+7 (910) 123-45-67" in page
    assert "15 000,00 ₽" in page  # the non-breaking space reads as a space
    assert "протокол.pdf" in page
    assert "Отправлен" in page


def test_a_draft_saved_on_one_device_is_resumed_on_another(form_page, resident, client):
    client.force_login(resident)
    response = client.post(form_page.url, {"step": "1", "action": "save", "title": "Сквер у школы"})
    assert response.status_code == 302
    assert "Черновик сохранён" in text_of(client.get(response["Location"]))

    from django.test import Client

    laptop = Client()
    laptop.force_login(resident)
    assert 'value="Сквер у школы"' in laptop.get(form_page.url).content.decode()
    cabinet = text_of(laptop.get("/ru/cabinet/"))
    assert "Мои формы и опросы" in cabinet and "Заявка на конкурс" in cabinet and "продолжить" in cabinet


def test_autosave_answers_in_json(form_page, resident_client):
    response = resident_client.post(form_page.url, {"step": "1", "action": "autosave", "title": "Парк"})
    assert response.status_code == 200 and response.json()["saved"] is True
    assert Submission.objects.get(page=form_page).data["title"] == "Парк"

    response = resident_client.post(form_page.url, {"step": "1", "action": "autosave", "email": "не почта"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["label"] == "Электронная почта"


def test_steps_cannot_be_skipped(form_page, resident_client):
    assert "Шаг 1 из 3" in text_of(resident_client.get(f"{form_page.url}?step=3"))


def test_going_back_keeps_later_answers(form_page, resident_client):
    fill_to_last_step(resident_client, form_page)
    response = resident_client.post(form_page.url, {"step": "3", "action": "back"})
    assert response["Location"].endswith("?step=2")
    assert "протокол.pdf" in text_of(resident_client.get(response["Location"]))


# --- Conditions ---------------------------------------------------------------------------------------------------


def test_a_conditional_field_is_required_only_when_shown(form_page, resident_client):
    response = resident_client.post(form_page.url, {**STEP_1, "cofin_sum": ""})
    assert response.status_code == 400
    assert "«Сумма софинансирования»: Заполните это поле." in text_of(response)

    response = resident_client.post(form_page.url, {**STEP_1, "cofin": "no", "cofin_sum": ""})
    assert response.status_code == 302
    assert "cofin_sum" not in Submission.objects.get(page=form_page).data


def test_an_answer_that_becomes_hidden_is_dropped(form_page, resident_client):
    resident_client.post(form_page.url, STEP_1)
    assert Submission.objects.get(page=form_page).data["cofin_sum"] == "15000.00"
    resident_client.post(form_page.url, {**STEP_1, "cofin": "no", "cofin_sum": ""})
    assert "cofin_sum" not in Submission.objects.get(page=form_page).data


def test_readers_without_javascript_are_told_when_to_fill_a_conditional_field(form_page, resident_client):
    page = text_of(resident_client.get(form_page.url))
    assert "Заполните, только если ответ на вопрос «Есть ли софинансирование?» равен «Да»." in page
    assert 'data-rule="' in resident_client.get(form_page.url).content.decode()


# --- Hostile input: refused with the field named, nothing stored -------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "label", "message"),
    [
        ({"title": "Д" * 101}, "Название проекта", "не более 100"),
        ({"email": "ivanova@"}, "Электронная почта", "например ivanova@mail.ru"),
        ({"phone": "+1 202 555 0100"}, "Телефон", "10 цифр после +7"),
        ({"kind": "Лес"}, "Тип территории", "Выберите один из предложенных вариантов"),
        ({"cofin": "no", "cofin_sum": "15 000"}, "Сумма софинансирования", "не заполняется при ваших ответах"),
        ({"cofin_sum": "пятнадцать тысяч"}, "Сумма софинансирования", "Введите число цифрами"),
    ],
)
def test_bad_answers_on_a_step_are_refused_and_nothing_is_stored(form_page, resident_client, changes, label, message):
    response = resident_client.post(form_page.url, {**STEP_1, **changes})
    assert response.status_code == 400
    page = text_of(response)
    assert f"«{label}»:" in page and message in page
    assert not Submission.objects.filter(page=form_page).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf(content=PDF + b"0" * (1024 * 1024)), "больше 1 МБ"),
        (SimpleUploadedFile("протокол.docx", b"PK\x03\x04rest"), "можно загрузить только pdf"),
        (SimpleUploadedFile("протокол.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"), "не похоже на PDF"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(form_page, resident_client, upload, message):
    resident_client.post(form_page.url, STEP_1)
    response = resident_client.post(form_page.url, {"step": "2", "action": "next", "protocol": upload})
    assert response.status_code == 400
    page = text_of(response)
    assert "«Протокол собрания»:" in page and message in page
    assert not SubmissionFile.objects.exists()
    assert "protocol" not in Submission.objects.get(page=form_page).data


def test_a_forged_choice_outside_the_options_of_a_multiple_choice_is_refused(form_page, resident_client):
    resident_client.post(form_page.url, STEP_1)
    response = resident_client.post(
        form_page.url, {"step": "2", "action": "next", "protocol": pdf(), "needs": ["Освещения", "Фонтана"]}
    )
    assert response.status_code == 400
    assert "«Чего не хватает»: «Фонтана» — нет среди вариантов ответа" in text_of(response)
    assert not SubmissionFile.objects.exists()


def test_more_selections_than_allowed_are_refused(form_page, resident_client):
    resident_client.post(form_page.url, STEP_1)
    response = resident_client.post(
        form_page.url,
        {"step": "2", "action": "next", "protocol": pdf(), "needs": ["Освещения", "Лавочек", "Площадки"]},
    )
    assert response.status_code == 400
    assert "Выберите не больше 2 вариантов." in text_of(response)


def test_submitting_without_consent_is_refused(form_page, resident_client):
    fill_to_last_step(resident_client, form_page)
    response = resident_client.post(form_page.url, {"step": "3", "action": "submit"})
    assert response.status_code == 400
    assert "«Согласие на обработку персональных данных»: Отметьте согласие." in text_of(response)
    assert Submission.objects.get(page=form_page).is_draft


def test_nothing_is_accepted_after_the_close_date(form_page, resident_client):
    form_page.closes_at = timezone.now() - timedelta(minutes=1)
    form_page.save_revision().publish()
    assert "Приём ответов закрыт" in text_of(resident_client.get(form_page.url))
    response = resident_client.post(form_page.url, STEP_1)
    assert response.status_code == 403
    assert "Приём ответов закрыт" in text_of(response)
    assert not Submission.objects.exists()


def test_the_deadline_is_checked_at_the_moment_of_submit(form_page, resident_client):
    fill_to_last_step(resident_client, form_page)
    form_page.closes_at = timezone.now() - timedelta(seconds=1)
    form_page.save_revision().publish()
    response = submit(resident_client, form_page)
    assert response.status_code == 403
    assert Submission.objects.get(page=form_page).is_draft


def test_not_open_yet(form_page, resident_client):
    form_page.opens_at = timezone.now() + timedelta(days=3)
    form_page.save_revision().publish()
    assert "Приём ответов начнётся" in text_of(resident_client.get(form_page.url))
    assert resident_client.post(form_page.url, STEP_1).status_code == 403


def test_a_second_answer_is_refused_where_one_per_person_is_allowed(form_page, resident_client):
    fill_to_last_step(resident_client, form_page)
    submit(resident_client, form_page)
    assert "Вы уже ответили на эту форму" in text_of(resident_client.get(form_page.url))
    response = resident_client.post(form_page.url, STEP_1)
    assert response.status_code == 409
    assert "второй ответ не принимается" in text_of(response)
    assert Submission.objects.filter(page=form_page).count() == 1


def test_several_answers_where_the_form_allows_them(site_tree, resident_client):
    page = publish_form(site_tree["home"], [block("short_text", "Предложение", id="idea")], one_per_user=False)
    for idea in ("Фонтан", "Лавочки"):
        response = resident_client.post(page.url, {"step": "1", "action": "submit", "idea": idea})
        assert response.status_code == 302
    assert sorted(Submission.objects.submitted().values_list("data__idea", flat=True)) == ["Лавочки", "Фонтан"]


def test_a_submitted_answer_is_frozen(form_page, resident_client):
    fill_to_last_step(resident_client, form_page)
    submit(resident_client, form_page)
    submission = Submission.objects.get(page=form_page)
    from forms import engine

    with pytest.raises(engine.Refusal) as refusal:
        engine.save_step(form_page, submission, 0, {"title": "Другое"}, {}, user=submission.user, complete=False)
    assert refusal.value.status == 409
    submission.refresh_from_db()
    assert submission.data["title"] == STEP_1["title"]


# --- Who may answer ------------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_log_in(form_page, client):
    page = text_of(client.get(form_page.url))
    assert "Чтобы заполнить эту форму, войдите" in page
    response = client.post(form_page.url, STEP_1)
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_anonymous_answers_where_the_form_allows_them(site_tree, client):
    page = publish_form(site_tree["home"], [block("short_text", "Ваше предложение", id="idea")], allow_anonymous=True)
    response = client.post(page.url, {"step": "1", "action": "submit", "idea": "Больше света"})
    assert response.status_code == 302
    submission = Submission.objects.get(page=page)
    assert submission.user is None and len(submission.respondent_key) == 64
    assert "form_respondent" in response.cookies


# --- Files are private ---------------------------------------------------------------------------------------------


def test_uploads_are_kept_outside_public_media(form_page, resident_client):
    fill_to_last_step(resident_client, form_page)
    stored = SubmissionFile.objects.get()
    path = Path(stored.file.path)
    assert Path(settings.PRIVATE_MEDIA_ROOT) in path.parents
    assert Path(settings.MEDIA_ROOT) not in path.parents
    assert "протокол" not in path.name and path.read_bytes() == PDF


def test_replacing_a_file_in_a_draft_removes_the_old_one(
    form_page, resident_client, django_capture_on_commit_callbacks
):
    fill_to_last_step(resident_client, form_page)
    first = SubmissionFile.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = resident_client.post(form_page.url, {"step": "2", "action": "next", "protocol": pdf("новый.pdf")})
    assert response.status_code == 302
    assert list(SubmissionFile.objects.values_list("original_name", flat=True)) == ["новый.pdf"]
    assert not Path(first.file.path).exists()


def test_files_are_downloaded_by_their_author_and_staff_only(form_page, resident_client, client):
    fill_to_last_step(resident_client, form_page)
    submit(resident_client, form_page)
    stored = SubmissionFile.objects.get()
    url = f"/ru/forms/files/{stored.pk}/"

    response = resident_client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")

    resident_client.logout()
    assert resident_client.get(url).status_code == 302  # to the login page

    client.force_login(UserFactory())
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Этот файл доступен только автору ответа и сотрудникам платформы." in text_of(refused)
    client.force_login(UserFactory(roles=["Лидер ТОС"]))
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(roles=["Методист"]))
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(roles=["Секретарь конкурса"]))
    assert client.get(url).status_code == 200


def test_nobody_else_reads_my_answers(form_page, resident_client, client):
    fill_to_last_step(resident_client, form_page)
    submit(resident_client, form_page)
    submission = Submission.objects.get()
    client.force_login(UserFactory())
    assert client.get(f"/ru/forms/my/{submission.pk}/").status_code == 404


def test_a_step_whose_fields_are_all_hidden_is_skipped(site_tree, resident_client):
    page = publish_form(
        site_tree["home"],
        [
            block("yes_no", "Есть ли во дворе детская площадка?", id="has", code="playground"),
            step("Детская площадка"),
            block(
                "single_choice",
                "Её состояние",
                id="state",
                options="Хорошее\nПлохое",
                condition=condition("playground", "equals", "Да"),
            ),
            step("Пожелания"),
            block("long_text", "Что улучшить?", id="wish"),
        ],
    )
    response = resident_client.post(page.url, {"step": "1", "action": "next", "has": "no"})
    assert response["Location"].endswith("?step=3")
    assert "Шаг 2 из 2" in text_of(resident_client.get(response["Location"]))
    response = resident_client.post(page.url, {"step": "3", "action": "back"})
    assert response["Location"].endswith("?step=1")

    response = resident_client.post(page.url, {"step": "1", "action": "next", "has": "yes"})
    assert response["Location"].endswith("?step=2")


def test_the_editor_preview_writes_nothing(form_page, client):
    client.force_login(UserFactory(roles=["Методист"]))
    response = client.get(f"/admin/pages/{form_page.pk}/view_draft/")
    assert response.status_code == 200 and "Название проекта" in text_of(response)
    assert not Submission.objects.exists()


def test_one_answer_per_person_also_counts_answers_sent_before_it_was_switched_on(site_tree, resident, client):
    from forms import engine

    page = publish_form(site_tree["home"], [block("short_text", "Предложение", id="idea")], one_per_user=False)
    client.force_login(resident)
    client.post(page.url, {"step": "1", "action": "submit", "idea": "Фонтан"})
    page.one_per_user = True
    page.save_revision().publish()
    draft = engine.draft_for(page, user=resident, respondent_key="")
    engine.save_step(page, draft, 0, {"idea": "Лавочки"}, {}, user=resident, complete=True)
    with pytest.raises(engine.Refusal) as refusal:
        engine.submit(page, draft, user=resident)
    assert refusal.value.status == 409
    assert Submission.objects.submitted().filter(page=page).count() == 1
