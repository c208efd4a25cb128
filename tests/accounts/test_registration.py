import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
SIGNUP = "/ru/accounts/signup/"


def signup(client, email="novyi@example.org", password1="Kaluga-Dvor-2026", password2=None):
    return client.post(SIGNUP, {"email": email, "password1": password1, "password2": password2 or password1})


def test_signup_creates_an_unconfirmed_account_and_sends_a_russian_confirmation(client, site_tree):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="novyi@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["novyi@example.org"]
    assert "Подтвердите" in mail.outbox[0].subject or "подтвер" in mail.outbox[0].body.lower()


def test_confirmation_link_verifies_the_address_and_login_works(client, site_tree):
    signup(client)
    link = re.search(r"https?://[^\s]+/confirm-email/[^\s]+", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    client.post(path)
    assert EmailAddress.objects.get(email="novyi@example.org").verified
    client.logout()
    response = client.post("/ru/accounts/login/", {"login": "novyi@example.org", "password": "Kaluga-Dvor-2026"})
    assert response.status_code == 302
    assert client.get("/ru/cabinet/").status_code == 200


def test_taken_email_is_refused_in_russian_and_nothing_is_created(client, site_tree):
    UserFactory(email="zanyat@example.org")
    response = signup(client, email="zanyat@example.org")
    assert response.status_code == 200
    assert "уже зарегистрирован" in response.content.decode()
    assert User.objects.filter(email__iexact="zanyat@example.org").count() == 1
    assert mail.outbox == []


def test_mismatched_passwords_are_refused_in_russian(client, site_tree):
    response = signup(client, password1="Kaluga-Dvor-2026", password2="Kaluga-Dvor-2027")
    assert response.status_code == 200
    assert "одинаковый пароль" in response.content.decode()
    assert not User.objects.filter(email="novyi@example.org").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678901", "состоит только из цифр"),
        ("korotkiy", "слишком короткий"),
        ("password123", "широко распространён"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(client, site_tree, password, message):
    response = signup(client, password1=password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="novyi@example.org").exists()


def test_password_reset_sends_a_link(client, site_tree):
    UserFactory(email="zabyl@example.org")
    response = client.post("/ru/accounts/password/reset/", {"email": "zabyl@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_cabinet_requires_login(client, site_tree):
    response = client.get("/ru/cabinet/")
    assert response.status_code == 302
    assert response["Location"].startswith("/ru/accounts/login/")


def test_cabinet_shows_roles_and_admin_link_only_to_staff_roles(client, site_tree):
    leader = UserFactory(roles=["Лидер ТОС"])
    client.login(username=leader.username, password=TEST_PASSWORD)
    html = client.get("/ru/cabinet/").content.decode()
    assert "Лидер ТОС" in html
    assert "Перейти в редактор сайта" not in html

    methodologist = UserFactory(roles=["Методист"])
    client.login(username=methodologist.username, password=TEST_PASSWORD)
    assert "Перейти в редактор сайта" in client.get("/ru/cabinet/").content.decode()
