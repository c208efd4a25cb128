import pytest
import yaml
from drf_spectacular.validation import validate_schema

from tests.factories import TEST_PASSWORD, ContentPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_schema_is_a_valid_openapi_document(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/municipalities/" in schema["paths"]
    assert "/api/v1/auth/token/" in schema["paths"]


def test_schema_has_a_browsable_ui(client):
    response = client.get("/api/v1/schema/swagger/")
    assert response.status_code == 200
    assert "swagger-ui" in response.content.decode()


def test_pages_api_lists_published_pages_only(client, site_tree):
    ContentPageFactory(parent=site_tree["home"], title="Опубликованная", slug="opublikovannaya")
    ContentPageFactory(parent=site_tree["home"], title="Черновик", slug="chernovik", live=False)
    response = client.get("/api/v2/pages/", {"limit": 20})
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    assert "Опубликованная" in titles
    assert "Черновик" not in titles


def test_pages_api_hides_private_pages(client, site_tree):
    from wagtail.models import PageViewRestriction

    page = ContentPageFactory(parent=site_tree["home"], title="Только для своих", slug="private")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    titles = [item["title"] for item in client.get("/api/v2/pages/").json()["items"]]
    assert "Только для своих" not in titles


def test_municipalities_are_public(client):
    response = client.get("/api/v1/municipalities/")
    assert response.status_code == 200
    names = [item["short_name"] for item in response.json()]
    assert len(names) == 26 and "Обнинск" in names


def test_municipalities_cannot_be_written_through_the_api(client):
    user = UserFactory(roles=["Методист"])
    client.login(username=user.username, password=TEST_PASSWORD)
    response = client.post("/api/v1/municipalities/", {"short_name": "Новый"}, content_type="application/json")
    assert response.status_code == 405


def test_me_requires_authentication(client):
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_token_authentication_gives_the_current_user_and_roles(client):
    user = UserFactory(email="lider@example.org", roles=["Лидер ТОС"])
    response = client.post(
        "/api/v1/auth/token/",
        {"email": "lider@example.org", "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    assert me.json()["email"] == user.email
    assert me.json()["roles"] == ["Лидер ТОС"]


def test_wrong_password_gives_no_token_and_a_russian_message(client):
    UserFactory(email="lider@example.org")
    response = client.post(
        "/api/v1/auth/token/", {"email": "lider@example.org", "password": "wrong"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "Неверная электронная почта или пароль" in str(response.json())


def test_token_request_names_missing_fields(client):
    response = client.post("/api/v1/auth/token/", {}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_unconfirmed_address_gets_no_token(client):
    user = UserFactory(email="novyi@example.org")
    user.emailaddress_set.update(verified=False)
    response = client.post(
        "/api/v1/auth/token/",
        {"email": "novyi@example.org", "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "адрес ещё не подтверждён" in str(response.json())


@pytest.mark.django_db
def test_a_missing_api_address_answers_404_not_a_redirect(client):
    assert client.get("/api/v1/municipalities/999999/").status_code == 404
    assert client.get("/api/v1/no-such-endpoint/").status_code == 404
