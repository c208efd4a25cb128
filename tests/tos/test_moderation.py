"""A leader's edit is a revision; the public sees it only after a moderator approves it in the workflow."""

import pytest
from wagtail.models import PageLogEntry

from tests.factories import UserFactory
from tests.tos.factories import approve, leader_of, publish_profile, reject
from tos.models import TOSProject
from tos.moderation import (
    ModerationRefusal,
    moderation_status,
    save_draft,
    submit_for_moderation,
    withdraw_from_moderation,
    working_copy,
)


@pytest.fixture
def profile(tos_index):
    return publish_profile(tos_index, title="ТОС «Солнечный»")


def test_edit_waits_for_the_moderator_then_is_published_with_its_rows(profile):
    leader = leader_of(profile)
    moderator = UserFactory(roles=["Модератор"])
    copy = working_copy(profile)
    copy.residents_count = 2500
    copy.projects.add(TOSProject(title="Дворик детства", year=2024, funding_source="initiative_budgeting"))
    save_draft(profile, copy, leader)

    profile.refresh_from_db()
    assert profile.residents_count == 1200  # the live page is untouched
    assert moderation_status(profile).code == "draft"
    assert not TOSProject.objects.exists()

    submit_for_moderation(profile, leader)
    profile.refresh_from_db()
    assert moderation_status(profile).code == "in_moderation"
    with pytest.raises(ModerationRefusal):
        save_draft(profile, working_copy(profile), leader)

    approve(profile, moderator)
    profile.refresh_from_db()
    assert profile.residents_count == 2500
    assert list(TOSProject.objects.filter(page=profile).values_list("title", flat=True)) == ["Дворик детства"]
    assert moderation_status(profile).code == "published"
    approval = PageLogEntry.objects.get(page=profile, action="wagtail.workflow.approve")
    assert approval.user == moderator and approval.timestamp is not None
    assert profile.live_revision.user == leader


def test_returned_edit_shows_the_comment_and_can_be_sent_again(profile):
    leader = leader_of(profile)
    moderator = UserFactory(roles=["Модератор"])
    copy = working_copy(profile)
    copy.chair_name = "Петров Сергей"
    save_draft(profile, copy, leader)
    submit_for_moderation(profile, leader)
    reject(profile, moderator, "Укажите отчество председателя")

    profile.refresh_from_db()
    status = moderation_status(profile)
    assert status.code == "needs_changes" and status.comment == "Укажите отчество председателя"
    copy = working_copy(profile)
    copy.chair_name = "Петров Сергей Николаевич"
    save_draft(profile, copy, leader)
    submit_for_moderation(profile, leader)
    approve(profile, moderator)
    profile.refresh_from_db()
    assert profile.chair_name == "Петров Сергей Николаевич"


def test_nothing_to_send_and_withdrawal(profile):
    leader = leader_of(profile)
    with pytest.raises(ModerationRefusal) as refusal:
        submit_for_moderation(profile, leader)
    assert refusal.value.status == 400
    copy = working_copy(profile)
    copy.phone = "+74842000000"
    save_draft(profile, copy, leader)
    submit_for_moderation(profile, leader)
    withdraw_from_moderation(profile, leader)
    profile.refresh_from_db()
    assert moderation_status(profile).code == "draft"
