"""The expert pool in the secretary's admin: the list, adding an expert by e-mail, ties, the expert's page."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.admin.menu import admin_menu

from competitions.models import ConflictDeclaration, Expert, ExpertTie
from tests.competitions.scoring_factories import make_expert
from tests.factories import UserFactory
from tests.tos.factories import TOSIndexPageFactory, leader_of, publish_profile
from website.models import Municipality

pytestmark = pytest.mark.django_db


def denied(response):
    """A refused admin view: 403, or Wagtail's redirect to its login page (anonymous or no admin access)."""
    if response.status_code == 302:
        return response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/")
    return response.status_code == 403


def text(response):
    return response.content.decode()


@pytest.fixture
def as_secretary(client, secretary):
    client.force_login(secretary)
    return client


@pytest.fixture
def profile(site_tree):
    return publish_profile(TOSIndexPageFactory(parent=site_tree["home"]), title="ТОС «Солнечный»")


@pytest.fixture
def kaluga():
    return Municipality.objects.get(short_name="Калуга")


def expert_data(**values):
    return {
        "email": "",
        "full_name": "Смирнова Ольга Игоревна",
        "organisation": "КГУ им. Циолковского",
        "position": "доцент",
        "municipality": "",
        "expertise": "Благоустройство дворов",
        "is_active": "on",
        **values,
    }


def tie_data(expert, **values):
    return {
        "expert": expert.pk,
        "kind": "tos",
        "tos": "",
        "municipality": "",
        "organisation": "",
        "description": "",
        **values,
    }


def inspect_url(expert):
    return reverse("competition_experts:inspect", args=[expert.pk])


# The list ----------------------------------------------------------------------------------------------------------


def test_the_secretary_sees_the_pool_with_declarations_and_search(as_secretary, competition, kaluga):
    declared = make_expert(
        competition, full_name="Ковалёв Пётр", organisation="Архитектурное бюро", municipality=kaluga
    )
    make_expert(full_name="Белова Анна", organisation="Управление ЖКХ", is_active=False)

    page = text(as_secretary.get(reverse("competition_experts:index")))

    assert "Ковалёв Пётр" in page and "Архитектурное бюро" in page and "Калуга" in page
    assert "Белова Анна" in page
    assert inspect_url(declared) in page  # the name opens the expert's page
    for heading in ("ФИО", "Организация", "Муниципалитет", "В пуле", "Деклараций", "Назначений сейчас"):
        assert heading in page

    found = text(as_secretary.get(reverse("competition_experts:index"), {"q": "Ковал"}))
    assert "Ковалёв Пётр" in found and "Белова Анна" not in found


def test_the_secretary_menu_offers_experts_and_scoring(rf, secretary):
    request = rf.get("/admin/")
    request.user = secretary
    group = next(item for item in admin_menu.menu_items_for_request(request) if item.name == "competitions")
    labels = [str(item.label) for item in group.menu.menu_items_for_request(request)]
    assert "Эксперты" in labels and "Экспертиза" in labels

    request.user = UserFactory(roles=["Методист"])
    group = next(item for item in admin_menu.menu_items_for_request(request) if item.name == "competitions")
    labels = [str(item.label) for item in group.menu.menu_items_for_request(request)]
    assert "Эксперты" not in labels and "Экспертиза" not in labels


# Adding and changing an expert -------------------------------------------------------------------------------------


def test_creating_an_expert_by_email_gives_the_user_the_expert_role(as_secretary, secretary, kaluga):
    user = UserFactory(email="olga@example.org")

    response = as_secretary.post(
        reverse("competition_experts:add"), expert_data(email="Olga@Example.org", municipality=kaluga.pk)
    )

    expert = Expert.objects.get(user=user)
    assert response.status_code == 302 and response["Location"] == inspect_url(expert)
    assert expert.full_name == "Смирнова Ольга Игоревна" and expert.municipality == kaluga and expert.is_active
    assert user.groups.filter(name="Эксперт").exists()
    assert expert.history.get().history_user == secretary


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("nobody@example.org", "не зарегистрирован на платформе"),
        ("", "Укажите электронную почту эксперта."),
        ("not-an-address", "Электронная почта записана неверно"),
    ],
)
def test_an_expert_needs_a_registered_user(as_secretary, email, message):
    response = as_secretary.post(reverse("competition_experts:add"), expert_data(email=email))

    assert response.status_code == 400
    assert message in text(response)
    assert not Expert.objects.exists()


def test_a_user_is_in_the_pool_once(as_secretary):
    expert = make_expert(full_name="Ковалёв Пётр")
    expert.user.groups.clear()

    response = as_secretary.post(reverse("competition_experts:add"), expert_data(email=expert.user.email))

    assert response.status_code == 400
    assert "уже в пуле экспертов («Ковалёв Пётр»)" in text(response)
    assert Expert.objects.count() == 1
    assert not expert.user.groups.exists()  # nothing saved, the role neither


