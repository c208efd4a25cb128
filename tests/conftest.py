import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation
from wagtail.models import Locale, Page, Site

from tests.factories import HomePageFactory


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    vendor = "PostgreSQL" if "postgresql" in engine else "SQLite" if "sqlite" in engine else engine
    return f"База данных тестов: {vendor} ({engine})"


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request under /en/ leaves English active in the test's thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def site_tree(db):
    """A Russian home page as the default site's root, with its English translation, as load_demo builds it."""
    russian = Locale.objects.get(language_code="ru")
    english = Locale.objects.get(language_code="en")
    Page.objects.filter(depth=2).delete()
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="home", locale=russian, title="Главная платформы")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    home_en = home.copy_for_translation(english)
    home_en.title = "Platform home"
    home_en.save_revision().publish()
    return {"home": home, "home_en": home_en.specific, "ru": russian, "en": english}


@pytest.fixture
def database_vendor():
    return connection.vendor
