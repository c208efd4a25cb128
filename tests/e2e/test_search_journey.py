"""Journey C: a municipality specialist searches in their own words, narrows by type, sees suggestions as they
type and a helpful answer when nothing is found."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from website.demo import ABOUT_RU
from website.site_setup import HOME_RU

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_site(transactional_db):
    call_command("load_demo", stdout=io.StringIO())
    call_command("search_reindex", stdout=io.StringIO())


def test_specialist_finds_word_forms_filters_and_gets_suggestions(demo_site, live_server, page, screenshot):
    page.goto(f"{live_server.url}/ru/")
    header = page.get_by_role("banner")
    # The home page says «дворовых и общественных территорий»; the specialist types the dictionary form.
    header.get_by_label("Поиск по сайту").fill("дворовая территория")
    header.get_by_role("button", name="Найти").click()

    expect(page).to_have_url(re.compile(r"/ru/search/\?q="))
    results = page.locator("ol.search-results")
    expect(page.get_by_role("status")).to_contain_text("по запросу «дворовая территория»")
    expect(results.get_by_role("link", name=HOME_RU["title"])).to_be_visible()
    expect(results.locator("mark").first).to_have_text(re.compile("дворов", re.IGNORECASE))
    screenshot(page, "word-forms-found")

    # A broader query, then narrowing by the type of material (the checkbox applies at once).
    search_box = page.get_by_role("combobox", name="Запрос")
    search_box.fill("платформа")
    page.locator("form.search-page").get_by_role("button", name="Найти").click()
    expect(results.get_by_role("listitem")).to_have_count(2)
    facets = page.get_by_role("complementary", name="Уточнить")
    facets.get_by_role("checkbox", name=re.compile(r"^Страница")).check()
    expect(page).to_have_url(re.compile(r"type=website\.contentpage"))
    expect(results.get_by_role("listitem")).to_have_count(1)
    expect(results.get_by_role("link", name=ABOUT_RU["title"])).to_be_visible()
    screenshot(page, "filtered-by-type")

    # Suggestions as you type come from the titles.
    search_box = page.get_by_role("combobox", name="Запрос")
    search_box.fill("")
    search_box.press_sequentially("плат", delay=50)
    expect(page.locator("#search-suggestions option")).not_to_have_count(0)

    # Nothing found: a plain explanation and titles that match some of the words.
    search_box.fill("платформа фонтан")
    page.locator("form.search-page").get_by_role("button", name="Найти").click()
    expect(page.get_by_text("Ничего не найдено")).to_be_visible()
    expect(page.get_by_text("Возможно, вы искали:")).to_be_visible()
    screenshot(page, "nothing-found")
