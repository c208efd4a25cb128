"""The TOS API: the directory for everyone, a profile's editor changing it, and everyone else refused."""

import datetime

import pytest
import wagtail_factories
import yaml
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from wagtail.models import Revision

from tests.factories import UserFactory
from tests.tos.factories import TOSProfilePageFactory, leader_of, publish_profile
from tos.models import (
    ActivityArea,
    LegalForm,
    MembershipRole,
    TOSCouncilMember,
    TOSMembership,
    TOSNewsItem,
    TOSProfilePage,
    TOSProject,
)
from tos.moderation import moderation_status, save_draft, working_copy
from website.models import Municipality

pytestmark = pytest.mark.django_db

VALID_INN = "7707083893"
VALID_OGRN = "1027700132195"
POINT = {"type": "Point", "coordinates": [36.2612, 54.5138]}
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[36.20, 54.50], [36.22, 54.50], [36.22, 54.52], [36.20, 54.52], [36.20, 54.50]]],
}


@pytest.fixture
def kaluga():
    return Municipality.objects.get(short_name="Калуга")


@pytest.fixture
def obninsk():
    return Municipality.objects.get(short_name="Обнинск")


@pytest.fixture
def areas():
    return {
        "blago": ActivityArea.objects.get(name="Благоустройство и охрана памятников"),
        "sport": ActivityArea.objects.get(name="Здоровый образ жизни, физкультура и спорт"),
        "eco": ActivityArea.objects.get(name="Экология и озеленение"),
    }


@pytest.fixture
def directory(tos_index, kaluga, obninsk, areas, django_capture_on_commit_callbacks):
    """Three published TOS (indexed for search) and one that was never published."""
    photo, project_photo = wagtail_factories.ImageFactory.create_batch(2, title="Детская площадка")
    with django_capture_on_commit_callbacks(execute=True):
        solnechny = publish_profile(
            tos_index,
            title="ТОС «Солнечный»",
            slug="solnechnyi",
            municipality=kaluga,
            residents_count=1500,
            households_count=600,
            founded_at=datetime.date(2015, 3, 1),
            legal_form=LegalForm.LEGAL_ENTITY,
            inn=VALID_INN,
            ogrn=VALID_OGRN,
            geometry=POINT,
            about="Дворы на улице Солнечной: площадки, праздники, субботники.",
            activity_areas=[areas["blago"], areas["sport"]],
            gallery=[("photo", {"image": photo, "decorative": False, "alt_text": "Двор после ремонта"})],
            council_members=[
                TOSCouncilMember(name="Открытова Мария Ивановна", position="секретарь", consent_to_publish=True),
                TOSCouncilMember(name="Скрытов Пётр Петрович", position="казначей", consent_to_publish=False),
            ],
            projects=[
                TOSProject(
                    title="Дворик детства",
                    year=2024,
                    funding_source="initiative_budgeting",
                    amount="1250000.00",
                    residents_share="5.00",
                    status="completed",
                    photos=[("photo", {"image": project_photo, "decorative": False, "alt_text": "Горка и качели"})],
                )
            ],
            news_items=[TOSNewsItem(title="Субботник", text="Собираемся в субботу.", image=photo)],
        )
        lipki = publish_profile(
            tos_index,
            title="ТОС «Липки»",
            slug="lipki",
            municipality=kaluga,
            residents_count=1200,
            geometry=SQUARE,
            activity_areas=[areas["eco"]],
        )
        reka = publish_profile(
            tos_index, title="ТОС «Река»", slug="reka", municipality=obninsk, residents_count=400, geometry=None
        )
    hidden = TOSProfilePageFactory.build(title="ТОС «Черновик»", slug="chernovik", live=False)
    tos_index.add_child(instance=hidden)
    hidden.save_revision()
    return {"solnechny": solnechny, "lipki": lipki, "reka": reka, "hidden": hidden, "photo": photo}


def titles(response):
    return [item["title"] for item in response.json()["results"]]


def patch(client, page, body, **extra):
    return client.patch(f"/api/v1/tos/{page.pk}/", body, content_type="application/json", **extra)


def revisions_of(page):
    return Revision.page_revisions.filter(object_id=str(page.pk)).count()


