"""Automatic assignment without conflicts, balanced and reproducible; overrides, recusal, removal, divergence."""

from decimal import Decimal

import pytest

from competitions import applications, assignment, review
from competitions.applications import Refused
from competitions.models import ExpertAssignment, ExpertTie, ScoringRound
from tests.competitions.factories import (
    application_form,
    complete_answers,
    fill,
    publish_competition,
    start_group_application,
)
from tests.competitions.scoring_factories import (
    admitted_application,
    admitted_tos_application,
    make_expert,
    run_assignment,
    score,
    set_sheet,
)
from tests.factories import UserFactory
from tests.forms.factories import block
from tests.tos.factories import TOSIndexPageFactory, publish_profile
from tos.models import MembershipRole, TOSMembership
from website.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def tos_index(site_tree):
    return TOSIndexPageFactory(parent=site_tree["home"])


def pairs(assignments):
    return sorted((item.application_id, item.expert_id) for item in assignments)


def test_an_expert_with_a_declared_tie_to_the_tos_is_never_assigned_to_its_application(
    competition, secretary, tos_index
):
    set_sheet(competition, experts_per_application=2)
    tos = publish_profile(tos_index, title="ТОС «Солнечный»")
    tied_application = admitted_tos_application(competition, secretary, tos)
    others = [admitted_application(competition, secretary) for _ in range(3)]
    tied = make_expert(competition, name="Связанный", ties=[(ExpertTie.Kind.TOS, {"tos": tos})])
    free = [make_expert(competition, name=f"Свободный{n}") for n in range(2)]

    _round, created = run_assignment(competition, secretary)

    on_tied = {item.expert for item in created if item.application == tied_application}
    assert on_tied == set(free)
    assert any(item.expert == tied for item in created if item.application in others)


def test_an_organisation_tie_matches_the_applicant_by_name(competition, secretary, tos_index):
    tos = publish_profile(tos_index, title="ТОС «Солнечный»")
    application = admitted_tos_application(competition, secretary, tos)
    expert = make_expert(competition, ties=[(ExpertTie.Kind.RELATIVE, {"organisation": "солнечный"})])
    assert assignment.conflicts(expert, application, competition) == [
        "заявлена связь «родственник в организации заявителя» с «солнечный»"
    ]


def test_same_municipality_is_a_conflict_only_when_the_competition_says_so(competition, secretary, tos_index):
    kaluga = Municipality.objects.get(short_name="Калуга")
    tos = publish_profile(tos_index, municipality=kaluga)
    application = admitted_tos_application(competition, secretary, tos)
    local = make_expert(competition, municipality=kaluga)
    assert assignment.conflicts(local, application, competition) == []
    competition.exclude_same_municipality = True
    assert assignment.conflicts(local, application, competition) == [
        "эксперт из того же муниципалитета, а конкурс таких не назначает"
    ]


def test_a_member_of_the_applicant_tos_is_conflicted_without_declaring_it(competition, secretary, tos_index):
    tos = publish_profile(tos_index)
    application = admitted_tos_application(competition, secretary, tos)
    expert = make_expert(competition)
    TOSMembership.objects.create(tos=tos, user=expert.user, role=MembershipRole.MEMBER)
    assert assignment.conflicts(expert, application, competition) == ["эксперт состоит в ТОС-заявителе"]


def test_load_is_balanced_and_the_seed_reproduces_the_assignment(competition, secretary):
    set_sheet(competition, experts_per_application=3)
    applications = [admitted_application(competition, secretary) for _ in range(5)]
    experts = [make_expert(competition, name=f"Эксперт{n}") for n in range(5)]
    scoring_round, created = run_assignment(competition, secretary)

    loads = sorted(sum(1 for item in created if item.expert == expert) for expert in experts)
    assert loads == [3, 3, 3, 3, 3]
    again, short = assignment.plan(scoring_round, applications, experts, [], 3)
    assert short == [] and sorted((app.pk, expert.pk) for app, expert in again) == pairs(created)
    assert len(scoring_round.seed) == 32


