"""The forms API: a form's definition for everyone, the owner's drafts and submit, refusals in Russian."""

from datetime import timedelta

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from wagtail.models import PageViewRestriction

from forms import engine
from forms.definition import FORM_BLOCK
from forms.models import Submission, SubmissionFile
from tests.factories import UserFactory
from tests.forms.factories import block, condition, publish_form, republish, step
from tests.tos.factories import TOSIndexPageFactory, publish_profile
from website.models import Municipality

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

FIELDS = [
    block("short_text", "Название проекта", id="title", max_length=100),
    block("email", "Электронная почта", id="email"),
    block("yes_no", "Есть ли софинансирование?", id="cofin", code="cofin"),
    block("money", "Сумма софинансирования", id="cofin_sum", condition=condition("cofin", "equals", "Да")),
    step("Проект", "Сроки, смета и документы."),
    block("date_range", "Сроки реализации", id="period"),
    block("multiple_choice", "Чего не хватает", id="needs", options="Освещения\nЛавочек\nПлощадки", max_selections=2),
    block("rows", "Смета расходов", id="budget", max_rows=3),
    block("file", "Протокол собрания", id="protocol", allowed_extensions="pdf", max_size_mb=1, required=False),
    block("consent", "Согласие на обработку персональных данных", id="consent", text="<p>Согласие по 152-ФЗ.</p>"),
]

STEP_1 = {"title": "Двор на ул. Ленина, 5", "email": "ivanova@mail.ru", "cofin": True, "cofin_sum": "15 000"}
STEP_2 = {
    "period": {"start": "2026-06-01", "end": "2026-09-30"},
    "needs": ["Освещения", "Лавочек"],
    "budget": {"rows": [{"item": "Светильники", "quantity": 4, "unit": "шт.", "unit_price": 12500.5}]},
    "consent": True,
}

EVERY_BLOCK = [
    block("section_heading", id="heading", text="Сведения о заявителе"),
    block("short_text", "ФИО", id="name", min_length=3, max_length=80, pattern=r"^\D+$"),
    block("long_text", "Описание", id="about"),
    block("number", "Число жителей", id="people", min_value="1", max_value="5000", integer_only=True, unit="чел."),
    block("money", "Сумма", id="sum", max_value="1000000"),
    block("percent", "Доля жителей", id="share"),
    block("date", "Дата собрания", id="meeting"),
    block("date_range", "Сроки", id="period"),
    block("single_choice", "Территория", id="kind", options="Двор\nСквер"),
    block("multiple_choice", "Нужды", id="needs", options="Свет\nЛавки\nУрны", min_selections=1, max_selections=2),
    block("yes_no", "Было собрание?", id="met", code="met"),
    block("email", "Почта", id="email"),
    block("phone", "Телефон", id="phone"),
    block("url", "Страница ТОС", id="site"),
    block("municipality", "Муниципальное образование", id="mo"),
    block("tos", "ТОС", id="tos"),
    step("Документы"),
    block("static_text", id="note", text="<p>Приложите протокол.</p>"),
    block(
        "file",
        "Протокол",
        id="protocol",
        allowed_extensions="pdf, jpg",
        max_size_mb=5,
        condition=condition("met", "equals", "Да"),
    ),
    block("rows", "Смета", id="budget", min_rows=1, max_rows=10),
    block("consent", "Согласие", id="consent"),
]


@pytest.fixture
def form_page(site_tree):
    return publish_form(site_tree["home"], FIELDS, title="Заявка на конкурс «Активный ТОС»")


@pytest.fixture
def author():
    return UserFactory(first_name="Мария", last_name="Иванова")


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


