"""The applicant's rules, enforced by the service every page and API call goes through."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from competitions import applications, review
from competitions.applications import Refused, content_hash
from competitions.models import Application, ApplicationVersion
from forms.models import Submission
from tests.competitions.factories import (
    fill,
    publish_competition,
    start_group_application,
    submitted_application,
)
from tests.factories import UserFactory
from tests.tos.factories import TOSIndexPageFactory, leader_of, publish_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary():
    return UserFactory(roles=["Секретарь конкурса"])


# --- Start --------------------------------------------------------------------------------------------------------


def test_the_same_start_key_gives_the_same_draft(competition):
    user = UserFactory()
    first = start_group_application(competition, user, start_key="k-1")
    again = start_group_application(competition, user, start_key="k-1")
    assert first.pk == again.pk
    assert Application.objects.count() == 1
    assert Submission.objects.filter(managed_by="competitions.application").count() == 1


def test_a_tos_applies_only_through_its_leader(competition, site_tree):
    tos = publish_profile(TOSIndexPageFactory(parent=site_tree["home"]), title="ТОС «Солнечный»")
    leader = leader_of(tos)
    application, created = applications.start(
        competition, leader, start_key="a", applicant_type="tos", tos=tos, title="Сквер у школы"
    )
    assert created and application.applicant_name == "ТОС «Солнечный»"

    stranger = UserFactory()
    with pytest.raises(Refused) as refused:
        applications.start(competition, stranger, start_key="b", applicant_type="tos", tos=tos, title="Сквер")
    assert refused.value.problems[0][0] == "tos"
    assert "председатель" in refused.value.message


def test_an_initiative_group_needs_the_minimum_of_people(competition):
    with pytest.raises(Refused) as refused:
        start_group_application(competition, group_size=3)
    assert refused.value.problems == [("group_size", refused.value.problems[0][1])]
    assert "не меньше 10" in refused.value.message
    assert not Application.objects.exists()


def test_no_new_drafts_after_the_deadline(competitions_index):
    competition = publish_competition(
        competitions_index, opens=timezone.now() - timedelta(days=10), closes=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(Refused) as refused:
        start_group_application(competition)
    assert refused.value.status == 403
    assert "закрыт" in refused.value.message


# --- Submit -------------------------------------------------------------------------------------------------------


def test_submit_freezes_a_numbered_version_with_a_hash(competition):
    application = submitted_application(competition)
    assert application.status == Application.Status.SUBMITTED
    assert application.number == "ИБ-2026-0001"
    version = application.latest_version
    assert version.number == 1
    assert version.submission.status == Submission.Status.SUBMITTED
    assert version.snapshot["ledger"] == [{"source": "residents", "kind": "money", "amount": "30000", "note": ""}]
    assert version.snapshot["shares"] == {"residents": "3.0000"}
    assert version.content_hash == content_hash(version)
    history = list(application.history.order_by("history_date"))
    assert history[-1].status == "submitted" and history[-1].history_user == application.applicant


def test_numbers_follow_each_other_per_competition(competition):
    numbers = [submitted_application(competition).number for _ in range(3)]
    assert numbers == ["ИБ-2026-0001", "ИБ-2026-0002", "ИБ-2026-0003"]


def test_a_repeated_submit_makes_no_second_version(competition):
    application = fill(start_group_application(competition))
    first, created = applications.submit(application, application.applicant)
    again, created_again = applications.submit(application, application.applicant)
    assert created and not created_again
    assert first.pk == again.pk
    assert ApplicationVersion.objects.count() == 1


def test_submit_one_second_after_the_deadline_is_refused_and_the_draft_stays(competitions_index):
    deadline = timezone.now() + timedelta(hours=1)
    competition = publish_competition(competitions_index, closes=deadline)
    application = fill(start_group_application(competition))
    answers_before = dict(application.submission.data)
    with time_machine.travel(deadline + timedelta(seconds=1), tick=False), pytest.raises(Refused) as refused:
        applications.submit(application, application.applicant)
    assert refused.value.status == 403
    assert "Приём заявок закрыт" in refused.value.message and "(мск)" in refused.value.message
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.number is None
    assert application.submission.data == answers_before
    assert not ApplicationVersion.objects.exists()


def test_submit_at_the_last_second_is_accepted(competitions_index):
    deadline = timezone.now() + timedelta(hours=1)
    competition = publish_competition(competitions_index, closes=deadline)
    application = fill(start_group_application(competition))
    with time_machine.travel(deadline - timedelta(seconds=1), tick=False):
        applications.submit(application, application.applicant)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_cofinancing_below_the_minimum_is_refused_naming_the_source_and_share(competition):
    application = fill(
        start_group_application(competition),
        requested="980000",
        ledger=[{"source": "residents", "kind": "money", "amount": "20000"}],
    )
    with pytest.raises(Refused) as refused:
        applications.submit(application, application.applicant)
    (ledger_problem,) = [message for field, message in refused.value.problems if field == "ledger"]
    assert "«жители»" in ledger_problem and "не меньше 3,00 %" in ledger_problem
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_missing_answers_are_named(competition):
    application = start_group_application(competition)
    with pytest.raises(Refused) as refused:
        applications.submit(application, application.applicant)
    fields = {field for field, _message in refused.value.problems}
    assert {"requested_amount", "problem", "consent"} <= fields


def test_the_requested_amount_is_capped(competition):
    application = start_group_application(competition)
    with pytest.raises(Refused) as refused:
        applications.update_details(
            application,
            application.applicant,
            revision=application.revision,
            title="Площадка",
            requested_amount=Decimal("1500000.01"),
            ledger=[],
        )
    assert refused.value.problems[0][0] == "requested_amount"
    assert "1\u00a0500\u00a0000,00 ₽" in refused.value.message or "1 500 000,00 ₽" in refused.value.message


# --- Who may write ------------------------------------------------------------------------------------------------


def test_nobody_else_may_change_or_submit_an_application(competition):
    application = fill(start_group_application(competition))
    other = UserFactory()
    for attempt in (
        lambda: applications.submit(application, other),
        lambda: applications.withdraw(application, other),
        lambda: applications.save_step(application, other, 0, {"problem": "x"}, {}, revision=application.revision),
        lambda: applications.update_details(
            application, other, revision=application.revision, title="x", requested_amount=None, ledger=[]
        ),
    ):
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.status == 403
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.title == "Детская площадка во дворе ул. Садовой, 5"


def test_a_stale_revision_is_a_conflict_and_overwrites_nothing(competition):
    application = start_group_application(competition)
    seen_by_both_tabs = application.revision
    applications.save_step(
        application, application.applicant, 0, {"problem": "из первой вкладки"}, {}, revision=seen_by_both_tabs
    )
    with pytest.raises(Refused) as refused:
        applications.save_step(
            application, application.applicant, 0, {"problem": "из второй вкладки"}, {}, revision=seen_by_both_tabs
        )
    assert refused.value.status == 409
    assert "другой вкладке" in refused.value.message
    application.refresh_from_db()
    assert application.submission.data["problem"] == "из первой вкладки"


def test_a_submitted_application_cannot_be_edited(competition):
    application = submitted_application(competition)
    with pytest.raises(Refused) as refused:
        applications.save_step(application, application.applicant, 0, {"problem": "позже"}, {}, revision=None)
    assert refused.value.status == 409
    assert "вернёт её на доработку" in refused.value.message


# --- Corrections and versions -------------------------------------------------------------------------------------


def test_correction_makes_a_second_version_and_keeps_the_first(competitions_index, secretary):
    competition = publish_competition(competitions_index, with_file=True)
    application = start_group_application(competition)
    applicant = application.applicant
    protocol = SimpleUploadedFile("protokol.pdf", b"%PDF-1.4 first protocol", content_type="application/pdf")
    fill(application)
    applications.save_step(
        application, applicant, 1, {"consent": "on"}, {"protocol": protocol}, revision=application.revision
    )
    applications.submit(application, applicant)
    first = application.latest_version
    first_hash, first_answers = first.content_hash, dict(first.submission.data)

    review.decide(
        application, secretary, decision="return", checklist={}, reasons="Протокол не подписан председателем собрания."
    )
    application.refresh_from_db()
    assert application.status == Application.Status.CORRECTION
    assert application.correction_deadline > timezone.now()
    assert application.submission.pk != first.submission.pk

    signed = SimpleUploadedFile("protokol-podpisan.pdf", b"%PDF-1.4 signed protocol", content_type="application/pdf")
    applications.save_step(
        application, applicant, 1, {"consent": "on"}, {"protocol": signed}, revision=application.revision
    )
    second, created = applications.submit(application, applicant)
    application.refresh_from_db()

    assert created and second.number == 2
    assert application.number == "ИБ-2026-0001"  # the number stays with the application
    assert application.status == Application.Status.SUBMITTED
    first.refresh_from_db()
    assert first.content_hash == first_hash == content_hash(first)
    assert first.submission.data == first_answers
    (old_file,) = first.submission.files.all()
    assert old_file.original_name == "protokol.pdf"
    assert old_file.file.open("rb").read() == b"%PDF-1.4 first protocol"
    (new_file,) = second.submission.files.all()
    assert new_file.original_name == "protokol-podpisan.pdf"
    assert second.content_hash != first.content_hash


def test_after_the_correction_deadline_the_corrected_version_is_refused(competition, secretary):
    application = submitted_application(competition)
    deadline = timezone.now() + timedelta(days=2)
    review.decide(
        application, secretary, decision="return", checklist={}, reasons="Нет сметы.", correction_deadline=deadline
    )
    application.refresh_from_db()
    with time_machine.travel(deadline + timedelta(seconds=1), tick=False), pytest.raises(Refused) as refused:
        applications.submit(application, application.applicant)
    assert refused.value.status == 403
    assert "Срок доработки истёк" in refused.value.message
    assert application.versions.count() == 1


def test_withdraw_keeps_the_record(competition):
    application = submitted_application(competition)
    applications.withdraw(application, application.applicant, reason="Проект профинансировал спонсор.")
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert application.versions.count() == 1
    with pytest.raises(Refused):
        applications.save_step(application, application.applicant, 0, {"problem": "x"}, {}, revision=None)


def test_two_competitions_of_one_kind_and_year_share_the_numbering(competitions_index, competition):
    second = publish_competition(competitions_index, title="Инициативные проекты Малоярославца 2026")
    numbers = [submitted_application(competition).number, submitted_application(second).number]
    assert numbers == ["ИБ-2026-0001", "ИБ-2026-0002"]