def test_a_second_run_only_tops_up_new_applications(competition, secretary):
    set_sheet(competition)
    admitted_application(competition, secretary)
    for n in range(3):
        make_expert(competition, name=f"Эксперт{n}")
    run_assignment(competition, secretary)
    late = admitted_application(competition, secretary)
    _round, created = run_assignment(competition, secretary)
    assert {item.application for item in created} == {late} and len(created) == 2
    assert ExpertAssignment.objects.count() == 4


def test_too_few_experts_without_conflict_assigns_nothing_and_says_what_is_missing(competition, secretary):
    set_sheet(competition, experts_per_application=3)
    application = admitted_application(competition, secretary)
    make_expert(competition)
    make_expert(competition)
    make_expert(competition, declare=False)  # no declaration: not in the pool
    with pytest.raises(Refused) as refused:
        run_assignment(competition, secretary)
    assert refused.value.status == 409
    assert f"{application.number} — не хватает 1" in refused.value.message
    assert ExpertAssignment.objects.count() == 0
    assert ScoringRound.objects.count() == 0  # the round did not start either


def test_assignment_needs_expert_criteria_and_admitted_applications(competition, secretary):
    admitted_application(competition, secretary)
    make_expert(competition)
    make_expert(competition)
    with pytest.raises(Refused) as refused:
        run_assignment(competition, secretary)
    assert "нет ни одного критерия" in refused.value.message


def test_only_the_secretary_assigns(competition, secretary):
    set_sheet(competition)
    admitted_application(competition, secretary)
    expert = make_expert(competition)
    make_expert(competition)
    for outsider in (UserFactory(roles=["Методист"]), expert.user):
        with pytest.raises(Refused) as refused:
            assignment.assign_automatically(competition, outsider)
        assert refused.value.status == 403
    assert ExpertAssignment.objects.count() == 0


def test_manual_override_needs_a_reason_a_declaration_and_no_conflict(competition, secretary, tos_index):
    set_sheet(competition)
    tos = publish_profile(tos_index)
    application = admitted_tos_application(competition, secretary, tos)
    make_expert(competition)
    make_expert(competition)
    run_assignment(competition, secretary)
    fresh = make_expert(competition, name="Новый")
    undeclared = make_expert(competition, declare=False)
    tied = make_expert(competition, ties=[(ExpertTie.Kind.TOS, {"tos": tos})])

    cases = [
        (fresh, "", "причину"),
        (undeclared, "Нужен специалист по освещению", "не подписал декларацию"),
        (tied, "Нужен специалист по освещению", "конфликт интересов"),
    ]
    for expert, reason, message in cases:
        with pytest.raises(Refused) as refused:
            assignment.assign_manually(competition, secretary, application=application, expert=expert, reason=reason)
        assert message in refused.value.message
    assert ExpertAssignment.objects.filter(application=application).count() == 2

    added = assignment.assign_manually(
        competition, secretary, application=application, expert=fresh, reason="Нужен специалист по освещению"
    )
    assert added.origin == ExpertAssignment.Origin.MANUAL and added.history.first().history_user == secretary


def test_recusal_needs_a_reason_and_brings_a_replacement(competition, secretary):
    set_sheet(competition)
    admitted_application(competition, secretary)
    for n in range(3):
        make_expert(competition, name=f"Эксперт{n}")
    _round, created = run_assignment(competition, secretary)
    stepping_down = created[0]
    with pytest.raises(Refused):
        assignment.recuse(stepping_down, stepping_down.expert.user, reason=" ")
    with pytest.raises(Refused) as refused:
        assignment.recuse(stepping_down, secretary, reason="Знаком с заявителем")
    assert refused.value.status == 403

    ended, replacement = assignment.recuse(stepping_down, stepping_down.expert.user, reason="Знаком с заявителем")
    assert ended.status == ExpertAssignment.Status.RECUSED and ended.reason == "Знаком с заявителем"
    assert replacement.origin == ExpertAssignment.Origin.REPLACEMENT
    assert replacement.expert not in {item.expert for item in created}
    assert ExpertAssignment.objects.active().count() == 2


