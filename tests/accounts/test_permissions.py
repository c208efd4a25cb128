import pytest
from django.contrib.auth.models import Group

from tests.factories import TEST_PASSWORD, ContentPageFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["Методист", "Модератор", "Секретарь конкурса", "Эксперт", "Лидер ТОС", "Специалист МО"]


def test_all_platform_roles_exist():
    assert set(ROLES) <= set(Group.objects.values_list("name", flat=True))


def test_anonymous_visitor_cannot_reach_the_admin(client, site_tree):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    page = ContentPageFactory(parent=site_tree["home"])
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 302


@pytest.mark.parametrize("role", ["Лидер ТОС", "Эксперт", "Специалист МО"])
def test_front_office_roles_cannot_edit_pages(client, site_tree, role):
    page = ContentPageFactory(parent=site_tree["home"], title="Стандарт")
    user = UserFactory(roles=[role])
    client.login(username=user.username, password=TEST_PASSWORD)

    assert not page.permissions_for_user(user).can_edit()
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code in (302, 403)
    response = client.post(f"/admin/pages/{page.pk}/edit/", {"title": "Взлом", "slug": page.slug})
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.title == "Стандарт"


def test_methodologist_edits_and_publishes_pages(client, site_tree):
    page = ContentPageFactory(parent=site_tree["home"])
    user = UserFactory(roles=["Методист"])
    permissions = page.permissions_for_user(user)
    assert permissions.can_edit() and permissions.can_publish()
    client.login(username=user.username, password=TEST_PASSWORD)
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_moderator_publishes_but_does_not_create_pages(site_tree):
    user = UserFactory(roles=["Модератор"])
    permissions = site_tree["home"].permissions_for_user(user)
    assert permissions.can_publish()
    assert not permissions.can_add_subpage()


def test_administrator_assigns_a_role_in_the_admin(client, site_tree):
    admin = UserFactory(is_superuser=True, is_staff=True)
    person = UserFactory(email="lider@example.org", first_name="Иван", last_name="Смирнов")
    leader_group = Group.objects.get(name="Лидер ТОС")
    client.login(username=admin.username, password=TEST_PASSWORD)
    response = client.post(
        f"/admin/users/edit/{person.pk}/",
        {
            "username": person.username,
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "is_active": "on",
            "groups": [leader_group.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/admin/users/"
    assert list(person.groups.values_list("name", flat=True)) == ["Лидер ТОС"]


def test_moderation_workflow_is_approved_by_the_moderator_role(site_tree):
    from wagtail.models import GroupApprovalTask

    task = GroupApprovalTask.objects.get()
    assert task.name == "Согласование модератором"
    assert list(task.groups.values_list("name", flat=True)) == ["Модератор"]
    workflow = site_tree["home"].get_workflow()
    assert workflow is not None and workflow.name == "Согласование модератором"