# --- The directory ------------------------------------------------------------------------------------------------


def test_list_shows_published_tos_with_their_fields_and_never_drafts(client, directory, kaluga, areas):
    response = client.get("/api/v1/tos/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert titles(response) == ["ТОС «Липки»", "ТОС «Река»", "ТОС «Солнечный»"]
    item = next(item for item in body["results"] if item["title"] == "ТОС «Солнечный»")
    assert item["id"] == directory["solnechny"].pk
    assert item["url"] == "http://localhost/ru/tos/solnechnyi/"
    assert item["municipality"] == {"id": kaluga.pk, "short_name": "Калуга"}
    assert item["legal_form"] == "legal_entity"
    assert item["legal_form_display"] == "юридическое лицо (некоммерческая организация)"
    assert item["residents_count"] == 1500 and item["households_count"] == 600
    assert item["founded_at"] == "2015-03-01"
    assert {area["name"] for area in item["activity_areas"]} == {areas["blago"].name, areas["sport"].name}
    assert item["has_projects"] is True
    assert item["centre"] == [36.2612, 54.5138]
    reka = next(item for item in body["results"] if item["title"] == "ТОС «Река»")
    assert reka["centre"] is None and reka["has_projects"] is False


def test_list_pages_with_limit_and_offset(client, directory):
    response = client.get("/api/v1/tos/", {"limit": 2, "offset": 2})
    assert response.json()["count"] == 3
    assert titles(response) == ["ТОС «Солнечный»"]
    assert response.json()["next"] is None and response.json()["previous"].endswith("?limit=2")


def test_each_filter_narrows_the_list(client, directory, kaluga, areas):
    assert titles(client.get("/api/v1/tos/", {"municipality": kaluga.pk})) == ["ТОС «Липки»", "ТОС «Солнечный»"]
    assert titles(client.get("/api/v1/tos/", {"area": areas["eco"].pk})) == ["ТОС «Липки»"]
    assert titles(client.get("/api/v1/tos/", {"legal_form": "legal_entity"})) == ["ТОС «Солнечный»"]
    assert titles(client.get("/api/v1/tos/", {"has_projects": "true"})) == ["ТОС «Солнечный»"]
    assert titles(client.get("/api/v1/tos/", {"sort": "-residents"})) == [
        "ТОС «Солнечный»",
        "ТОС «Липки»",
        "ТОС «Река»",
    ]
    assert titles(client.get("/api/v1/tos/", {"municipality": kaluga.pk, "area": areas["sport"].pk})) == [
        "ТОС «Солнечный»"
    ]


def test_search_finds_a_tos_by_another_word_form(client, directory):
    assert titles(client.get("/api/v1/tos/", {"q": "солнечного"})) == ["ТОС «Солнечный»"]
    assert titles(client.get("/api/v1/tos/", {"q": "черновик"})) == []


def test_an_unpublished_edit_is_not_listed(client, directory):
    page = directory["lipki"]
    copy = working_copy(page)
    copy.title = "ТОС «Переименованный»"
    save_draft(page, copy, leader_of(page))
    assert "ТОС «Переименованный»" not in titles(client.get("/api/v1/tos/"))


# --- The profile --------------------------------------------------------------------------------------------------


def test_detail_shows_the_published_profile(client, directory):
    page = directory["solnechny"]
    response = client.get(f"/api/v1/tos/{page.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "ТОС «Солнечный»"
    assert body["geometry"] == POINT
    assert body["charter"] == {"founded_at": "2015-03-01", "charter_registered_at": None, "charter_number": ""}
    assert body["inn"] == VALID_INN and body["ogrn"] == VALID_OGRN
    assert body["contacts"]["phone"] == ""
    project = body["projects"][0]
    assert project["title"] == "Дворик детства"
    assert project["amount"] == "1250000.00"
    assert project["funding_source_display"] == "инициативное бюджетирование"
    assert project["status_display"] == "реализован"
    assert project["photos"][0]["alt"] == "Горка и качели"
    assert "width-800" in project["photos"][0]["url"] and project["photos"][0]["url"].startswith("http://")
    assert body["gallery"][0]["alt"] == "Двор после ремонта"
    assert body["news"][0]["title"] == "Субботник" and "width-800" in body["news"][0]["image"]
    assert body["last_published_at"]


def test_detail_hides_council_members_without_consent(client, directory):
    body = client.get(f"/api/v1/tos/{directory['solnechny'].pk}/").json()
    assert body["council"] == [{"name": "Открытова Мария Ивановна", "position": "секретарь"}]
    assert "Скрытов" not in str(body)


def test_detail_never_shows_unpublished_edits(client, directory):
    page = directory["solnechny"]
    copy = working_copy(page)
    copy.residents_count = 9999
    copy.about = "Черновой текст"
    save_draft(page, copy, leader_of(page))
    body = client.get(f"/api/v1/tos/{page.pk}/").json()
    assert body["residents_count"] == 1500
    assert "Черновой" not in str(body)


def test_detail_of_a_draft_another_page_or_nothing_is_404(client, directory, tos_index):
    assert client.get(f"/api/v1/tos/{directory['hidden'].pk}/").status_code == 404
    assert client.get(f"/api/v1/tos/{tos_index.pk}/").status_code == 404
    assert client.get("/api/v1/tos/999999/").status_code == 404


# --- The map and coverage -----------------------------------------------------------------------------------------


def test_map_is_geojson_of_tos_with_a_geometry(client, directory):
    response = client.get("/api/v1/tos/map/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    by_title = {feature["properties"]["title"]: feature for feature in body["features"]}
    assert set(by_title) == {"ТОС «Солнечный»", "ТОС «Липки»"}
    feature = by_title["ТОС «Липки»"]
    assert feature["type"] == "Feature" and feature["id"] == directory["lipki"].pk
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"]["centre"] == pytest.approx([36.21, 54.51])
    assert feature["properties"]["url"] == "/ru/tos/lipki/"


def test_map_takes_the_directory_filters(client, directory, areas):
    body = client.get("/api/v1/tos/map/", {"area": areas["eco"].pk}).json()
    assert [feature["properties"]["title"] for feature in body["features"]] == ["ТОС «Липки»"]


def test_coverage_by_municipality(client, directory, kaluga, obninsk):
    kaluga.population, kaluga.population_year = 300_000, 2024
    kaluga.save()
    obninsk.population = None
    obninsk.save()
    body = client.get("/api/v1/tos/coverage/").json()
    rows = {row["short_name"]: row for row in body["municipalities"]}
    assert rows["Калуга"] == {
        "id": kaluga.pk,
        "short_name": "Калуга",
        "tos_count": 2,
        "residents_covered": 2700,
        "population": 300_000,
        "population_year": 2024,
        "share": "0.9",
    }
    assert rows["Обнинск"]["tos_count"] == 1 and rows["Обнинск"]["share"] is None
    empty = next(row for row in body["municipalities"] if row["short_name"] not in ("Калуга", "Обнинск"))
    assert empty["tos_count"] == 0 and empty["residents_covered"] == 0
    assert len(rows) == Municipality.objects.count()
    assert body["totals"]["tos_count"] == 3 and body["totals"]["residents_covered"] == 3100


# --- A leader's edits ---------------------------------------------------------------------------------------------


def test_leader_patches_the_profile_into_a_draft(client, directory, areas):
    page = directory["lipki"]
    leader = leader_of(page)
    client.force_login(leader)
    before = revisions_of(page)
    response = patch(
        client,
        page,
        {
            "residents_count": 2500,
            "founded_at": "2018-05-20",
            "activity_areas": [areas["sport"].pk],
            "geometry": POINT,
            "phone": "+7 4842 00-00-00",
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["status_label"] == "черновик: не отправлен на модерацию"
    assert revisions_of(page) == before + 1
    revision = Revision.objects.get(pk=body["revision_id"])
    assert revision.user == leader

    page.refresh_from_db()
    assert page.residents_count == 1200 and page.geometry == SQUARE  # the live page waits for the moderator
    assert client.get(f"/api/v1/tos/{page.pk}/").json()["residents_count"] == 1200

    draft = client.get(f"/api/v1/tos/{page.pk}/draft/").json()
    assert draft["residents_count"] == 2500
    assert draft["founded_at"] == "2018-05-20"
    assert draft["activity_areas"] == [areas["sport"].pk]
    assert draft["geometry"] == POINT
    assert draft["phone"] == "+7 4842 00-00-00"
    assert draft["title"] == "ТОС «Липки»"  # fields not in the patch keep their values
    assert draft["revision_id"] == body["revision_id"]
    assert draft["moderation"]["code"] == "draft" and draft["moderation"]["can_submit"] is True


def test_patch_without_council_keeps_the_council_and_with_it_replaces_it(client, directory):
    page = directory["solnechny"]
    client.force_login(leader_of(page))
    assert patch(client, page, {"chair_name": "Новикова Ольга"}).status_code == 200
    copy = working_copy(TOSProfilePage.objects.get(pk=page.pk))
    assert copy.chair_name == "Новикова Ольга"
    council = [(m.name, m.position, m.consent_to_publish) for m in copy.council_members.all()]
    assert council == [
        ("Открытова Мария Ивановна", "секретарь", True),
        ("Скрытов Пётр Петрович", "казначей", False),
    ]

    new_council = [{"name": "Новый Иван Ильич", "position": "заместитель", "consent_to_publish": True}]
    assert patch(client, page, {"council": new_council}).status_code == 200
    draft = client.get(f"/api/v1/tos/{page.pk}/draft/").json()
    assert draft["council"] == new_council
    assert draft["chair_name"] == "Новикова Ольга"

    response = patch(client, page, {"council": [{"name": "Первый Иван"}, {"position": "без имени"}]})
    assert response.status_code == 400
    assert response.json()["errors"]["council"] == [
        "Член совета 2: «Фамилия, имя, отчество»: Требуется заполнить это поле."
    ]
    assert patch(client, page, {"council": {"name": "не список"}}).status_code == 400
    assert client.get(f"/api/v1/tos/{page.pk}/draft/").json()["council"] == new_council


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"legal_form": "legal_entity", "inn": "7707083894"}, "inn", "контрольной цифры"),
        ({"residents_count": -5}, "residents_count", "не может быть отрицательным"),
        ({"founded_at": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()}, "founded_at", "в будущем"),
        ({"geometry": {"type": "Polygon", "coordinates": [[[36.2, 54.5], [36.3, 54.5]]]}}, "geometry", "контур"),
        ({"geometry": {"type": "Circle"}}, "geometry", "Point, Polygon"),
        ({"founded_at": "вчера"}, "founded_at", "ДД.ММ.ГГГГ"),
        ({"activity_areas": "спорт"}, "activity_areas", "список id"),
        ({"title": ""}, "title", "Название ТОС"),
    ],
)
def test_bad_input_is_refused_with_a_russian_message_naming_the_field(client, directory, body, field, words):
    page = directory["lipki"]
    client.force_login(leader_of(page))
    before = revisions_of(page)
    response = patch(client, page, body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors, errors
    message = " ".join(errors[field])
    assert words in message
    label = str(TOSProfilePage._meta.get_field(field).verbose_name).split(" (")[0]
    assert label.lower() in message.lower() or field == "title"
    assert revisions_of(page) == before
    assert moderation_status(TOSProfilePage.objects.get(pk=page.pk)).code == "published"


def test_unknown_fields_are_named(client, directory):
    page = directory["lipki"]
    client.force_login(leader_of(page))
    response = patch(client, page, {"slug": "drugoi", "live": False, "residents_count": 10})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"slug", "live"}
    assert "«slug»" in response.json()["errors"]["slug"][0]
    assert patch(client, page, {}).status_code == 400
    assert TOSProfilePage.objects.get(pk=page.pk).has_unpublished_changes is False


def test_submit_sends_the_draft_to_moderation_and_blocks_further_edits(client, directory):
    page = directory["lipki"]
    client.force_login(leader_of(page))
    nothing = client.post(f"/api/v1/tos/{page.pk}/submit/")
    assert nothing.status_code == 400 and "Нет изменений" in nothing.json()["detail"]

    assert patch(client, page, {"residents_count": 1300}).status_code == 200
    response = client.post(f"/api/v1/tos/{page.pk}/submit/")
    assert response.status_code == 200
    assert response.json()["status"] == "in_moderation"

    refused = patch(client, page, {"residents_count": 1400})
    assert refused.status_code == 409 and "модерации" in refused.json()["detail"]
    assert client.post(f"/api/v1/tos/{page.pk}/submit/").status_code == 409
    assert working_copy(TOSProfilePage.objects.get(pk=page.pk)).residents_count == 1300


def test_token_authentication_works_for_edits(client, directory):
    page = directory["lipki"]
    token = Token.objects.create(user=leader_of(page))
    response = patch(client, page, {"residents_count": 1250}, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


# --- Who must not edit --------------------------------------------------------------------------------------------


def test_another_tos_leader_is_refused_everything_and_nothing_changes(client, directory):
    page = directory["lipki"]
    copy = working_copy(page)
    copy.residents_count = 1300
    save_draft(page, copy, leader_of(page))
    before = revisions_of(page)
    client.force_login(leader_of(directory["reka"]))
    assert patch(client, page, {"residents_count": 1}).status_code == 403
    assert client.get(f"/api/v1/tos/{page.pk}/draft/").status_code == 403
    refused = client.post(f"/api/v1/tos/{page.pk}/submit/")
    assert refused.status_code == 403 and "председатель" in refused.json()["detail"]
    assert revisions_of(page) == before
    page = TOSProfilePage.objects.get(pk=page.pk)
    assert moderation_status(page).code == "draft"
    assert working_copy(page).residents_count == 1300


def test_anonymous_is_asked_to_sign_in(client, directory):
    page = directory["lipki"]
    response = patch(client, page, {"residents_count": 1})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert client.get(f"/api/v1/tos/{page.pk}/draft/").status_code == 401
    assert client.post(f"/api/v1/tos/{page.pk}/submit/").status_code == 401
    assert revisions_of(page) == 1


@pytest.mark.parametrize("who", ["member", "former_chair", "staff", "moderator"])
def test_members_without_the_right_to_edit_and_staff_are_refused(client, directory, who):
    page = directory["lipki"]
    user = UserFactory(is_staff=who == "staff", roles=["Модератор"] if who == "moderator" else ["Лидер ТОС"])
    if who == "member":
        TOSMembership.objects.create(tos=page, user=user, role=MembershipRole.MEMBER)
    if who == "former_chair":
        TOSMembership.objects.create(
            tos=page, user=user, role=MembershipRole.CHAIR, ended_on=timezone.localdate() - datetime.timedelta(1)
        )
    client.force_login(user)
    assert patch(client, page, {"residents_count": 1}).status_code == 403
    assert client.get(f"/api/v1/tos/{page.pk}/draft/").status_code == 403
    assert client.post(f"/api/v1/tos/{page.pk}/submit/").status_code == 403
    assert revisions_of(page) == 1


def test_a_member_trusted_with_edits_may_edit(client, directory):
    page = directory["lipki"]
    user = UserFactory()
    TOSMembership.objects.create(tos=page, user=user, role=MembershipRole.COUNCIL, can_edit_profile=True)
    client.force_login(user)
    assert patch(client, page, {"residents_count": 1250}).status_code == 200


def test_editing_an_unknown_tos_is_404(client, directory, tos_index):
    client.force_login(leader_of(directory["lipki"]))
    assert patch(client, tos_index, {"residents_count": 1}).status_code == 404
    assert client.post("/api/v1/tos/999999/submit/").status_code == 404


# --- OpenAPI ------------------------------------------------------------------------------------------------------


def test_openapi_schema_documents_the_tos_api(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    validate_schema(schema)
    paths = schema["paths"]
    assert "get" in paths["/api/v1/tos/"]
    assert {"get", "patch"} <= set(paths["/api/v1/tos/{id}/"])
    assert "get" in paths["/api/v1/tos/{id}/draft/"]
    assert "post" in paths["/api/v1/tos/{id}/submit/"]
    assert "get" in paths["/api/v1/tos/map/"] and "get" in paths["/api/v1/tos/coverage/"]
    assert {"200", "400", "401", "403", "409"} <= set(paths["/api/v1/tos/{id}/"]["patch"]["responses"])
