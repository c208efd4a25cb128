import pytest

pytestmark = pytest.mark.django_db


def test_visitor_switches_on_accessible_mode_and_it_persists(client, site_tree):
    response = client.post("/accessibility/", {"mode": "on", "next": "/ru/"})
    assert response.status_code == 302
    assert response["Location"] == "/ru/"
    assert response.cookies["accessible_mode"].value == "on"

    html = client.get("/ru/").content.decode()
    assert 'class="accessible-mode"' in html
    assert "Обычная версия" in html


def test_visitor_switches_accessible_mode_off(client, site_tree):
    client.cookies["accessible_mode"] = "on"
    response = client.post("/accessibility/", {"mode": "off", "next": "/ru/"})
    assert response.cookies["accessible_mode"].value == ""
    client.cookies.pop("accessible_mode", None)
    assert "Версия для слабовидящих" in client.get("/ru/").content.decode()


def test_toggle_never_redirects_to_another_site(client):
    response = client.post("/accessibility/", {"mode": "on", "next": "https://evil.example.com/"})
    assert response["Location"] == "/"


def test_toggle_accepts_post_only(client):
    assert client.get("/accessibility/").status_code == 405
