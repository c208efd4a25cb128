"""A TOS leader keeps the profile from the personal cabinet; changes reach the public page only after moderation."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Revision

from tests.factories import UserFactory
from tests.tos.factories import approve, leader_of, publish_profile, reject
from tos.forms import ProfileForm
from tos.models import MembershipRole, RegistrationRequest, TOSMembership, TOSNewsItem, TOSProject
from tos.moderation import moderation_status, save_draft, submit_for_moderation, working_copy

pytestmark = pytest.mark.django_db

SAVED = "Изменения сохранены как черновик"
VALID_INN = "7707083893"
VALID_OGRN = "1027700132195"


def png_upload(name="dvor.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def url(name, page, *args):
    return reverse(f"tos:{name}", args=[page.pk, *args])


def draft_of(page):
    """The working copy as the views see it: the page is read afresh, as each request does."""
    page.refresh_from_db()
    return working_copy(page)


def revisions_of(page):
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


def _post_value(bound):
    value = bound.value()
    if value is None or value is False or value == "":
        return None
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [str(getattr(item, "pk", item)) for item in value]
    if isinstance(value, dict):
        return json.dumps(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def profile_data(page, **changes):
    """What the browser posts for the profile form as it stands in the working copy, with ``changes`` applied."""
    form = ProfileForm(instance=draft_of(page))
    data = {name: _post_value(form[name]) for name in form.fields}
    council = form.formsets["council_members"]
    data.update(
        {
            f"{council.prefix}-TOTAL_FORMS": str(len(council.forms)),
            f"{council.prefix}-INITIAL_FORMS": str(council.initial_form_count()),
            f"{council.prefix}-MIN_NUM_FORMS": "0",
            f"{council.prefix}-MAX_NUM_FORMS": "1000",
        }
    )
    for row in council.forms:
        data.update({row.add_prefix(name): _post_value(row[name]) for name in row.fields})
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def project_data(**changes):
    return {
        "title": "Детская площадка во дворе",
        "year": "2024",
        "funding_source": "tos_competition",
        "status": "completed",
        **changes,
    }


@pytest.fixture
def profile(tos_index):
    return publish_profile(tos_index, title="ТОС «Солнечный»")


@pytest.fixture
def leader(profile):
    return leader_of(profile, first_name="Анна", last_name="Иванова")


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


@pytest.fixture
def moderator():
    return UserFactory(roles=["Модератор"])


def add_project(page, user):
    copy = draft_of(page)
    project = TOSProject(title="Ремонт спортплощадки", year=2023, funding_source="initiative_budgeting")
    copy.projects.add(project)
    save_draft(page, copy, user)
    return project.uid


def seed_rows(page, user):
    """A draft with one project and one news item: the rows other people will try to change."""
    copy = draft_of(page)
    project = TOSProject(title="Ремонт спортплощадки", year=2023, funding_source="initiative_budgeting")
    news = TOSNewsItem(title="Субботник", text="Вышли всем двором.")
    copy.projects.add(project)
    copy.news_items.add(news)
    save_draft(page, copy, user)
    return project.uid, news.uid


# The happy path: edit, submit, approve, published.


def test_leader_edits_the_profile_as_a_draft_then_it_is_published_after_approval(
    client, leader_client, profile, leader, moderator
):
    response = leader_client.get(url("profile", profile))
    assert response.status_code == 200
    assert "Опубликовано" in response.content.decode()

    response = leader_client.post(
        url("profile", profile), profile_data(profile, title="ТОС «Солнечный берег»", residents_count="2500")
    )
    assert response.status_code == 302
    assert response.url == url("profile", profile)
    profile.refresh_from_db()
    assert profile.latest_revision.user == leader
    assert profile.title == "ТОС «Солнечный»" and profile.residents_count == 1200  # live page unchanged
    assert moderation_status(profile).code == "draft"

    page = leader_client.get(url("profile", profile)).content.decode()
    assert SAVED in page
    assert "Черновик" in page and "Отправить на модерацию" in page
    assert "Солнечный берег" not in client.get(profile.url).content.decode()

    response = leader_client.post(url("submit", profile))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert moderation_status(profile).code == "in_moderation"
    page = leader_client.get(url("profile", profile)).content.decode()
    assert "Отозвать с модерации" in page and "Отправлено на модерацию" in page and "Иванова" in page

    approve(profile, moderator)
    profile.refresh_from_db()
    assert profile.residents_count == 2500
    assert moderation_status(profile).code == "published"
    client.logout()
    public = client.get(profile.url)
    assert public.status_code == 200
    assert "Солнечный берег" in public.content.decode()


def test_a_project_with_a_photo_reaches_the_public_page_after_approval(client, leader_client, profile, moderator):
    images_before = get_image_model().objects.count()
    response = leader_client.post(
        url("project_add", profile),
        {**project_data(photo_caption="Новая горка во дворе дома 5"), "new_photos": [png_upload()]},
    )
    assert response.status_code == 302
    assert not TOSProject.objects.exists()  # nothing public before approval
    assert get_image_model().objects.count() == images_before + 1
    (project,) = draft_of(profile).projects.all()
    assert len(project.photos) == 1

    page = leader_client.get(url("profile", profile)).content.decode()
    assert "Детская площадка во дворе" in page and "новый, ещё не на сайте" in page

    assert leader_client.post(url("submit", profile)).status_code == 302
    profile.refresh_from_db()
    approve(profile, moderator)
    published = TOSProject.objects.get(page=profile)
    assert published.title == "Детская площадка во дворе"
    assert published.photos[0].value.contextual_alt_text == "Новая горка во дворе дома 5"
    client.logout()
    public = client.get(profile.url).content.decode()
    assert "Детская площадка во дворе" in public
    assert 'alt="Новая горка во дворе дома 5"' in public


def test_a_project_is_edited_and_deleted_by_its_uid(leader_client, profile, leader):
    uid = add_project(profile, leader)

    response = leader_client.get(url("project_edit", profile, uid))
    assert response.status_code == 200
    assert "Ремонт спортплощадки" in response.content.decode()

    response = leader_client.post(
        url("project_edit", profile, uid), project_data(title="Ремонт спортплощадки и беговой дорожки", year="2023")
    )
    assert response.status_code == 302
    (project,) = draft_of(profile).projects.all()
    assert project.uid == uid and project.title == "Ремонт спортплощадки и беговой дорожки"

    confirmation = leader_client.get(url("project_delete", profile, uid))
    assert confirmation.status_code == 200
    assert "Удалить проект «Ремонт спортплощадки и беговой дорожки»?" in confirmation.content.decode()
    assert leader_client.post(url("project_delete", profile, uid)).status_code == 302
    assert list(draft_of(profile).projects.all()) == []

    assert leader_client.get(url("project_edit", profile, uid)).status_code == 404


def test_news_and_an_event_are_added_and_an_event_needs_its_start(leader_client, profile):
    response = leader_client.post(
        url("news_add", profile),
        {"kind": "news", "title": "Субботник прошёл", "published_on": "2024-04-20", "text": "Вышли 40 жителей."},
    )
    assert response.status_code == 302

    revisions = revisions_of(profile)
    event = {"kind": "event", "title": "Праздник двора", "published_on": "2024-05-01", "text": "Приходите всей семьёй."}
    response = leader_client.post(url("news_add", profile), event)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Для события укажите дату и время начала." in html
    assert 'href="#id_event_starts_at"' in html  # the summary leads to the field
    assert revisions_of(profile) == revisions

    response = leader_client.post(
        url("news_add", profile), {**event, "event_starts_at": "2024-06-01T18:00", "place": "двор дома 5"}
    )
    assert response.status_code == 302
    items = {item.title: item for item in draft_of(profile).news_items.all()}
    assert set(items) == {"Субботник прошёл", "Праздник двора"}
    assert items["Праздник двора"].event_starts_at is not None
    assert not TOSNewsItem.objects.exists()

    uid = items["Субботник прошёл"].uid
    response = leader_client.post(
        url("news_edit", profile, uid),
        {"kind": "news", "title": "Субботник весной", "published_on": "2024-04-20", "text": "Вышли 45 жителей."},
    )
    assert response.status_code == 302
    assert leader_client.post(url("news_delete", profile, uid)).status_code == 302
    assert [item.title for item in draft_of(profile).news_items.all()] == ["Праздник двора"]


# Bad input: a Russian message naming the field, status 400, nothing saved.

OPEN_RING = [[36.2, 54.5], [36.3, 54.5], [36.3, 54.6], [36.25, 54.65]]
FUTURE = (timezone.localdate() + timedelta(days=30)).isoformat()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"legal_form": "legal_entity", "inn": "7707083894"}, "ИНН 7707083894 не проходит проверку контрольной цифры"),
        ({"legal_form": "legal_entity", "ogrn": "1027700132196"}, "ОГРН 1027700132196 не проходит проверку"),
        ({"legal_form": "no_legal_entity", "inn": VALID_INN}, "ИНН и ОГРН есть только у ТОС — юридического лица"),
        ({"residents_count": "-5"}, "«Жителей на территории» не может быть отрицательным числом"),
        ({"founded_at": FUTURE}, "Дата учреждения не может быть в будущем"),
        ({"geometry": "{type: Point"}, "Границы на карте: это не GeoJSON"),
        (
            {"geometry": json.dumps({"type": "Polygon", "coordinates": [OPEN_RING]})},
            "контур многоугольника должен быть замкнут",
        ),
    ],
)
def test_bad_profile_input_is_refused_with_a_message_naming_the_field(leader_client, profile, changes, message):
    revisions = revisions_of(profile)
    response = leader_client.post(url("profile", profile), profile_data(profile, **changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="error-summary"' in html and "Изменения не сохранены" in html
    assert revisions_of(profile) == revisions
    assert moderation_status(profile).code == "published"


def test_a_valid_legal_entity_is_accepted(leader_client, profile):
    response = leader_client.post(
        url("profile", profile), profile_data(profile, legal_form="legal_entity", inn=VALID_INN, ogrn=VALID_OGRN)
    )
    assert response.status_code == 302
    assert draft_of(profile).inn == VALID_INN


def text_renamed_png():
    return SimpleUploadedFile("notes.png", b"just some text, not a picture", content_type="image/png")


@pytest.mark.parametrize(
    ("limit", "upload", "message"),
    [(50, png_upload, "весит 99"), (10 * 1024 * 1024, text_renamed_png, "не фотография")],
)
def test_a_bad_photo_is_refused_and_nothing_is_stored(leader_client, profile, settings, limit, upload, message):
    settings.TOS_PHOTO_MAX_BYTES = limit
    revisions, images = revisions_of(profile), get_image_model().objects.count()
    response = leader_client.post(url("project_add", profile), {**project_data(), "new_photos": [upload()]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "«Добавить фотографии»" in html and message in html
    assert revisions_of(profile) == revisions
    assert get_image_model().objects.count() == images
    assert list(draft_of(profile).projects.all()) == []


def test_an_oversized_news_photo_is_refused(leader_client, profile, settings):
    settings.TOS_PHOTO_MAX_BYTES = 50
    revisions = revisions_of(profile)
    response = leader_client.post(
        url("news_add", profile),
        {
            "kind": "news",
            "title": "Субботник",
            "published_on": "2024-04-20",
            "text": "Текст",
            "new_image": png_upload(),
        },
    )
    assert response.status_code == 400
    assert "«Фотография»" in response.content.decode()
    assert revisions_of(profile) == revisions


# Moderation state.


def test_editing_while_in_moderation_is_refused_and_withdrawal_reopens_it(leader_client, profile, leader):
    add_project(profile, leader)
    submit_for_moderation(profile, leader)
    revisions = revisions_of(profile)

    page = leader_client.get(url("profile", profile)).content.decode()
    assert "поля ниже недоступны для правки" in page and "disabled" in page

    response = leader_client.post(url("profile", profile), profile_data(profile, residents_count="3000"))
    assert response.status_code == 409
    assert "Изменения уже на модерации" in response.content.decode()
    response = leader_client.post(url("project_add", profile), project_data())
    assert response.status_code == 409
    assert revisions_of(profile) == revisions
    assert len(draft_of(profile).projects.all()) == 1

    response = leader_client.post(url("submit", profile))
    assert response.status_code == 409
    assert "Изменения уже отправлены на модерацию." in response.content.decode()

    assert leader_client.post(url("withdraw", profile)).status_code == 302
    profile.refresh_from_db()
    assert moderation_status(profile).code == "draft"
    assert leader_client.post(url("profile", profile), profile_data(profile, residents_count="3000")).status_code == 302


def test_nothing_to_submit_is_a_clear_refusal(leader_client, profile):
    response = leader_client.post(url("submit", profile))
    assert response.status_code == 400
    assert "Нет изменений для отправки" in response.content.decode()
    response = leader_client.post(url("withdraw", profile))
    assert response.status_code == 409


def test_a_returned_edit_shows_the_moderators_comment(leader_client, profile, leader, moderator):
    add_project(profile, leader)
    submit_for_moderation(profile, leader)
    reject(profile, moderator, "Добавьте год реализации и фотографии")
    profile.refresh_from_db()

    page = leader_client.get(url("profile", profile)).content.decode()
    assert "Возвращено на доработку" in page and "Добавьте год реализации и фотографии" in page
    cabinet = leader_client.get(reverse("cabinet")).content.decode()
    assert "Добавьте год реализации и фотографии" in cabinet
    assert leader_client.post(url("submit", profile)).status_code == 302
    profile.refresh_from_db()
    assert moderation_status(profile).code == "in_moderation"


def test_preview_renders_the_working_copy_with_the_public_template(leader_client, profile, leader):
    copy = draft_of(profile)
    copy.title = "ТОС «Солнечный» (черновик)"
    save_draft(profile, copy, leader)
    response = leader_client.get(url("preview", profile))
    assert response.status_code == 200
    assert "ТОС «Солнечный» (черновик)" in response.content.decode()


PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def document_data(content=PDF_BYTES, name="ustav.pdf", **changes):
    return {
        "kind": "charter",
        "title": "Устав ТОС «Солнечный»",
        "dated": "2019-04-02",
        "upload": SimpleUploadedFile(name, content, content_type="application/pdf"),
        **changes,
    }


def test_a_document_reaches_the_public_page_after_approval(client, leader_client, profile, moderator):
    documents_before = get_document_model().objects.count()
    response = leader_client.post(url("document_add", profile), document_data())
    assert response.status_code == 302
    assert get_document_model().objects.count() == documents_before + 1
    (document,) = draft_of(profile).documents.all()
    assert document.title == "Устав ТОС «Солнечный»" and document.document.collection.name == "Документы ТОС"

    # Renamed without a new file: the file stays.
    response = leader_client.post(
        url("document_edit", profile, document.uid), {**document_data(title="Устав (редакция 2019 г.)"), "upload": ""}
    )
    assert response.status_code == 302
    (document,) = draft_of(profile).documents.all()
    assert document.title == "Устав (редакция 2019 г.)" and document.document_id is not None

    assert leader_client.post(url("submit", profile)).status_code == 302
    profile.refresh_from_db()
    approve(profile, moderator)
    # Deleting it again is a draft too: the public page keeps the document until the next approval.
    assert leader_client.post(url("document_delete", profile, document.uid)).status_code == 302
    assert list(draft_of(profile).documents.all()) == []
    client.logout()
    public = client.get(profile.url).content.decode()
    assert "Устав (редакция 2019 г.)" in public and document.document.url in public


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ({"content": b"MZ\x90\x00 program", "name": "ustav.pdf"}, "не похоже на PDF"),
        ({"content": PDF_BYTES, "name": "ustav.exe"}, "можно загрузить только pdf"),
    ],
)
def test_a_file_that_is_not_a_document_is_refused_and_nothing_stored(leader_client, profile, upload, message):
    documents_before, revisions = get_document_model().objects.count(), revisions_of(profile)
    response = leader_client.post(url("document_add", profile), document_data(**upload))
    assert response.status_code == 400
    assert "«Файл»" in response.content.decode() and message in response.content.decode()
    assert get_document_model().objects.count() == documents_before
    assert revisions_of(profile) == revisions


def test_a_document_without_a_file_names_the_field(leader_client, profile):
    response = leader_client.post(url("document_add", profile), {**document_data(), "upload": ""})
    assert response.status_code == 400
    assert "Выберите файл документа." in response.content.decode()


# Who may not.


def all_writes(page, rows):
    project, news = rows
    news_data = {"kind": "news", "title": "Чужая новость", "published_on": "2024-04-20", "text": "Текст"}
    return [
        ("get", url("profile", page), None),
        ("post", url("profile", page), "profile"),
        ("get", url("project_add", page), None),
        ("post", url("project_add", page), "project"),
        ("get", url("project_edit", page, project), None),
        ("post", url("project_edit", page, project), "project"),
        ("get", url("project_delete", page, project), None),
        ("post", url("project_delete", page, project), {}),
        ("get", url("news_add", page), None),
        ("post", url("news_add", page), news_data),
        ("get", url("news_edit", page, news), None),
        ("post", url("news_edit", page, news), news_data),
        ("get", url("news_delete", page, news), None),
        ("post", url("news_delete", page, news), {}),
        ("get", url("document_add", page), None),
        ("post", url("document_add", page), document_data()),
        ("post", url("submit", page), {}),
        ("post", url("withdraw", page), {}),
        ("get", url("preview", page), None),
    ]


def assert_all_forbidden(client, page, rows):
    revisions = revisions_of(page)
    for method, address, data in all_writes(page, rows):
        if data == "profile":
            data = profile_data(page, title="Захваченный ТОС")
        elif data == "project":
            data = project_data(title="Чужой проект")
        response = getattr(client, method)(address, data) if method == "post" else client.get(address)
        assert response.status_code == 403, (method, address, response.status_code)
    assert revisions_of(page) == revisions
    page.refresh_from_db()
    assert moderation_status(page).code == "draft"  # the one earlier draft, not submitted
    copy = draft_of(page)
    assert copy.title == "ТОС «Солнечный»"
    assert [row.title for row in copy.projects.all()] == ["Ремонт спортплощадки"]
    assert [row.title for row in copy.news_items.all()] == ["Субботник"]


def test_anonymous_is_sent_to_sign_in(client, profile, leader):
    for method, address, _data in all_writes(profile, seed_rows(profile, leader)):
        response = getattr(client, method)(address)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_another_tos_leader_is_forbidden_everywhere(client, tos_index, profile, leader):
    rows = seed_rows(profile, leader)
    other = publish_profile(tos_index, title="ТОС «Соседний»")
    client.force_login(leader_of(other))
    assert_all_forbidden(client, profile, rows)
    assert "могут только председатель этого ТОС" in client.get(url("profile", profile)).content.decode()


def test_a_plain_member_is_forbidden_and_an_allowed_member_may_edit(client, profile, leader):
    rows = seed_rows(profile, leader)
    member = UserFactory()
    membership = TOSMembership.objects.create(tos=profile, user=member, role=MembershipRole.MEMBER)
    client.force_login(member)
    assert_all_forbidden(client, profile, rows)

    membership.can_edit_profile = True
    membership.save()
    assert client.get(url("profile", profile)).status_code == 200
    response = client.post(url("profile", profile), profile_data(profile, phone="+74842123456"))
    assert response.status_code == 302
    assert draft_of(profile).phone == "+74842123456"


def test_an_ended_membership_no_longer_lets_edit(client, profile, leader):
    rows = seed_rows(profile, leader)
    TOSMembership.objects.filter(user=leader).update(ended_on=timezone.localdate())
    client.force_login(leader)
    assert_all_forbidden(client, profile, rows)


def test_a_page_that_is_not_a_tos_profile_is_not_found(leader_client, tos_index):
    assert leader_client.get(reverse("tos:profile", args=[tos_index.pk])).status_code == 404


# The cabinet section.


def test_a_resident_without_a_tos_finds_how_to_register_one(client):
    client.force_login(UserFactory())
    page = client.get(reverse("cabinet")).content.decode()
    assert "Мой ТОС" in page
    assert reverse("tos_registration:request") in page


def test_the_cabinet_lists_the_leaders_tos_and_requests(client, profile, leader):
    RegistrationRequest.objects.create(
        applicant=leader,
        name="ТОС «Липки»",
        municipality=profile.municipality,
        boundaries_text="д. Липки",
        leader_name="Иванова Анна",
        leader_email="anna@example.org",
        status=RegistrationRequest.Status.ACCEPTED,
        decision_comment="Профиль создан, проверьте границы",
        profile=profile,
    )
    client.force_login(leader)
    page = client.get(reverse("cabinet")).content.decode()
    assert "ТОС «Солнечный»" in page and "Председатель" in page and "опубликовано" in page
    assert url("profile", profile) in page and profile.url in page
    assert "ТОС «Липки»" in page and "Профиль создан, проверьте границы" in page
    assert reverse("tos_registration:request") in page


def test_a_plain_member_sees_the_tos_without_the_edit_link(client, profile):
    member = UserFactory()
    TOSMembership.objects.create(tos=profile, user=member, role=MembershipRole.MEMBER)
    client.force_login(member)
    page = client.get(reverse("cabinet")).content.decode()
    assert "ТОС «Солнечный»" in page
    assert url("profile", profile) not in page
