"""load_demo: the TOS directory with the three fictional TOS of domain.md §8.4, a demo leader and a demo moderator."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Revision

from tos.demo import LEADER, MODERATOR_ACCOUNT, PROFILES, REQUEST
from tos.directory import coverage_by_municipality
from tos.forms import PHOTO_COLLECTION
from tos.models import (
    LegalForm,
    NewsKind,
    RegistrationRequest,
    TOSIndexPage,
    TOSMembership,
    TOSNewsItem,
    TOSProfilePage,
    TOSProject,
)
from tos.permissions import can_edit_profile, editable_profiles
from tos.validators import geometry_centre, validate_geojson, validate_inn, validate_ogrn
from website.models import Municipality, NavigationSettings

pytestmark = pytest.mark.django_db

SLUGS = [spec["page"]["slug"] for spec in PROFILES]


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


def counts():
    return {
        "profiles": TOSProfilePage.objects.count(),
        "projects": TOSProject.objects.count(),
        "news": TOSNewsItem.objects.count(),
        "memberships": TOSMembership.objects.count(),
        "membership history": TOSMembership.history.count(),
        "requests": RegistrationRequest.objects.count(),
        "users": get_user_model().objects.count(),
        "images": get_image_model().objects.count(),
        "revisions": Revision.objects.count(),
        "menu": len(NavigationSettings.objects.get().main_menu),
    }


@pytest.fixture
def demo():
    load_demo()
    return {page.slug: page for page in TOSProfilePage.objects.filter(slug__in=SLUGS)}


def test_a_second_load_creates_nothing(demo):
    before = counts()
    load_demo()
    assert counts() == before
    assert before["profiles"] == 3 and before["memberships"] == 1 and before["requests"] == 1

    # What an administrator changed on a demonstration server stays as they left it.
    leader = get_user_model().objects.get(email=LEADER["email"])
    leader.set_password("a-password-the-admin-chose")
    leader.save()
    TOSMembership.objects.filter(user=leader).update(ended_on=timezone.localdate())
    load_demo()
    leader.refresh_from_db()
    assert leader.check_password("a-password-the-admin-chose")
    assert not TOSMembership.objects.active().filter(user=leader).exists()


def test_the_three_demo_tos_are_published_marked_and_valid(demo):
    assert len(demo) == 3
    index = TOSIndexPage.objects.get(slug="tos")
    assert index.live and index.show_in_menus and "131-ФЗ" in index.intro and "33-ФЗ" in index.intro
    menu = [item.value["page"] for item in NavigationSettings.objects.get().main_menu]
    assert index.pk in [page.pk for page in menu if page is not None]
    for page in demo.values():
        assert page.live and page.get_parent().pk == index.pk
        assert page.title.endswith("(демо)")
        assert page.revisions.count() >= 1 and page.live_revision is not None
        validate_geojson(page.geometry)
        longitude, latitude = geometry_centre(page.geometry)
        assert 33.5 < longitude < 37.5 and 53.3 < latitude < 55.4  # in Kaluga oblast, so lon/lat are not swapped
        page.full_clean()
        assert page.projects.exists() and page.news_items.exists() and page.activity_areas.exists()

    nko = demo["okskaya-naberezhnaya-demo"]
    assert nko.legal_form == LegalForm.LEGAL_ENTITY
    validate_inn(nko.inn)
    validate_ogrn(nko.ogrn)
    assert "демонстрационные номера" in nko.about
    for slug in ("solnechnyj-kvartal-demo", "derevnya-lipki-demo"):
        assert demo[slug].legal_form == LegalForm.NO_LEGAL_ENTITY and not demo[slug].inn and not demo[slug].ogrn


def test_the_demo_leader_edits_only_solnechnyj_kvartal_and_demo_accounts_have_no_password(demo, client):
    leader = get_user_model().objects.get(email=LEADER["email"])
    assert leader.groups.filter(name="Лидер ТОС").exists()
    assert leader.emailaddress_set.filter(email=LEADER["email"], verified=True).exists()
    assert can_edit_profile(leader, demo["solnechnyj-kvartal-demo"])
    assert not can_edit_profile(leader, demo["derevnya-lipki-demo"])
    assert not can_edit_profile(leader, demo["okskaya-naberezhnaya-demo"])
    assert list(editable_profiles(leader)) == [demo["solnechnyj-kvartal-demo"]]
    membership = TOSMembership.objects.get(user=leader)
    assert membership.history.count() == 1 and membership.history.get().history_change_reason
    moderator = get_user_model().objects.get(email=MODERATOR_ACCOUNT["email"])
    assert moderator.has_perm("wagtailadmin.access_admin") and not moderator.is_staff
    for email in (LEADER["email"], MODERATOR_ACCOUNT["email"]):
        user = get_user_model().objects.get(email=email)
        assert not user.has_usable_password()
        assert not client.login(username=user.username, password="")
    request = RegistrationRequest.objects.get(name=REQUEST["name"])
    assert request.status == RegistrationRequest.Status.NEW and request.profile is None
    assert request.applicant.email == REQUEST["leader_email"]


def test_projects_news_and_people_are_filled_as_a_leader_would(demo):
    solnechnyj = demo["solnechnyj-kvartal-demo"]
    public = [member.name for member in solnechnyj.public_council_members]
    everyone = [member.name for member in solnechnyj.council_members.all()]
    assert len(everyone) == 3 and len(public) == 2  # one member has not agreed to publication (152-ФЗ)
    assert solnechnyj.documents.get().document.file.read().decode("utf-8").startswith("УСТАВ")

    photographed = TOSProject.objects.filter(page__slug__in=SLUGS).exclude(title__startswith="Освещение")
    for project in photographed:
        assert project.amount > 0 and project.funding_source
        assert len(project.photos) >= 1
        for block in project.photos:
            assert block.value.contextual_alt_text and block.value.collection.name == PHOTO_COLLECTION
    events = TOSNewsItem.objects.filter(page__slug__in=SLUGS, kind=NewsKind.EVENT)
    assert events.count() == 3
    assert all(event.event_starts_at > timezone.now() and event.place for event in events)


def test_coverage_has_shares_and_existing_populations_are_kept(db):
    Municipality.objects.filter(short_name="Обнинск").update(population=125_500, population_year=2025)
    load_demo()
    rows = {row.municipality.short_name: row for row in coverage_by_municipality()}
    assert all(row.population for row in rows.values())
    assert rows["Обнинск"].population == 125_500 and rows["Обнинск"].population_year == 2025
    assert rows["Калуга"].tos_count == 1 and rows["Калуга"].residents_covered == 2400
    assert rows["Калуга"].share is not None and rows["Тарусский"].share > 0
