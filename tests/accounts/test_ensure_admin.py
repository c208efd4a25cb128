from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run():
    out = StringIO()
    call_command("ensure_admin", "--url", "http://127.0.0.1:8000", stdout=out)
    return out.getvalue()


def test_creates_one_admin_and_prints_the_same_login_again(client):
    first = run()
    assert "http://127.0.0.1:8000/admin/" in first and "логин: admin" in first
    password = first.split("пароль: ")[1].split()[0]
    assert run() == first
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert client.login(username="admin", password=password)
    assert client.get("/admin/").status_code == 200
