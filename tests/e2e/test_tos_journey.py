"""Journey T: a TOS leader signs in, edits the profile and adds a project with a photo, sends the changes to
moderation; the public still sees the old profile; a moderator approves in the admin; the public profile and the
directory show the change. Another TOS's leader is refused the first TOS's cabinet pages.
"""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.test_editor_translation_journey import log_in_to_admin
from tests.e2e.test_form_builder_journey import log_in_on_site
from tests.factories import UserFactory
from tests.tos.factories import TOSIndexPageFactory, leader_of, publish_profile

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PROJECT = "Дворик детства"


@pytest.fixture(autouse=True)
def no_admin_autosave(settings):
    """See test_form_builder_journey: no background draft saves racing the moderator's action on in-memory SQLite."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


@pytest.fixture
def directory(site_tree):
    index = TOSIndexPageFactory(parent=site_tree["home"], title="ТОС Калужской области", slug="tos")
    index.save_revision().publish()
    return index


@pytest.fixture
def photo(tmp_path):
    picture = Image.new("RGB", (640, 420), "#6aa84f")
    path = tmp_path / "dvorik.jpg"
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_leader_edits_moderator_approves_public_sees(directory, photo, live_server, new_page, screenshot):
    profile = publish_profile(
        directory, title="ТОС «Солнечный квартал»", slug="solnechnyj-kvartal", residents_count=2400
    )
    neighbour = publish_profile(directory, title="ТОС «Окская набережная»", slug="okskaya-naberezhnaya")
    leader = leader_of(profile, first_name="Анна", last_name="Иванова", email="ivanova@example.org")
    other_leader = leader_of(neighbour, first_name="Елена", last_name="Сидорова", email="sidorova@example.org")
    moderator = UserFactory(username="moderator", first_name="Олег", last_name="Модестов", roles=["Модератор"])
    base = live_server.url

    # --- The leader, in the personal cabinet. ---
    page = new_page()
    log_in_on_site(page, base, leader)
    my_tos = page.get_by_role("region", name="Мой ТОС")
    expect(my_tos).to_contain_text("ТОС «Солнечный квартал»")
    screenshot(page, "cabinet")
    my_tos.get_by_role("link", name="Править профиль").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Солнечный квартал")

    page.get_by_role("spinbutton", name="Жителей на территории").fill("2450")
    about = "Объединяем жителей шести домов на улице Примерной. Благоустраиваем двор вместе."
    page.get_by_role("textbox", name="О ТОС").fill(about)
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.get_by_text("Изменения сохранены как черновик")).to_be_visible()
    screenshot(page, "profile-draft-saved")

    page.get_by_role("link", name="Добавить проект").click()
    page.get_by_label("Название проекта").fill(PROJECT)
    page.get_by_label("Год").fill("2024")
    page.get_by_label("Источник финансирования").select_option(label="инициативное бюджетирование")
    page.get_by_label("Статус").select_option(label="реализован")
    page.get_by_label("Стоимость, ₽").fill("1200000")
    page.get_by_label("Описание").fill("Игровая площадка для детей 3–7 лет с мягким покрытием.")
    page.get_by_label("Добавить фотографии").set_input_files(str(photo))
    page.get_by_label("Что на фотографиях").fill("Новая детская площадка во дворе")
    screenshot(page, "project-form")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Изменения сохранены как черновик")).to_be_visible()
    expect(page.get_by_role("region", name="Проекты")).to_contain_text(PROJECT)

    page.get_by_role("button", name="Отправить на модерацию").click()
    expect(page.get_by_role("heading", name=re.compile("Статус изменений"))).to_contain_text("на модерации")
    screenshot(page, "sent-to-moderation")

    # --- The public still sees the published profile. ---
    visitor = new_page()
    visitor.goto(f"{base}/ru/tos/solnechnyj-kvartal/")
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Солнечный квартал")
    expect(visitor.get_by_text(PROJECT)).to_have_count(0)

    # --- Another TOS's leader cannot open this profile's cabinet pages. ---
    stranger = new_page()
    log_in_on_site(stranger, base, other_leader)
    response = stranger.goto(f"{base}/ru/cabinet/tos/{profile.pk}/")
    assert response.status == 403
    expect(stranger.get_by_role("heading", level=1)).to_contain_text("Доступ")
    screenshot(stranger, "other-leader-refused")

    # --- The moderator approves in the admin. ---
    admin = new_page()
    log_in_to_admin(admin, base, moderator)
    expect(admin.get_by_text("ТОС «Солнечный квартал»").first).to_be_visible()
    screenshot(admin, "moderator-dashboard")
    admin.goto(f"{base}/admin/pages/{profile.pk}/edit/")
    admin.get_by_role("button", name="Больше действий").click()
    admin.get_by_role("button", name="Одобрить и Опубликовать", exact=True).click()
    expect(admin.get_by_text(re.compile("одобрен|опубликован", re.IGNORECASE)).first).to_be_visible()
    screenshot(admin, "approved")

    # --- The public profile and the directory show the change. ---
    visitor.goto(f"{base}/ru/tos/solnechnyj-kvartal/")
    projects = visitor.get_by_role("region", name="Проекты")
    expect(projects).to_contain_text(PROJECT)
    expect(projects.get_by_role("img", name="Новая детская площадка во дворе")).to_be_visible()
    expect(visitor.get_by_text("Объединяем жителей шести домов")).to_be_visible()
    screenshot(visitor, "public-profile")
    visitor.goto(f"{base}/ru/tos/?has_projects=1")
    cards = visitor.get_by_role("list", name=re.compile("ТОС"))
    expect(cards).to_contain_text("Солнечный квартал")
    expect(cards).not_to_contain_text("Окская набережная")
    expect(visitor.get_by_text("2\u00a0450").first).to_be_visible()
    screenshot(visitor, "directory")

    # --- The leader sees the result in the cabinet. ---
    page.goto(f"{base}/ru/cabinet/")
    expect(page.get_by_role("region", name="Мой ТОС")).to_contain_text("опубликовано")
