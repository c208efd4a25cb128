"""The scoring sheet: criterion blocks that refuse a broken scale, the lock once scoring starts, and the
expert's sheet that refuses scores off the scale, missing comments and writes by anyone else."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StructBlockValidationError

from competitions import applications, scoring
from competitions.applications import Refused
from competitions.criteria import SHEET_BLOCK, ComputedCriterionBlock, CriterionBlock, sheet_signature
from competitions.models import ExpertAssignment, ScoreSheet, ScoringRound
from tests.competitions.factories import (
    application_form,
    complete_answers,
    fill,
    publish_competition,
    start_group_application,
)
from tests.competitions.scoring_factories import (
    admitted_application,
    criterion,
    default_sheet,
    make_expert,
    run_assignment,
    score,
    set_sheet,
)
from tests.factories import UserFactory
from tests.forms.factories import block

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(competition, secretary):
    """A competition in scoring: one admitted application, two experts assigned."""
    set_sheet(competition)
    application = admitted_application(competition, secretary)
    make_expert(competition, name="Первый")
    make_expert(competition, name="Второй")
    _round, created = run_assignment(competition, secretary)
    return application, created


def block_errors(block, value):
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(block.to_python(value))
    return {name: " ".join(error.messages) for name, error in raised.value.block_errors.items()}


# --- Building the sheet -----------------------------------------------------------------------------------------


def test_a_criterion_refuses_a_scale_its_step_cannot_reach():
    errors = block_errors(CriterionBlock(), criterion("Смета", id="x", low="0", high="10", step="3")["value"])
    assert "С шагом 3 от 0 не попасть в 10" in errors["step"]


def test_a_criterion_refuses_bands_outside_the_scale_and_a_missing_comment_threshold():
    value = criterion(
        "Смета",
        id="x",
        bands=[{"low": "8", "high": "12", "text": "Отлично"}],
        comment_rule="at_or_below",
        threshold=None,
    )["value"]
    errors = block_errors(CriterionBlock(), value)
    assert "выходит за шкалу 0–10" in errors["bands"]
    assert "Укажите порог" in errors["comment_threshold"]


def test_computed_bands_may_not_overlap_and_an_answer_needs_its_code():
    value = {
        "name": "Благополучатели",
        "source": "answer",
        "answer_code": "",
        "bands": [{"low": "0", "high": "100", "points": "1"}, {"low": "50", "high": None, "points": "2"}],
        "weight": "1",
    }
    errors = block_errors(ComputedCriterionBlock(), value)
    assert "Диапазоны пересекаются" in errors["bands"]
    assert "код числового поля" in errors["answer_code"]


def test_the_sheet_takes_the_form_engine_blocks_too():
    value = SHEET_BLOCK.clean(SHEET_BLOCK.to_python(default_sheet()))
    assert [child.block_type for child in value] == ["criterion", "criterion", "computed_criterion", "long_text"]


def test_the_sheet_is_locked_once_scoring_has_started(competition, assigned):
    changed = default_sheet()
    changed[0]["value"]["weight"] = "5"
    competition.scoring_sheet = changed
    with pytest.raises(ValidationError) as raised:
        competition.full_clean()
    assert "лист оценки заблокирован" in " ".join(raised.value.message_dict["scoring_sheet"])
    competition.refresh_from_db()
    assert competition.criteria[0].weight == Decimal("2")


def test_other_edits_of_the_page_stay_possible_during_scoring(competition, assigned):
    competition.refresh_from_db()
    competition.how_to_apply = "<p>Уточнены контакты секретаря.</p>"
    competition.full_clean()  # the sheet itself is unchanged


def test_saving_the_same_sheet_again_is_not_a_change(competition, assigned):
    competition.refresh_from_db()
    competition.scoring_sheet = default_sheet()  # list items without ids get new ones on every conversion
    competition.full_clean()
    assert sheet_signature(default_sheet()) == sheet_signature(competition.scoring_sheet_data())


def test_before_scoring_the_sheet_changes_freely_and_keeps_revisions(competition):
    set_sheet(competition)
    changed = default_sheet()
    changed[1]["value"]["weight"] = "3"
    set_sheet(competition, changed)
    assert competition.criteria[1].weight == Decimal("3")
    assert competition.revisions.count() >= 2


# --- The expert's sheet -----------------------------------------------------------------------------------------


def sheet_of(item):
    return scoring.sheet_for(item, item.expert.user)


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"relevance": "11", "budget": "5"}, "«Актуальность проблемы»: Балл должен быть от 0 до 10."),
        ({"relevance": "7,5", "budget": "5"}, "«Актуальность проблемы»: Балл ставится с шагом 1 от 0"),
        ({"relevance": "семь", "budget": "5"}, "«Актуальность проблемы»: балл — число"),
        ({"relevance": "3", "budget": "5"}, "«Актуальность проблемы»: напишите комментарий"),
        ({"relevance": "8"}, "«Реалистичность сметы»: поставьте балл."),
    ],
)
def test_a_bad_sheet_is_refused_with_the_criterion_named_and_nothing_saved(assigned, posted, message):
    _application, created = assigned
    sheet = sheet_of(created[0])
    with pytest.raises(Refused) as refused:
        scoring.save_sheet(sheet, created[0].expert.user, posted, submit=True)
    assert refused.value.status == 400 and message in refused.value.message
    sheet.refresh_from_db()
    assert sheet.answers == {} and sheet.status == ScoreSheet.Status.DRAFT and sheet.revision == 0


def test_a_draft_may_be_incomplete_but_not_off_the_scale(assigned):
    _application, created = assigned
    sheet = sheet_of(created[0])
    scoring.save_sheet(sheet, created[0].expert.user, {"relevance": "3"})
    assert sheet.answers == {"relevance": {"score": "3", "comment": ""}} and sheet.expert_total == Decimal("6")
    with pytest.raises(Refused):
        scoring.save_sheet(sheet, created[0].expert.user, {"relevance": "12"})


def test_a_sent_sheet_is_locked(assigned):
    _application, created = assigned
    sent = score(created[0], {"relevance": "8", "budget": "6"}, recommendation="Поддержать")
    assert sent.status == ScoreSheet.Status.SUBMITTED and sent.expert_total == Decimal("22")
    assert sent.answers["recommendation"] == "Поддержать"
    with pytest.raises(Refused) as refused:
        scoring.save_sheet(sent, created[0].expert.user, {"relevance": "1", "budget": "1"}, submit=True)
    assert refused.value.status == 409 and "заблокирован" in refused.value.message
    sent.refresh_from_db()
    assert sent.scores() == {"relevance": Decimal("8"), "budget": Decimal("6")}


def test_another_expert_cannot_open_or_write_the_sheet(assigned):
    _application, created = assigned
    first, second = created
    sheet = sheet_of(first)
    with pytest.raises(Refused) as refused:
        scoring.sheet_for(first, second.expert.user)
    assert refused.value.status == 403
    with pytest.raises(Refused) as refused:
        scoring.save_sheet(sheet, second.expert.user, {"relevance": "1", "budget": "1"})
    assert refused.value.status == 403
    sheet.refresh_from_db()
    assert sheet.answers == {}


def test_a_stale_revision_from_another_tab_is_refused(assigned):
    _application, created = assigned
    sheet = sheet_of(created[0])
    scoring.save_sheet(sheet, created[0].expert.user, {"relevance": "5"}, revision=0)
    with pytest.raises(Refused) as refused:
        scoring.save_sheet(sheet, created[0].expert.user, {"relevance": "9"}, revision=0)
    assert refused.value.status == 409
    sheet.refresh_from_db()
    assert sheet.scores() == {"relevance": Decimal("5")}


def test_the_sheet_is_scored_against_the_frozen_version(assigned):
    application, created = assigned
    sheet = sheet_of(created[0])
    assert sheet.version == application.latest_version


def test_nothing_is_written_once_the_round_is_closed(competition, secretary, assigned):
    _application, created = assigned
    score(created[0], {"relevance": "8", "budget": "6"})
    with pytest.raises(Refused) as refused:
        scoring.close(competition, secretary)
    assert "Не все листы оценки отправлены" in refused.value.message
    assert (
        created[1].expert.full_name in refused.value.message
        and created[0].expert.full_name not in refused.value.message
    )
    score(created[1], {"relevance": "7", "budget": "6"})
    scoring.close(competition, secretary)
    with pytest.raises(Refused) as refused:
        scoring.publish(competition, UserFactory(roles=["Методист"]))
    assert refused.value.status == 403
    assert scoring.published_results(competition) is None


def test_history_records_who_scored_and_when(assigned):
    _application, created = assigned
    sent = score(created[0], {"relevance": "8", "budget": "6"})
    records = list(sent.history.order_by("history_date"))
    assert [record.status for record in records][-1] == "submitted"
    assert records[-1].history_user == created[0].expert.user


def test_an_application_admitted_after_assignment_must_get_experts_before_the_close(competition, secretary, assigned):
    _application, created = assigned
    for item in created:
        score(item, {"relevance": "8", "budget": "6"})
    late = admitted_application(competition, secretary, title="Поздно допущенная заявка")
    with pytest.raises(Refused) as refused:
        scoring.close(competition, secretary)
    assert refused.value.status == 409 and late.number in refused.value.message
    assert ScoringRound.objects.get(competition=competition).is_open


def test_a_withdrawn_application_neither_holds_up_the_close_nor_is_ranked(competition, secretary, assigned):
    application, created = assigned
    other = admitted_application(competition, secretary, title="Вторая заявка")
    scoring_round, _created = run_assignment(competition, secretary)
    for item in created:
        score(item, {"relevance": "8", "budget": "6"})
    applications.withdraw(other, other.applicant, reason="Проект выполнен за счёт спонсора")
    assert list(scoring.pending(scoring_round)) == []
    ended = ExpertAssignment.objects.filter(application=other).first()
    assert ended.status == ExpertAssignment.Status.WITHDRAWN and ended.history.first().history_user == other.applicant
    with pytest.raises(Refused) as refused:
        scoring.save_sheet(scoring.sheet_for(ended, ended.expert.user), ended.expert.user, {"relevance": "5"})
    assert refused.value.status == 409 and "заявка отозвана заявителем" in refused.value.message
    results = scoring.close(competition, secretary).results
    assert [row["application_id"] for row in results["rows"]] == [application.pk]


def test_experts_read_a_version_without_what_names_or_reaches_a_hidden_applicant(competitions_index, secretary):
    form = application_form()
    form.insert(4, block("email", "Электронная почта для связи", id="contact", required=False))
    competition = publish_competition(competitions_index, application_form=form)
    draft = fill(start_group_application(competition))
    step_one, _step_two = complete_answers()
    applications.save_step(
        draft, draft.applicant, 0, {**step_one, "contact": "sadovaya5@example.org"}, {}, revision=draft.revision
    )
    applications.submit(draft, draft.applicant)
    version = draft.latest_version

    snapshot, answers = scoring.version_for_expert(competition, version)
    assert snapshot["applicant"] == "Жители ул. Садовой, 5"
    assert "sadovaya5@example.org" in [text for _item, _stored, text in answers]

    competition.hide_applicant_from_experts = True
    snapshot, answers = scoring.version_for_expert(competition, version)
    assert "applicant" not in snapshot and "group_size" not in snapshot
    texts = [text for _item, _stored, text in answers]
    assert "sadovaya5@example.org" not in texts and "Во дворе нет детской площадки." in texts
