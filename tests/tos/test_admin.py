"""The moderators' TOS admin: deciding registration requests, memberships with history, invitations, activity areas."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from tests.factories import UserFactory
from tests.tos.factories import publish_profile
from tos.models import (
    ActivityArea,
    MembershipRole,
    RegistrationRequest,
    TOSIndexPage,
    TOSInvitation,
    TOSMembership,
    TOSProfilePage,
)
from website.models import Municipality

LEADER_EMAIL = "leader@example.org"


def denied(response):
    """Wagtail answers a refused admin view with 403, or a redirect to its login page or dashboard."""
    return response.status_code in (302, 403)


@pytest.fixture
def kaluga(db):
    return Municipality.objects.get(short_name="Калуга")


@pytest.fixture
def moderator(db):
    return UserFactory(roles=["Модератор"], email="moderator@example.org", first_name="Олег", last_name="Модестов")


@pytest.fixture
def as_moderator(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def applicant(db):
    return UserFactory(email="applicant@example.org")


@pytest.fixture
def registration_request(applicant, kaluga):
    return RegistrationRequest.objects.create(
        applicant=applicant,
        name="ТОС «Солнечный квартал»",
        municipality=kaluga,
        settlement="мкр. Правгород",
        boundaries_text="ул. Солнечная, д. 1–9",
        founded_at=datetime.date(2024, 3, 1),
        charter_registered_at=datetime.date(2024, 4, 15),
        residents_count=850,
        leader_name="Сидорова Мария Ивановна",
        leader_email=LEADER_EMAIL,
    )


@pytest.fixture
def profile(tos_index):
    return publish_profile(tos_index, title="ТОС «Липки»")


def accept(client, registration_request, comment=""):
    return client.post(reverse("tos_requests:accept", args=[registration_request.pk]), {"comment": comment})


def reject(client, registration_request, comment):
    return client.post(reverse("tos_requests:reject", args=[registration_request.pk]), {"comment": comment})


# Registration requests ---------------------------------------------------------------------------------------------


def test_moderator_lists_requests_by_status_and_opens_one(as_moderator, registration_request, applicant, kaluga):
    RegistrationRequest.objects.create(
        applicant=applicant,
        name="ТОС «Старый»",
        municipality=kaluga,
        boundaries_text="ул. Старая",
        leader_name="Петров",
        leader_email="old@example.org",
        status=RegistrationRequest.Status.REJECTED,
    )

    listing = as_moderator.get(reverse("tos_requests:index"), {"status": "new"})
    assert listing.status_code == 200
    assert "ТОС «Солнечный квартал»" in listing.content.decode()
    assert "ТОС «Старый»" not in listing.content.decode()

    inspect = as_moderator.get(reverse("tos_requests:inspect", args=[registration_request.pk]))
    page = inspect.content.decode()
    assert inspect.status_code == 200
    assert "ул. Солнечная, д. 1–9" in page
    assert reverse("tos_requests:accept", args=[registration_request.pk]) in page
    assert reverse("tos_requests:reject", args=[registration_request.pk]) in page


def test_accept_creates_a_draft_profile_and_invites(as_moderator, moderator, registration_request, tos_index):
    confirm = as_moderator.get(reverse("tos_requests:accept", args=[registration_request.pk]))
    assert confirm.status_code == 200
    assert "уйдёт приглашение" in confirm.content.decode()

    response = accept(as_moderator, registration_request, "Проверьте границы по решению Думы.")

    profile = TOSProfilePage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[profile.pk])
    assert not profile.live
    assert profile.get_parent().specific == tos_index
    assert profile.title == "ТОС «Солнечный квартал»"
    assert profile.slug == "tos-solnechnyy-kvartal"
    assert profile.municipality.short_name == "Калуга"
    assert profile.settlement == "мкр. Правгород"
    assert profile.boundaries_text == "ул. Солнечная, д. 1–9"
    assert profile.founded_at == datetime.date(2024, 3, 1)
    assert profile.charter_registered_at == datetime.date(2024, 4, 15)
    assert profile.residents_count == 850
    assert profile.chair_name == "Сидорова Мария Ивановна"
    assert profile.latest_revision.user == moderator

    registration_request.refresh_from_db()
    assert registration_request.status == RegistrationRequest.Status.ACCEPTED
    assert registration_request.decided_by == moderator
    assert registration_request.decided_at is not None
    assert registration_request.profile_id == profile.pk
    assert registration_request.history.first().history_user == moderator

    invitation = TOSInvitation.objects.get()
    assert (invitation.tos_id, invitation.email, invitation.role) == (profile.pk, LEADER_EMAIL, MembershipRole.CHAIR)
    assert invitation.accepted_at is None and invitation.invited_by == moderator
    assert not TOSMembership.objects.exists()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["applicant@example.org", LEADER_EMAIL]
    to_applicant = next(message for message in mail.outbox if message.to == ["applicant@example.org"])
    assert "принята" in to_applicant.subject
    assert "Проверьте границы по решению Думы." in to_applicant.body

    # The leader signs up with the invited address and confirms it: they chair the TOS from then on.
    leader = UserFactory(email=LEADER_EMAIL)
    address = EmailAddress.objects.get(user=leader, email=LEADER_EMAIL)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)

    membership = TOSMembership.objects.get(tos=profile, user=leader)
    assert membership.role == MembershipRole.CHAIR
    assert leader.groups.filter(name="Лидер ТОС").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_accept_makes_a_registered_leader_chair_at_once(as_moderator, moderator, registration_request, tos_index):
    leader = UserFactory(email=LEADER_EMAIL)

    confirm = as_moderator.get(reverse("tos_requests:accept", args=[registration_request.pk]))
    assert "сразу станет председателем" in confirm.content.decode()
    response = accept(as_moderator, registration_request)

    assert response.status_code == 302
    membership = TOSMembership.objects.get(user=leader)
    assert membership.role == MembershipRole.CHAIR
    assert membership.tos.specific == TOSProfilePage.objects.get()
    assert leader.groups.filter(name="Лидер ТОС").exists()
    record = membership.history.get()
    assert record.history_user == moderator
    assert record.history_date is not None
    assert TOSInvitation.objects.get().accepted_at is not None


def test_accept_without_a_directory_page_changes_nothing(as_moderator, registration_request, site_tree):
    assert not TOSIndexPage.objects.exists()

    response = accept(as_moderator, registration_request)

    assert response.status_code == 409
    assert "нет страницы «Реестр ТОС»" in response.content.decode()
    registration_request.refresh_from_db()
    assert registration_request.status == RegistrationRequest.Status.NEW
    assert not TOSProfilePage.objects.exists()
    assert not TOSInvitation.objects.exists()
    assert not mail.outbox


def test_accept_refuses_data_the_profile_would_not_take(as_moderator, registration_request, tos_index):
    RegistrationRequest.objects.filter(pk=registration_request.pk).update(
        charter_registered_at=datetime.date(2020, 1, 1)
    )

    response = accept(as_moderator, registration_request)

    assert response.status_code == 400
    assert "«Дата регистрации устава»: Устав регистрируют после учредительного собрания" in response.content.decode()
    registration_request.refresh_from_db()
    assert registration_request.status == RegistrationRequest.Status.NEW
    assert not TOSProfilePage.objects.exists()
    assert not TOSInvitation.objects.exists()
    assert not mail.outbox


def test_a_request_is_decided_only_once(as_moderator, registration_request, tos_index):
    assert accept(as_moderator, registration_request).status_code == 302
    mail.outbox.clear()

    again = accept(as_moderator, registration_request)
    refused = reject(as_moderator, registration_request, "Передумали")

    assert again.status_code == 409 and refused.status_code == 409
    assert "уже рассмотрена" in again.content.decode()
    assert TOSProfilePage.objects.count() == 1
    assert TOSInvitation.objects.count() == 1
    registration_request.refresh_from_db()
    assert registration_request.status == RegistrationRequest.Status.ACCEPTED
    assert not mail.outbox


def test_reject_needs_a_comment_and_tells_applicant(client, as_moderator, moderator, registration_request, applicant):
    empty = reject(as_moderator, registration_request, "   ")

    assert empty.status_code == 400
    assert "Напишите причину отказа" in empty.content.decode()
    registration_request.refresh_from_db()
    assert registration_request.status == RegistrationRequest.Status.NEW
    assert not mail.outbox

    response = reject(as_moderator, registration_request, "Такой ТОС уже есть в реестре.")

    assert response.status_code == 302
    registration_request.refresh_from_db()
    assert registration_request.status == RegistrationRequest.Status.REJECTED
    assert registration_request.decision_comment == "Такой ТОС уже есть в реестре."
    assert registration_request.decided_by == moderator
    assert not TOSProfilePage.objects.exists()
    assert [message.to for message in mail.outbox] == [["applicant@example.org"]]
    assert "Такой ТОС уже есть в реестре." in mail.outbox[0].body

    client.force_login(applicant)
    page = client.get(reverse("tos_registration:detail", args=[registration_request.pk])).content.decode()
    assert "отклонена" in page and "Такой ТОС уже есть в реестре." in page


@pytest.mark.parametrize("role", ["Лидер ТОС", "Эксперт", "Методист", "Специалист МО"])
def test_other_roles_cannot_see_or_decide_requests(client, registration_request, tos_index, role):
    client.force_login(UserFactory(roles=[role]))

    for url in (
        reverse("tos_requests:index"),
        reverse("tos_requests:inspect", args=[registration_request.pk]),
        reverse("tos_requests:accept", args=[registration_request.pk]),
    ):
        assert denied(client.get(url)), url
    assert denied(accept(client, registration_request))
    assert denied(reject(client, registration_request, "Нет"))

    registration_request.refresh_from_db()
    assert registration_request.status == RegistrationRequest.Status.NEW
    assert not TOSProfilePage.objects.exists()


# Memberships -------------------------------------------------------------------------------------------------------


def membership_data(tos, user, **changes):
    data = {
        "tos": tos.pk,
        "user": user.pk,
        "role": MembershipRole.CHAIR,
        "started_on": "2025-01-10",
        "ended_on": "",
        "note": "",
        "change_reason": "",
    }
    data.update(changes)
    return data


def test_membership_is_created_edited_and_ended_with_its_history(as_moderator, moderator, profile):
    person = UserFactory(email="chair@example.org", first_name="Мария", last_name="Сидорова")

    created = as_moderator.post(
        reverse("tos_memberships:add"),
        membership_data(profile, person, change_reason="Протокол собрания № 1"),
    )

    assert created.status_code == 302
    membership = TOSMembership.objects.get()
    assert (membership.tos_id, membership.user, membership.role) == (profile.pk, person, MembershipRole.CHAIR)
    assert person.groups.filter(name="Лидер ТОС").exists()
    assert membership.history.get().history_user == moderator

    edited = as_moderator.post(
        reverse("tos_memberships:edit", args=[membership.pk]),
        membership_data(profile, person, role=MembershipRole.COUNCIL, change_reason="Переизбрание"),
    )
    assert edited.status_code == 302
    ended = as_moderator.post(
        reverse("tos_memberships:edit", args=[membership.pk]),
        membership_data(profile, person, role=MembershipRole.COUNCIL, ended_on="2025-12-31"),
    )
    assert ended.status_code == 302

    membership.refresh_from_db()
    assert membership.role == MembershipRole.COUNCIL
    assert membership.ended_on == datetime.date(2025, 12, 31)
    records = list(membership.history.order_by("history_date"))
    assert len(records) == 3
    assert all(record.history_user == moderator and record.history_date for record in records)

    history = as_moderator.get(reverse("tos_memberships:history", args=[membership.pk]))
    page = history.content.decode()
    assert history.status_code == 200
    assert "председатель → член совета" in page
    assert "— → 31.12.2025" in page
    assert "Переизбрание" in page and "Протокол собрания № 1" in page
    assert "moderator@example.org" in page
    assert timezone.localtime(records[-1].history_date).strftime("%d.%m.%Y %H:%M") in page


def test_membership_errors_are_shown_by_their_fields(as_moderator, profile):
    person = UserFactory()

    backwards = as_moderator.post(
        reverse("tos_memberships:add"), membership_data(profile, person, ended_on="2024-01-01")
    )
    assert backwards.status_code == 400
    assert "раньше, чем началось" in " ".join(backwards.context["form"].errors["ended_on"])
    assert not TOSMembership.objects.exists()

    TOSMembership.objects.create(tos=profile, user=person, role=MembershipRole.MEMBER)
    twice = as_moderator.post(reverse("tos_memberships:add"), membership_data(profile, person))
    assert twice.status_code == 400
    assert "уже состоит в ТОС" in " ".join(twice.context["form"].errors["user"])
    assert TOSMembership.objects.count() == 1


def test_memberships_are_ended_not_deleted(client, as_moderator, profile):
    membership = TOSMembership.objects.create(tos=profile, user=UserFactory(), role=MembershipRole.MEMBER)
    delete_url = reverse("tos_memberships:delete", args=[membership.pk])

    assert denied(as_moderator.get(delete_url))
    assert denied(as_moderator.post(delete_url))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert denied(client.post(delete_url))
    assert TOSMembership.objects.filter(pk=membership.pk).exists()


def test_membership_list_filters_by_tos_role_and_state(as_moderator, tos_index, profile):
    other = publish_profile(tos_index, title="ТОС «Ромашка»")
    TOSMembership.objects.create(tos=profile, user=UserFactory(email="chair@example.org"), role=MembershipRole.CHAIR)
    TOSMembership.objects.create(
        tos=other,
        user=UserFactory(email="former@example.org"),
        role=MembershipRole.MEMBER,
        ended_on=datetime.date(2020, 1, 1),
        started_on=datetime.date(2019, 1, 1),
    )

    def shown(**params):
        page = as_moderator.get(reverse("tos_memberships:index"), params).content.decode()
        return {email for email in ("chair@example.org", "former@example.org") if email in page}

    assert shown() == {"chair@example.org", "former@example.org"}
    assert shown(tos=profile.pk) == {"chair@example.org"}
    assert shown(role=MembershipRole.MEMBER) == {"former@example.org"}
    assert shown(state="active") == {"chair@example.org"}
    assert shown(state="ended") == {"former@example.org"}
    assert shown(q="former") == {"former@example.org"}


def test_methodologist_reads_memberships_but_does_not_change_them(client, profile):
    membership = TOSMembership.objects.create(tos=profile, user=UserFactory(), role=MembershipRole.MEMBER)
    client.force_login(UserFactory(roles=["Методист"]))

    assert client.get(reverse("tos_memberships:index")).status_code == 200
    assert client.get(reverse("tos_memberships:inspect", args=[membership.pk])).status_code == 200
    assert client.get(reverse("tos_memberships:history", args=[membership.pk])).status_code == 200
    assert denied(client.post(reverse("tos_memberships:add"), membership_data(profile, UserFactory())))
    assert denied(
        client.post(
            reverse("tos_memberships:edit", args=[membership.pk]),
            membership_data(profile, membership.user, role=MembershipRole.CHAIR),
        )
    )
    membership.refresh_from_db()
    assert membership.role == MembershipRole.MEMBER
    assert TOSMembership.objects.count() == 1


@pytest.mark.parametrize("role", ["Лидер ТОС", "Эксперт"])
def test_leaders_and_experts_have_no_membership_or_invitation_admin(client, profile, role):
    membership = TOSMembership.objects.create(tos=profile, user=UserFactory(), role=MembershipRole.MEMBER)
    client.force_login(UserFactory(roles=[role]))

    for url in (
        reverse("tos_memberships:index"),
        reverse("tos_memberships:edit", args=[membership.pk]),
        reverse("tos_memberships:history", args=[membership.pk]),
        reverse("tos_invitations:index"),
        reverse("wagtailsnippets_tos_activityarea:list"),
    ):
        assert denied(client.get(url)), url
    assert denied(client.post(reverse("tos_memberships:add"), membership_data(profile, UserFactory())))
    assert denied(
        client.post(reverse("tos_invitations:add"), {"tos": profile.pk, "email": "x@example.org", "role": "member"})
    )
    assert TOSMembership.objects.count() == 1
    assert not TOSInvitation.objects.exists()


# Invitations -------------------------------------------------------------------------------------------------------


def test_invitation_to_a_newcomer_waits_for_the_confirmed_address(as_moderator, moderator, profile):
    response = as_moderator.post(
        reverse("tos_invitations:add"), {"tos": profile.pk, "email": "New.Person@Example.org", "role": "council"}
    )

    assert response.status_code == 302
    invitation = TOSInvitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "new.person@example.org",
        "council",
        moderator,
    )
    assert invitation.accepted_at is None
    assert [message.to for message in mail.outbox] == [["new.person@example.org"]]
    listing = as_moderator.get(reverse("tos_invitations:index")).content.decode()
    assert "new.person@example.org" in listing and "ждёт подтверждения адреса" in listing

    again = as_moderator.post(
        reverse("tos_invitations:add"), {"tos": profile.pk, "email": "new.person@example.org", "role": "member"}
    )
    assert again.status_code == 400
    assert "уже отправлено приглашение" in " ".join(again.context["form"].errors["email"])
    assert TOSInvitation.objects.count() == 1


def test_invitation_of_a_registered_person_makes_them_a_member_at_once(as_moderator, moderator, profile):
    person = UserFactory(email="member@example.org")

    response = as_moderator.post(
        reverse("tos_invitations:add"), {"tos": profile.pk, "email": "member@example.org", "role": "member"}
    )

    assert response.status_code == 302
    membership = TOSMembership.objects.get(user=person)
    assert membership.role == MembershipRole.MEMBER
    assert membership.history.get().history_user == moderator
    assert "принято" in as_moderator.get(reverse("tos_invitations:index")).content.decode()
    assert denied(as_moderator.get(reverse("tos_invitations:edit", args=[TOSInvitation.objects.get().pk])))


# Activity areas ----------------------------------------------------------------------------------------------------


def test_methodologist_edits_activity_areas_with_revisions(client, db):
    client.force_login(UserFactory(roles=["Методист"]))

    response = client.post(
        reverse("wagtailsnippets_tos_activityarea:add"),
        {"name": "Краеведение", "description": "Музеи двора, история улиц.", "sort_order": "5"},
    )

    assert response.status_code == 302
    area = ActivityArea.objects.get(name="Краеведение")
    assert area.revisions.count() == 1
    listing = client.get(reverse("wagtailsnippets_tos_activityarea:list")).content.decode()
    assert listing.index("Краеведение") < listing.index("Благоустройство и охрана памятников")


def test_moderator_sees_activity_areas_but_does_not_change_them(as_moderator, db):
    assert as_moderator.get(reverse("wagtailsnippets_tos_activityarea:list")).status_code == 200
    assert denied(
        as_moderator.post(reverse("wagtailsnippets_tos_activityarea:add"), {"name": "Новое", "sort_order": "1"})
    )
    assert not ActivityArea.objects.filter(name="Новое").exists()


@pytest.mark.parametrize(
    ("role", "sections"),
    [
        ("Модератор", ["Заявки на регистрацию", "Участники ТОС", "Приглашения", "Направления деятельности"]),
        ("Методист", ["Участники ТОС", "Направления деятельности"]),
    ],
)
def test_the_tos_menu_offers_each_role_its_sections(rf, db, role, sections):
    request = rf.get("/admin/")
    request.user = UserFactory(roles=[role])
    group = next(item for item in admin_menu.menu_items_for_request(request) if item.name == "tos")
    assert [str(item.label) for item in group.menu.menu_items_for_request(request)] == sections
