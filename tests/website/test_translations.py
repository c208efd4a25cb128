"""Interface catalogs: every string has its English translation, and Russian plurals have all three forms."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from wagtail.models import Locale

from tests.factories import UserFactory
from tests.forms.factories import block, publish_form, step

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")


def live_entries(language):
    return [entry for entry in polib.pofile(LOCALE_DIR / language / "LC_MESSAGES" / "django.po") if not entry.obsolete]


def test_every_interface_string_is_translated_into_english():
    missing = [entry.msgid for entry in live_entries("en") if not entry.translated() or "fuzzy" in entry.flags]
    assert missing == []


def test_translations_keep_their_placeholders():
    broken = []
    for entry in live_entries("en"):
        expected = set(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        broken += [entry.msgid for text in translations if set(PLACEHOLDER.findall(text)) - expected]
        if not entry.msgid_plural and set(PLACEHOLDER.findall(entry.msgstr)) != expected:
            broken.append(entry.msgid)
    assert broken == []


def test_russian_plurals_have_three_forms():
    incomplete = [
        entry.msgid
        for entry in live_entries("ru")
        if entry.msgid_plural and not all(entry.msgstr_plural.get(form) for form in range(3))
    ]
    assert incomplete == []


@pytest.mark.django_db
def test_a_form_speaks_english_under_en(site_tree, client):
    home_en = site_tree["home_en"]
    assert home_en.locale == Locale.objects.get(language_code="en")
    page = publish_form(
        home_en,
        [block("short_text", "Project name", id="name"), step("Budget"), block("money", "Amount", id="amount")],
        title="Application",
    )
    client.force_login(UserFactory())
    html = client.get(page.url).content.decode()
    assert "Step 1 of 2" in html and "Next" in html and "Save draft" in html
    response = client.post(page.url, {"step": "1", "action": "next", "name": ""})
    assert response.status_code == 400 and "Check your answers" in response.content.decode()