def pdf(name="протокол.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def start(client, page, answers=None):
    body = {} if answers is None else {"answers": answers}
    return client.post(f"/api/v1/forms/{page.pk}/submissions/", body, content_type="application/json")


def patch(client, pk, answers, **headers):
    return client.patch(f"/api/v1/submissions/{pk}/", {"answers": answers}, content_type="application/json", **headers)


def send(client, pk, **headers):
    return client.post(f"/api/v1/submissions/{pk}/submit/", **headers)


def patch_multipart(client, pk, data):
    return client.patch(f"/api/v1/submissions/{pk}/", encode_multipart(BOUNDARY, data), content_type=MULTIPART_CONTENT)


def messages(response):
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def fields_by_id(definition):
    return {field["id"]: field for step_data in definition["steps"] for field in step_data["fields"]}


# --- The definition -----------------------------------------------------------------------------------------------


def test_definition_describes_every_field_type_with_a_schema_of_its_answer(client, site_tree):
    page = publish_form(site_tree["home"], EVERY_BLOCK, title="Все поля")
    response = client.get(f"/api/v1/forms/{page.pk}/")
    assert response.status_code == 200
    definition = response.json()
    assert definition["id"] == page.pk and definition["title"] == "Все поля"
    assert definition["url"].endswith(page.url) and definition["version"] == 1
    assert definition["is_open"] is True and definition["one_per_user"] is True
    assert [(s["number"], s["title"]) for s in definition["steps"]] == [(1, "Шаг 1"), (2, "Документы")]
    fields = fields_by_id(definition)
    field_types = {name for name, child in FORM_BLOCK.child_blocks.items() if getattr(child, "is_field", False)}
    assert {field["type"] for field in fields.values()} == field_types
    assert "heading" not in fields and "note" not in fields  # layout blocks are not questions
    schemas = {field_id: field["schema"] for field_id, field in fields.items()}
    assert schemas["name"] == {"type": "string", "minLength": 3, "maxLength": 80, "pattern": r"^\D+$"}
    assert schemas["about"] == {"type": "string", "maxLength": 5000}
    assert schemas["people"] == {"type": "number", "multipleOf": 1, "minimum": 1, "maximum": 5000, "x-unit": "чел."}
    assert schemas["sum"] == {"type": "number", "multipleOf": 0.01, "maximum": 1000000, "x-unit": "₽"}
    assert schemas["share"]["minimum"] == 0 and schemas["share"]["maximum"] == 100
    assert schemas["meeting"] == {"type": "string", "format": "date"}
    assert schemas["period"]["type"] == "object" and schemas["period"]["required"] == ["start", "end"]
    assert schemas["period"]["properties"]["end"] == {"type": "string", "format": "date"}
    assert schemas["kind"] == {"type": "string", "enum": ["Двор", "Сквер"]}
    assert schemas["needs"] == {
        "type": "array",
        "items": {"type": "string", "enum": ["Свет", "Лавки", "Урны"]},
        "uniqueItems": True,
        "minItems": 1,
        "maxItems": 2,
    }
    assert schemas["met"] == {"type": "boolean"}
    assert schemas["email"] == {"type": "string", "maxLength": 254, "format": "email"}
    assert schemas["site"] == {"type": "string", "maxLength": 500, "format": "uri"}
    assert schemas["mo"]["required"] == ["id"] and schemas["mo"]["x-source"] == "/api/v1/municipalities/"
    assert schemas["tos"]["required"] == ["id"]  # chosen from the TOS profiles the TOS app registers
    assert schemas["tos"]["x-source"] == "/api/v1/tos/"
    assert schemas["protocol"] == {
        "type": "string",
        "format": "binary",
        "x-allowed-extensions": ["pdf", "jpg"],
        "x-max-bytes": 5 * 1024 * 1024,
    }
    rows = schemas["budget"]["properties"]["rows"]
    assert (rows["minItems"], rows["maxItems"]) == (1, 10)
    assert set(rows["items"]["properties"]) == {"item", "quantity", "unit", "unit_price"}
    assert schemas["consent"]["const"] is True and "152-ФЗ" in schemas["consent"]["x-consent-text"]


def test_definition_names_the_condition_of_a_conditional_field(client, form_page):
    fields = fields_by_id(client.get(f"/api/v1/forms/{form_page.pk}/").json())
    assert fields["cofin_sum"]["condition"] == {
        "field_id": "cofin",
        "field_code": "cofin",
        "operator": "equals",
        "values": ["да"],
    }
    assert fields["cofin"]["condition"] is None
    assert fields["cofin"]["code"] == "cofin" and fields["cofin_sum"]["required"] is True
    assert fields["consent"]["required"] is True


def test_definition_says_when_the_form_is_closed(client, form_page):
    form_page.closes_at = timezone.now() - timedelta(days=1)
    form_page.save_revision().publish()
    definition = client.get(f"/api/v1/forms/{form_page.pk}/").json()
    assert definition["is_open"] is False and definition["closes_at"]


def test_unpublished_forms_and_other_pages_are_not_found(client, site_tree, form_page, author):
    form_page.unpublish()
    response = client.get(f"/api/v1/forms/{form_page.pk}/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == "Формы с таким номером нет, или она не опубликована."
    assert client.get(f"/api/v1/forms/{site_tree['home'].pk}/").status_code == 404
    assert client.get("/api/v1/forms/999999/").status_code == 404
    client.force_login(author)
    assert (
        client.post(f"/api/v1/forms/{form_page.pk}/submissions/", {}, content_type="application/json").status_code
        == 404
    )
    assert not Submission.objects.exists()


def test_a_form_behind_a_login_restriction_is_only_described_to_signed_in_people(client, form_page, author):
    PageViewRestriction.objects.create(page=form_page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(f"/api/v1/forms/{form_page.pk}/").status_code == 404
    client.force_login(author)
    assert client.get(f"/api/v1/forms/{form_page.pk}/").status_code == 200


# --- Drafts and submit --------------------------------------------------------------------------------------------


def test_draft_is_filled_step_by_step_and_submitted(author_client, form_page, author):
    created = start(author_client, form_page, STEP_1)
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["status"] == "draft" and draft["version"] == 1 and draft["form"] == form_page.pk
    assert draft["answers"]["cofin_sum"]["value"] == "15000.00"
    assert draft["answers"]["cofin_sum"]["display"] == "15\u00a0000,00 ₽"
    assert draft["answers"]["cofin"] == {
        "label": "Есть ли софинансирование?",
        "type": "yes_no",
        "value": True,
        "display": "Да",
    }

    again = start(author_client, form_page)
    assert again.status_code == 200 and again.json()["id"] == draft["id"]

    patched = patch(author_client, draft["id"], STEP_2)
    assert patched.status_code == 200, patched.content
    answers = patched.json()["answers"]
    assert answers["title"]["value"] == "Двор на ул. Ленина, 5"  # fields not in the request keep their answers
    assert answers["period"]["value"] == {"start": "2026-06-01", "end": "2026-09-30"}
    assert answers["period"]["display"] == "01.06.2026 — 30.09.2026"
    assert answers["needs"]["value"] == ["Освещения", "Лавочек"]
    assert answers["budget"]["value"]["total"] == "50002.00"
    assert answers["consent"]["value"] is True and answers["consent"]["display"].startswith("Согласие дано")

    sent = send(author_client, draft["id"])
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "submitted" and sent.json()["submitted_at"]
    submission = Submission.objects.get(pk=draft["id"])
    assert submission.user == author and not submission.is_draft
    assert submission.data["budget"]["rows"][0]["unit_price"] == "12500.50"
    assert author_client.get(f"/api/v1/submissions/{draft['id']}/").json()["status_display"] == "отправлен"


def test_a_file_is_uploaded_in_a_multipart_patch_and_removed_with_null(author_client, form_page):
    draft = start(author_client, form_page).json()
    response = patch_multipart(author_client, draft["id"], {"answers": '{"needs": ["Площадки"]}', "protocol": pdf()})
    assert response.status_code == 200, response.content
    answers = response.json()["answers"]
    stored = SubmissionFile.objects.get(submission_id=draft["id"], field_id="protocol")
    assert answers["protocol"]["value"] == {
        "id": stored.pk,
        "name": "протокол.pdf",
        "size": len(PDF),
        "url": f"/ru/forms/files/{stored.pk}/",
    }
    assert answers["needs"]["value"] == ["Площадки"]
    assert author_client.get(answers["protocol"]["value"]["url"]).status_code == 200

    cleared = patch(author_client, draft["id"], {"protocol": None})
    assert cleared.status_code == 200 and cleared.json()["answers"]["protocol"]["value"] is None
    assert not SubmissionFile.objects.filter(submission_id=draft["id"]).exists()


def test_a_file_that_is_not_what_it_says_is_refused(author_client, form_page):
    draft = start(author_client, form_page).json()
    response = patch_multipart(author_client, draft["id"], {"protocol": pdf("протокол.pdf", b"MZ\x90\x00 program")})
    assert response.status_code == 400
    assert "не похоже на PDF" in messages(response)["protocol"]
    assert not SubmissionFile.objects.exists()


def test_a_draft_continues_on_the_republished_form(author_client, form_page):
    draft = start(author_client, form_page, {"title": "Сквер у школы"}).json()
    republish(form_page, [*FIELDS, block("phone", "Телефон", id="phone", required=False)])
    response = patch(author_client, draft["id"], {"phone": "8 910 123 45 67"})
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["answers"]["phone"]["value"] == "+79101234567"
    assert response.json()["answers"]["title"]["value"] == "Сквер у школы"


def test_every_field_type_is_answered_and_sent_through_the_api(author_client, site_tree):
    page = publish_form(site_tree["home"], EVERY_BLOCK, title="Все поля")
    obninsk = Municipality.objects.get(short_name="Обнинск")
    directory = TOSIndexPageFactory(parent=site_tree["home"])
    tos = publish_profile(directory, title="ТОС «Ленина, 5»", municipality=obninsk)
    answers = {
        "name": "Иванова Мария",
        "about": "Двор без освещения.",
        "people": 120,
        "sum": "300 000",
        "share": 5.5,
        "meeting": "2026-05-20",
        "period": {"start": "2026-06-01", "end": "2026-09-30"},
        "kind": "Двор",
        "needs": ["Свет"],
        "met": False,
        "email": "ivanova@mail.ru",
        "phone": "+7 (910) 123-45-67",
        "site": "vk.com/tos_lenina",
        "mo": {"id": obninsk.pk},
        "tos": {"id": tos.pk},
        "budget": {"rows": [{"item": "Лавки", "quantity": "2,5", "unit": "шт.", "unit_price": "1 000"}]},
        "consent": True,
    }
    draft = start(author_client, page, answers)
    assert draft.status_code == 201, draft.content
    sent = send(author_client, draft.json()["id"])
    assert sent.status_code == 200, sent.content
    shown = {field_id: answer["display"] for field_id, answer in sent.json()["answers"].items()}
    assert shown["people"] == "120 чел." and shown["sum"] == "300\u00a0000,00 ₽" and shown["share"] == "5,5 %"
    assert shown["meeting"] == "20.05.2026" and shown["met"] == "Нет" and shown["protocol"] == ""
    assert shown["phone"] == "+7 (910) 123-45-67" and shown["mo"] == "Обнинск"
    assert shown["tos"] == "ТОС «Ленина, 5» (Обнинск)"
    values = {field_id: answer["value"] for field_id, answer in sent.json()["answers"].items()}
    assert values["site"] == "https://vk.com/tos_lenina"
    assert values["mo"] == {"id": obninsk.pk, "name": "Обнинск"}
    assert values["budget"]["total"] == "2500.00"


# --- Bad input ----------------------------------------------------------------------------------------------------


def test_bad_values_are_refused_naming_each_field_and_nothing_is_saved(author_client, form_page):
    draft = start(author_client, form_page, {"title": "Было"}).json()
    response = patch(
        author_client,
        draft["id"],
        {
            "title": "Стало",
            "email": "ivanova",
            "needs": "Освещения",
            "period": {"start": "2026-09-30", "end": "2026-06-01"},
            "budget": {"rows": [{"item": "Лавки", "quantity": "много", "unit_price": 100}]},
            "nonexistent": "?",
        },
    )
    assert response.status_code == 400
    errors = messages(response)
    assert "адрес почты целиком" in errors["email"]
    assert errors["needs"].startswith("Передайте список вариантов ответа")
    assert "Дата окончания раньше даты начала." in errors["period"]
    assert "Строка 1: количество — положительное число" in errors["budget"]
    assert "нет поля с id «nonexistent»" in errors["nonexistent"]
    labels = {error["field"]: error["label"] for error in response.json()["errors"]}
    assert labels["email"] == "Электронная почта"
    assert Submission.objects.get(pk=draft["id"]).data["title"] == "Было"


@pytest.mark.parametrize(
    ("field_id", "value", "message"),
    [
        ("title", 5, "Передайте ответ строкой текста."),
        ("cofin", "да", "Передайте true («Да») или false («Нет»)."),
        ("period", "2026-06-01", "Передайте период объектом"),
        ("budget", [{"item": "Лавки"}], "Передайте строки объектом"),
        ("protocol", "протокол.pdf", "Файл передаётся в multipart-запросе под id поля"),
        ("consent", "yes", "Передайте true, чтобы дать согласие."),
        ("cofin_sum", True, "Передайте число"),
    ],
)
def test_a_value_of_the_wrong_json_type_is_refused_with_the_shape_to_send(
    author_client, form_page, field_id, value, message
):
    draft = start(author_client, form_page, {"cofin": True}).json()
    response = patch(author_client, draft["id"], {field_id: value})
    assert response.status_code == 400
    assert messages(response)[field_id].startswith(message)


def test_numbers_as_json_numbers_and_russian_strings(author_client, form_page):
    draft = start(author_client, form_page, {"cofin": True, "cofin_sum": 1500.5}).json()
    assert draft["answers"]["cofin_sum"]["value"] == "1500.50"
    wrong = patch(author_client, draft["id"], {"cofin_sum": "полторы тысячи"})
    assert wrong.status_code == 400 and "Введите число цифрами" in messages(wrong)["cofin_sum"]
    assert patch(author_client, draft["id"], {"cofin_sum": "2 000,10"}).json()["answers"]["cofin_sum"]["value"] == (
        "2000.10"
    )


def test_more_rows_than_the_form_allows_are_refused(author_client, form_page):
    draft = start(author_client, form_page).json()
    rows = [{"item": f"Статья {n}", "quantity": 1, "unit": "шт.", "unit_price": 10} for n in range(4)]
    response = patch(author_client, draft["id"], {"budget": {"rows": rows}})
    assert response.status_code == 400
    assert messages(response)["budget"] == "Строк больше, чем допускает форма: не больше 3."


def test_a_value_for_a_field_hidden_by_its_condition_is_refused(author_client, form_page):
    draft = start(author_client, form_page).json()
    response = patch(author_client, draft["id"], {"cofin": False, "cofin_sum": "1000"})
    assert response.status_code == 400
    assert "не заполняется при ваших ответах" in messages(response)["cofin_sum"]
    assert Submission.objects.get(pk=draft["id"]).data == {}


def test_an_answer_that_hides_a_stored_field_drops_its_answer(author_client, form_page):
    draft = start(author_client, form_page, {"cofin": True, "cofin_sum": "1000"}).json()
    response = patch(author_client, draft["id"], {"cofin": False})
    assert response.status_code == 200, response.content
    assert response.json()["answers"]["cofin_sum"]["value"] is None
    assert "cofin_sum" not in Submission.objects.get(pk=draft["id"]).data


def test_answers_that_are_not_an_object_are_refused(author_client, form_page):
    draft = start(author_client, form_page).json()
    response = author_client.patch(
        f"/api/v1/submissions/{draft['id']}/", {"answers": ["title"]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("Передайте ответы объектом")


def test_submit_lists_every_missing_required_answer(author_client, form_page):
    draft = start(author_client, form_page, {"title": "Двор", "cofin": True}).json()
    response = send(author_client, draft["id"])
    assert response.status_code == 400
    errors = messages(response)
    assert errors == {
        "email": "Заполните это поле.",
        "cofin_sum": "Заполните это поле.",
        "period": "Заполните это поле.",
        "needs": "Заполните это поле.",
        "budget": "Заполните это поле.",
        "consent": "Отметьте согласие.",
    }
    assert Submission.objects.get(pk=draft["id"]).is_draft


def test_a_submitted_answer_cannot_be_changed_or_sent_again(author_client, form_page):
    draft = start(author_client, form_page, {**STEP_1, **STEP_2}).json()
    assert send(author_client, draft["id"]).status_code == 200
    changed = patch(author_client, draft["id"], {"title": "Другое"})
    assert changed.status_code == 409
    assert changed.json()["errors"][0]["message"] == "Этот ответ уже отправлен, изменить его нельзя."
    assert send(author_client, draft["id"]).status_code == 409
    assert Submission.objects.get(pk=draft["id"]).data["title"] == STEP_1["title"]


def test_a_closed_form_takes_no_drafts_and_no_writes(author_client, form_page):
    draft = start(author_client, form_page, {**STEP_1, **STEP_2}).json()
    form_page.closes_at = timezone.now() - timedelta(minutes=1)
    form_page.save_revision().publish()
    for response in (
        patch(author_client, draft["id"], {"title": "Поздно"}),
        send(author_client, draft["id"]),
    ):
        assert response.status_code == 403
        assert "Приём ответов закрыт" in response.json()["errors"][0]["message"]
    assert Submission.objects.get(pk=draft["id"]).is_draft
    Submission.objects.all().delete()
    assert start(author_client, form_page).status_code == 403
    assert not Submission.objects.exists()


def test_one_answer_per_person(author_client, form_page, author):
    first = start(author_client, form_page, {**STEP_1, **STEP_2}).json()
    assert send(author_client, first["id"]).status_code == 200
    refused = start(author_client, form_page)
    assert refused.status_code == 409
    assert "второй ответ не принимается" in refused.json()["errors"][0]["message"]
    # A draft begun elsewhere before the first answer was sent: the database refuses its submit too.
    second = engine.start_draft(form_page, user=author, respondent_key="")
    assert patch(author_client, second.pk, {**STEP_1, **STEP_2}).status_code == 200
    response = send(author_client, second.pk)
    assert response.status_code == 409
    assert "второй ответ не принимается" in response.json()["errors"][0]["message"]
    assert Submission.objects.submitted().count() == 1


def test_without_one_per_user_a_second_answer_is_taken(author_client, site_tree):
    page = publish_form(site_tree["home"], FIELDS, one_per_user=False)
    for _attempt in range(2):
        draft = start(author_client, page, {**STEP_1, **STEP_2})
        assert draft.status_code == 201
        assert send(author_client, draft.json()["id"]).status_code == 200
    assert Submission.objects.submitted().count() == 2


# --- Who may do what ----------------------------------------------------------------------------------------------


def test_someone_elses_submission_is_refused(client, form_page, author):
    draft = engine.start_draft(form_page, user=author, respondent_key="")
    client.force_login(UserFactory())
    for response in (
        client.get(f"/api/v1/submissions/{draft.pk}/"),
        patch(client, draft.pk, {"title": "Чужое"}),
        send(client, draft.pk),
    ):
        assert response.status_code == 403
        assert response.json()["errors"][0]["message"] == "Это чужой ответ: открыть и изменить его может только автор."
    draft.refresh_from_db()
    assert draft.data == {} and draft.is_draft


def test_anonymous_visitors_cannot_use_submissions(client, form_page, author):
    draft = engine.start_draft(form_page, user=author, respondent_key="")
    for response in (
        start(client, form_page, {"title": "Аноним"}),
        client.get(f"/api/v1/submissions/{draft.pk}/"),
        patch(client, draft.pk, {"title": "Аноним"}),
        send(client, draft.pk),
    ):
        assert response.status_code in (401, 403)
        assert response.json()["errors"][0]["message"]
    assert Submission.objects.count() == 1 and Submission.objects.get().data == {}


def test_a_missing_submission_is_not_found(client, author):
    client.force_login(author)
    response = client.get("/api/v1/submissions/999999/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["message"] == "Ответа с таким номером нет."


def test_token_authentication(client, form_page, author):
    token = Token.objects.create(user=author)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    created = client.post(
        f"/api/v1/forms/{form_page.pk}/submissions/",
        {"answers": {**STEP_1, **STEP_2}},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    assert patch(client, pk, {"title": "По токену"}, **auth).json()["answers"]["title"]["value"] == "По токену"
    assert send(client, pk, **auth).status_code == 200
    assert Submission.objects.get(pk=pk).user == author
    assert client.get(f"/api/v1/submissions/{pk}/", HTTP_AUTHORIZATION="Token wrong").status_code in (401, 403)


# --- OpenAPI ------------------------------------------------------------------------------------------------------


def test_openapi_schema_documents_the_forms_api(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    validate_schema(schema)
    paths = schema["paths"]
    assert "get" in paths["/api/v1/forms/{page_id}/"]
    assert "post" in paths["/api/v1/forms/{page_id}/submissions/"]
    assert {"get", "patch"} <= set(paths["/api/v1/submissions/{id}/"])
    assert "post" in paths["/api/v1/submissions/{id}/submit/"]
    patch_operation = paths["/api/v1/submissions/{id}/"]["patch"]
    assert set(patch_operation["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"200", "400", "403", "409"} <= set(patch_operation["responses"])