def test_no_recusal_after_the_sheet_is_sent(competition, secretary):
    set_sheet(competition)
    admitted_application(competition, secretary)
    make_expert(competition)
    make_expert(competition)
    _round, created = run_assignment(competition, secretary)
    score(created[0], {"relevance": "8", "budget": "7"})
    with pytest.raises(Refused) as refused:
        assignment.recuse(created[0], created[0].expert.user, reason="Передумал")
    assert refused.value.status == 409
    created[0].refresh_from_db()
    assert created[0].is_active


def test_removal_by_the_secretary_keeps_the_record_and_replaces(competition, secretary):
    set_sheet(competition)
    admitted_application(competition, secretary)
    for n in range(3):
        make_expert(competition, name=f"Эксперт{n}")
    _round, created = run_assignment(competition, secretary)
    ended, replacement = assignment.remove(created[1], secretary, reason="Выявлен конфликт интересов")
    assert ended.status == ExpertAssignment.Status.REMOVED and replacement is not None
    assert [record.status for record in ended.history.order_by("history_date")] == ["active", "removed"]


def test_a_divergence_brings_one_more_expert_once(competition, secretary):
    set_sheet(competition, experts_per_application=2, divergence_threshold=Decimal("5"))
    application = admitted_application(competition, secretary)
    for n in range(4):
        make_expert(competition, name=f"Эксперт{n}")
    _round, created = run_assignment(competition, secretary)
    score(created[0], {"relevance": "9", "budget": "9"})  # 27
    score(created[1], {"relevance": "3", "budget": "5"}, comments={"relevance": "Проблема не подтверждена"})  # 11
    extra = ExpertAssignment.objects.get(origin=ExpertAssignment.Origin.DIVERGENCE)
    assert extra.application == application and extra.expert not in {item.expert for item in created}
    score(extra, {"relevance": "2", "budget": "1"}, comments={"relevance": "Слабо"})
    assert ExpertAssignment.objects.filter(origin=ExpertAssignment.Origin.DIVERGENCE).count() == 1


def test_totals_within_the_threshold_bring_nobody(competition, secretary):
    set_sheet(competition, experts_per_application=2, divergence_threshold=Decimal("5"))
    admitted_application(competition, secretary)
    for n in range(3):
        make_expert(competition, name=f"Эксперт{n}")
    _round, created = run_assignment(competition, secretary)
    score(created[0], {"relevance": "8", "budget": "7"})  # 23
    score(created[1], {"relevance": "6", "budget": "8"})  # 20
    assert ExpertAssignment.objects.count() == 2


def test_a_group_applicant_s_municipality_comes_from_its_answer(competitions_index, secretary):
    form = application_form()
    form.insert(4, block("municipality", "Муниципальное образование", id="mo", required=False))
    competition = publish_competition(competitions_index, application_form=form)
    set_sheet(competition)
    obninsk = Municipality.objects.get(short_name="Обнинск")
    draft = fill(start_group_application(competition))
    step_one, _step_two = complete_answers()
    applications.save_step(draft, draft.applicant, 0, {**step_one, "mo": str(obninsk.pk)}, {}, revision=draft.revision)
    applications.submit(draft, draft.applicant)
    checklist = {row["document_id"]: {"ok": True} for row in review.checklist_for(draft)}
    review.decide(draft, secretary, decision="admit", checklist=checklist)
    tied = make_expert(competition, ties=[(ExpertTie.Kind.MUNICIPALITY, {"municipality": obninsk})])
    assert assignment.conflicts(tied, draft, competition) == ["заявлена связь с муниципалитетом заявителя"]
