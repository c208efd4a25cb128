from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from website.models import HomePage

pytestmark = pytest.mark.django_db


def test_setup_site_replaces_wagtail_welcome_page_and_sets_the_address(client):
    assert Page.objects.filter(depth=2, title__startswith="Welcome").exists()
    call_command("setup_site", "--hostname", "blago.example.ru", stdout=StringIO())

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("blago.example.ru", 443)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title__startswith="Welcome").exists()
    assert HomePage.objects.filter(locale__language_code="en", live=True).count() == 1
    assert "https://blago.example.ru/ru/" in client.get("/sitemap.xml").content.decode()

    pages_before = Page.objects.count()
    call_command("setup_site", "--hostname", "blago.example.ru", stdout=StringIO())
    assert Page.objects.count() == pages_before
