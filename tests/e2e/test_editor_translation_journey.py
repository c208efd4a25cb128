"""Journey B: a methodologist (not a superuser) writes a page in the admin, publishes it, translates it into
English with wagtail-localize and publishes the translation; a visitor then reads both language versions.

The admin speaks Russian here (LANGUAGE_CODE is ru), so the journey uses the labels a Russian-speaking
methodologist sees on screen.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RU = {
    "title": "Ремонт дворового проезда",
    "summary": "Порядок работ по ремонту дворового проезда: от обследования до приёмки.",
    "text": "Сначала обследуйте покрытие и водоотвод, затем составьте дефектную ведомость.",
    "slug": "remont-dvorovogo-proezda",
}
EN = {
    "title": "Repairing a courtyard driveway",
    "summary": "How to repair a courtyard driveway, from the survey to acceptance.",
    "text": "First survey the surface and the drainage, then list the defects.",
    "slug": "courtyard-driveway-repair",
}


@pytest.fixture
def methodologist(site_tree):
    return UserFactory(username="metodist", first_name="Анна", last_name="Петрова", roles=["Методист"])


def log_in_to_admin(page, base_url, user):
    page.goto(f"{base_url}/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    page.get_by_label("Имя пользователя").fill(user.username)
    page.get_by_label("Пароль").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def open_page_in_explorer(page, title):
    """Pages menu of the sidebar, then the page by its title: its list of child pages."""
    sidebar = page.get_by_role("complementary", name="Боковая панель")
    sidebar.get_by_role("button", name="Страницы").click()
    sidebar.get_by_role("link", name=re.compile(rf"^{re.escape(title)}")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def translate_segment(page, field_label, translation):
    """In wagtail-localize's editor: the field's block, «Перевести», type the translation, «Сохранить»."""
    segment = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=field_label, exact=True))
    segment.get_by_role("button", name="Перевести").click()
    segment.get_by_role("textbox").fill(translation)
    segment.get_by_role("button", name="Сохранить").click()
    expect(segment.get_by_text(translation, exact=True)).to_be_visible()
    expect(segment.get_by_role("button", name="Редактировать")).to_be_visible()


def test_methodologist_publishes_a_page_and_its_english_translation(
    site_tree, methodologist, live_server, new_page, screenshot
):
    home_title = site_tree["home"].title
    assert not methodologist.is_superuser and not methodologist.is_staff

    # --- The methodologist, in the admin. ---
    page = new_page()
    log_in_to_admin(page, live_server.url, methodologist)
    screenshot(page, "admin-dashboard")

    open_page_in_explorer(page, home_title)
    page.get_by_role("link", name="Добавить дочернюю страницу", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/pages/(add/|\d+/add_subpage/)"))
    if "/add_subpage/" in page.url:  # more than one page type allowed here: choose the content page
        page.get_by_role("link", name=re.compile(r"^Страница с содержанием")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Страница с содержанием"))

    page.get_by_role("textbox", name=re.compile(r"^Заголовок")).fill(RU["title"])
    page.get_by_role("textbox", name="Краткое описание").fill(RU["summary"])
    body = page.get_by_role("region", name="Содержание")
    body.get_by_role("button", name="Вставить блок").first.click()
    page.get_by_role("option", name="Текст", exact=True).click()
    rich_text = body.get_by_role("region", name=re.compile(r"^Текст")).get_by_role("textbox")
    rich_text.click()
    page.keyboard.type(RU["text"])
    expect(rich_text).to_have_text(RU["text"])
    # Draftail copies what was typed into its form field a moment later (a person is never that fast).
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile(re.escape(RU["text"])))
    screenshot(page, "new-page-filled")

    page.get_by_role("button", name="Больше действий").click()
    page.get_by_role("button", name="Опубликовать", exact=True).click()
    messages = page.get_by_role("main").get_by_role("status")
    expect(messages).to_contain_text(f"Страница '{RU['title']}' создана и опубликована")
    screenshot(page, "page-published")

    # «Перевести эту страницу» from the page's row in the list.
    page.get_by_role("button", name=f"Дополнительные опции для '{RU['title']}'").click()
    page.get_by_role("link", name="Перевести эту страницу").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(RU["title"])
    page.get_by_role("checkbox", name="English").check()
    screenshot(page, "translate-choose-language")
    page.get_by_role("button", name="Отправить").click()

    # wagtail-localize's translation editor for the English copy.
    publish_english = page.get_by_role("button", name=re.compile(r"^Опубликовать\s*в\s*English"))
    expect(publish_english).to_be_visible()
    # Until it is translated and published, the English copy is a draft: no Russian text under /en/.
    early_visitor = new_page()
    assert early_visitor.goto(f"{live_server.url}/en/{RU['slug']}/").status == 404
    translate_segment(page, "Заголовок", EN["title"])
    translate_segment(page, "Краткое описание", EN["summary"])
    translate_segment(page, "Текст", EN["text"])
    screenshot(page, "translation-content")
    page.get_by_role("tab", name="Продвижение").click()
    translate_segment(page, "Слаг", EN["slug"])
    screenshot(page, "translation-promote")

    publish_english.click()
    expect(messages).to_contain_text(re.compile(rf"Опубликован.*'{re.escape(EN['title'])}'.*English"))
    expect(messages).not_to_contain_text("пропущенн")  # no "published with missing translations" warning
    screenshot(page, "translation-published")

    # --- An anonymous visitor, in another browser context. ---
    visitor = new_page()
    html = visitor.locator("html")
    visitor.goto(f"{live_server.url}/ru/{RU['slug']}/")
    expect(html).to_have_attribute("lang", "ru")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(RU["title"])
    article = visitor.get_by_role("article")
    expect(article).to_contain_text(RU["summary"])
    expect(article).to_contain_text(RU["text"])
    screenshot(visitor, "visitor-russian")

    # The header's language switch leads to the English version of this very page.
    visitor.get_by_role("navigation", name="Язык").get_by_role("link", name="English").click()
    expect(visitor).to_have_url(f"{live_server.url}/en/{EN['slug']}/")
    expect(html).to_have_attribute("lang", "en")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(EN["title"])
    expect(article).to_contain_text(EN["summary"])
    expect(article).to_contain_text(EN["text"])
    expect(article).not_to_contain_text(RU["text"])
    screenshot(visitor, "visitor-english")

    # And the English address opened directly.
    visitor.goto(f"{live_server.url}/en/{EN['slug']}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(EN["title"])
