import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision, Site

from website.models import ContentPage, HomePage, NavigationSettings, SiteSettings

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "pages": list(Page.objects.order_by("path").values_list("path", "title", "live")),
        "revisions": Revision.objects.count(),
        "menu": NavigationSettings.objects.get().main_menu.get_prep_value(),
        "settings": SiteSettings.objects.values().get(),
    }


def test_load_demo_builds_bilingual_site_and_second_run_changes_nothing(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == first

    home = HomePage.objects.get(locale__language_code="ru")
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert ContentPage.objects.filter(title="О платформе", live=True).exists()
    assert ContentPage.objects.filter(title="About the platform", live=True).exists()

    russian = client.get("/ru/").content.decode()
    assert "Методическая платформа благоустройства Калужской области" in russian
    assert "О платформе" in russian  # main menu
    english = client.get("/en/").content.decode()
    assert "Kaluga Oblast Landscaping Methodology Platform" in english
    assert "About the platform" in english  # menu follows the reader's language
    assert client.get("/en/about/").status_code == 200
