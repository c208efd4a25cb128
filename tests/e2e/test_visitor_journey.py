"""Journey A: a visitor reads the Russian site, uses the skip link, turns on the version for the visually
impaired, keeps it while moving around, and searches from the header."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from website.demo import ABOUT_RU
from website.site_setup import HOME_RU

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HOME_TITLE = HOME_RU["title"]
ABOUT_TITLE = ABOUT_RU["title"]  # «О платформе»
# A word of the «О платформе» page exactly as written there: found with and without word-form search.
QUERY = "платформе"


@pytest.fixture
def demo_site(transactional_db):
    """The demo content a newcomer sees after `make run`: the home page, «О платформе», their English versions."""
    call_command("load_demo", stdout=io.StringIO())


def test_visitor_reads_in_accessible_mode_and_searches(demo_site, live_server, page, screenshot):
    html = page.locator("html")

    # The Russian home page.
    page.goto(f"{live_server.url}/ru/")
    expect(html).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_TITLE)
    screenshot(page, "home")

    # The first Tab reaches the skip link; Enter moves the focus to the main content.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Перейти к содержанию")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    screenshot(page, "skip-link-focused")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    # The version for the visually impaired, switched on by the header button.
    header = page.get_by_role("banner")
    header.get_by_role("button", name="Версия для слабовидящих").click()
    expect(html).to_have_class(re.compile(r"\baccessible-mode\b"))
    switch_back = header.get_by_role("button", name="Обычная версия")
    expect(switch_back).to_be_visible()
    expect(switch_back).to_have_attribute("aria-pressed", "true")
    expect(page).to_have_url(re.compile(r"/ru/$"))
    screenshot(page, "accessible-mode-on")

    # It stays on after a reload and on the next page.
    page.reload()
    expect(html).to_have_class(re.compile(r"\baccessible-mode\b"))
    page.get_by_role("navigation", name="Главное меню").get_by_role("link", name=ABOUT_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ABOUT_TITLE)
    expect(html).to_have_class(re.compile(r"\baccessible-mode\b"))
    expect(header.get_by_role("button", name="Обычная версия")).to_be_visible()
    screenshot(page, "about-page-accessible")

    # A search from the header box.
    search_box = header.get_by_label("Поиск по сайту")
    search_box.fill(QUERY)
    search_box.press("Enter")
    expect(page).to_have_url(re.compile(r"/ru/search/\?q="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Поиск по платформе")
    count = page.get_by_role("status").filter(has_text=f"«{QUERY}»")
    expect(count).to_have_text(re.compile(rf"Найден.*\d+.*«{QUERY}»|«{QUERY}».*\d+"))
    expect(page.get_by_role("main").get_by_role("link", name=ABOUT_TITLE)).to_be_visible()
    expect(search_box).to_have_value(QUERY)
    expect(html).to_have_class(re.compile(r"\baccessible-mode\b"))
    screenshot(page, "search-results")

    # And back to the usual version.
    header.get_by_role("button", name="Обычная версия").click()
    expect(html).not_to_have_class(re.compile(r"\baccessible-mode\b"))
    expect(header.get_by_role("button", name="Версия для слабовидящих")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/ru/search/\?q="))
    screenshot(page, "accessible-mode-off")
