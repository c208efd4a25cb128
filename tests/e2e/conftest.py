"""Harness for the browser journeys: the system Chromium driven by Playwright against pytest-django's live server.

Every test in this folder is a whole user journey. The journeys run on a transactional database (the live
server answers from another thread), and pytest-django empties the tables after each of them; the rows the
migrations create (locales, groups with their permissions, municipalities, the tree root) are brought back
before each journey by ``serialized_rollback``, so every journey module carries

    pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

Screenshots go to ``tests/e2e/screenshots/<test name>/`` (git-ignored); a failing journey leaves a last
screenshot there, ``99-failure.png``, to show where it stopped.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = "Chromium не найден (/usr/bin/chromium): браузерные сценарии пропущены"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
E2E_DIR = Path(__file__).resolve().parent
SCREENSHOTS_DIR = E2E_DIR / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000


def _in_this_folder(item):
    return E2E_DIR in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config, items):
    """Every journey here is an e2e test; without Chromium each is skipped with a reason, before any database work."""
    chromium_missing = not CHROMIUM.exists()
    for item in items:
        if not _in_this_folder(item):
            continue
        item.add_marker(pytest.mark.e2e)
        if chromium_missing:
            item.add_marker(pytest.mark.skip(reason=CHROMIUM_MISSING))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item so that the page fixture can tell whether the journey failed."""
    report = yield
    setattr(item, f"e2e_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright_driver(django_db_setup):
    """Playwright's sync API, started once the test databases exist.

    The sync API keeps an asyncio loop running in the test thread (in a greenlet). Two consequences for Django:

    * the ORM refuses to run in a thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set;
    * Django's per-thread connection store (asgiref's Local) switches to per-context storage while a loop runs,
      so the test thread would silently get *new* connection objects: without the test databases' serialized
      contents (``serialized_rollback`` would restore nothing after the first journey), and, on in-memory
      SQLite, a second connection beside the one the live server shares with the test thread. The connection
      objects set up with the databases are therefore handed on to the loop's context.
    """
    if not CHROMIUM.exists():
        pytest.skip(CHROMIUM_MISSING)
    from django.db import connections
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    wrappers = {alias: connections[alias] for alias in connections}
    async_unsafe_before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as driver:
            for alias, wrapper in wrappers.items():
                connections[alias] = wrapper
            yield driver
    finally:
        if async_unsafe_before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = async_unsafe_before


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """One headless system Chromium for the whole session (Playwright never downloads a browser here)."""
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def screenshot_dir(request):
    """This test's screenshot folder, emptied of an earlier run's pictures."""
    folder = SCREENSHOTS_DIR / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


@pytest.fixture
def new_page(browser, request, screenshot_dir):
    """A factory of pages, each in a fresh context (own cookies): a Russian-speaking person at a desktop screen.

    Call it again within a test for a second person, e.g. an anonymous visitor after an editor.
    """
    contexts = []

    def make_page():
        context = browser.new_context(viewport=VIEWPORT, locale="ru-RU", timezone_id="Europe/Moscow")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make_page

    report = getattr(request.node, "e2e_report_call", None)
    if report is not None and report.failed:
        for number, context in enumerate(contexts, start=1):
            for page in context.pages:
                suffix = "" if len(contexts) == 1 else f"-{number}"
                _save(page, screenshot_dir, f"99-failure{suffix}")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot(screenshot_dir):
    """``screenshot(page, "name")`` saves a full-page PNG as screenshots/<test>/<NN>-<name>.png, numbered in order."""
    counter = iter(range(1, 99))

    def take(page, name):
        return _save(page, screenshot_dir, f"{next(counter):02d}-{name}")

    return take


def _save(page, folder, name):
    path = folder / f"{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as error:  # a screenshot must never hide the journey's own failure
        print(f"Снимок экрана {path} не сохранён: {error}")
    return path