def test_editing_keeps_the_user_and_records_the_change(as_secretary, secretary):
    expert = make_expert(full_name="Ковалёв Пётр")
    other = UserFactory(email="other@example.org")

    response = as_secretary.post(
        reverse("competition_experts:edit", args=[expert.pk]),
        expert_data(email=other.email, full_name="Ковалёв Пётр Сергеевич", is_active=""),
    )

    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.user != other and expert.full_name == "Ковалёв Пётр Сергеевич" and not expert.is_active
    page = text(as_secretary.get(inspect_url(expert)))
    assert "Ковалёв Пётр → Ковалёв Пётр Сергеевич" in page
    assert "secretary@example.org" in page


def test_experts_are_not_deleted_in_the_admin(as_secretary):
    expert = make_expert()

    assert denied(as_secretary.post(reverse("competition_experts:delete", args=[expert.pk])))
    assert Expert.objects.filter(pk=expert.pk).exists()


# Ties --------------------------------------------------------------------------------------------------------------


def test_a_tie_is_declared_from_the_expert_page(as_secretary, profile):
    expert = make_expert(full_name="Ковалёв Пётр")
    page = text(as_secretary.get(inspect_url(expert)))
    add_url = reverse("competition_expert_ties:add") + f"?expert={expert.pk}"
    assert add_url in page

    form = as_secretary.get(add_url)
    assert form.status_code == 200
    response = as_secretary.post(add_url, tie_data(expert, tos=profile.pk, description="Живу в этом ТОС"))

    assert response.status_code == 302 and response["Location"] == inspect_url(expert)
    tie = ExpertTie.objects.get(expert=expert)
    assert tie.tos_id == profile.pk
    page = text(as_secretary.get(inspect_url(expert)))
    assert "ТОС «Солнечный»" in page and "Живу в этом ТОС" in page


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("tos", "Выберите ТОС."),
        ("municipality", "Выберите муниципалитет."),
        ("organisation", "Напишите название организации."),
        ("other", "Опишите связь."),
    ],
)
def test_a_tie_without_its_target_is_refused(as_secretary, kind, message):
    expert = make_expert()

    response = as_secretary.post(reverse("competition_expert_ties:add"), tie_data(expert, kind=kind))

    assert response.status_code == 400
    assert message in text(response)
    assert not ExpertTie.objects.exists()


def test_ties_are_changed_and_deleted_and_stay_in_the_history(as_secretary, secretary, kaluga):
    expert = make_expert(full_name="Ковалёв Пётр", ties=[("organisation", {"organisation": "ООО «Двор»"})])
    tie = expert.ties.get()

    response = as_secretary.post(
        reverse("competition_expert_ties:edit", args=[tie.pk]),
        tie_data(expert, kind="organisation", organisation="ООО «Двор и сад»"),
    )
    assert response.status_code == 302 and response["Location"] == inspect_url(expert)
    tie.refresh_from_db()
    assert tie.organisation == "ООО «Двор и сад»"

    response = as_secretary.post(reverse("competition_expert_ties:delete", args=[tie.pk]))
    assert response.status_code == 302 and response["Location"] == inspect_url(expert)
    assert not ExpertTie.objects.exists()

    page = text(as_secretary.get(inspect_url(expert)))
    assert "ООО «Двор» → ООО «Двор и сад»" in page
    assert "удаление" in page
    assert "Связей не заявлено." in page


# The expert's page -------------------------------------------------------------------------------------------------


def test_the_expert_page_shows_declarations_and_their_history(as_secretary, competition):
    expert = make_expert(competition, full_name="Ковалёв Пётр")
    declaration = ConflictDeclaration.objects.get(expert=expert)

    page = text(as_secretary.get(inspect_url(expert)))

    assert competition.title in page
    assert declaration.signed_at.strftime("%Y") in page
    assert "Декларация по конкурсу" in page
    assert expert.user.email in page


# Permissions -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["methodologist", "expert", "tos_leader", "anonymous"])
def test_only_secretaries_keep_the_pool(client, who, profile):
    expert = make_expert(full_name="Ковалёв Пётр")
    tie = ExpertTie.objects.create(expert=expert, kind="tos", tos=profile)
    candidate = UserFactory(email="candidate@example.org")
    if who == "methodologist":
        client.force_login(UserFactory(roles=["Методист"]))
    elif who == "expert":
        client.force_login(expert.user)
    elif who == "tos_leader":
        client.force_login(leader_of(profile))

    assert denied(client.get(reverse("competition_experts:index")))
    assert denied(client.get(inspect_url(expert)))
    assert denied(client.get(reverse("competition_experts:add")))
    assert denied(client.post(reverse("competition_experts:add"), expert_data(email=candidate.email)))
    assert denied(client.post(reverse("competition_experts:edit", args=[expert.pk]), expert_data(full_name="Иной")))
    assert denied(client.post(reverse("competition_expert_ties:add"), tie_data(expert, tos=profile.pk)))
    assert denied(client.post(reverse("competition_expert_ties:delete", args=[tie.pk])))

    assert list(Expert.objects.values_list("full_name", flat=True)) == ["Ковалёв Пётр"]
    assert ExpertTie.objects.count() == 1
    assert not candidate.groups.filter(name="Эксперт").exists()
    assert Group.objects.get(name="Эксперт").user_set.count() == 1
