"""The hand-computed scenario of test_ranking.py run through the platform: applications, experts, sheets,
a divergence that brings a third expert, the close and the publication. The numbers must match exactly.

The platform refuses a request above the per-project maximum at the application, so here the maximum is
500 000 ₽ (P2's 485 000 is not capped); P2 still does not fit the 144 000 left, so the allocation is the same."""

from decimal import Decimal

import pytest

from competitions import applications, review, scoring
from competitions.models import Application, ExpertAssignment, Nomination, ScoringRound
from tests.competitions.factories import fill, publish_competition, start_group_application
from tests.competitions.scoring_factories import make_expert, run_assignment, score, set_sheet
from tests.competitions.test_ranking import SHEET

pytestmark = pytest.mark.django_db

# number → (requested, residents' money, sheets (A, B) in the order they are sent, nomination)
SCENARIO = {
    "P1": ("285000", "15000", [("8", "6"), ("9", "7")], ""),
    "P2": ("485000", "15000", [("9", "6"), ("5", "5"), ("7,5", "5,5")], ""),
    "P3": ("336000", "14000", [("6", "8"), ("6", "8")], ""),
    "P4": ("235000", "15000", [("7", "6"), ("6", "6")], ""),
    "P5": ("100000", None, [("3", "2"), ("4", "3")], ""),
    "P6": ("98000", "2000", [("6", "4"), ("6", "4")], "Дворы"),
}


def run_scenario(competitions_index, secretary, allocation_rule):
    competition = publish_competition(
        competitions_index, rules=(), fund=Decimal("1000000"), max_per_project=Decimal("500000")
    )
    competition.nominations.add(competition.nominations.model(name="Общественные пространства"))
    competition.nominations.add(competition.nominations.model(name="Дворы"))
    set_sheet(
        competition,
        SHEET,
        passing_score=Decimal("20"),
        divergence_threshold=Decimal("5"),
        experts_per_application=2,
        allocation_rule=allocation_rule,
    )
    general, yards = Nomination.objects.filter(page=competition).order_by("pk")
    by_label = {}
    for label, (requested, residents, _sheets, in_nomination) in SCENARIO.items():
        draft = start_group_application(
            competition, title=f"Проект {label}", nomination=yards if in_nomination else general
        )
        ledger = [{"source": "residents", "kind": "money", "amount": residents}] if residents else []
        fill(draft, requested=requested, ledger=ledger)
        applications.submit(draft, draft.applicant)
        checklist = {row["document_id"]: {"ok": True} for row in review.checklist_for(draft)}
        review.decide(draft, secretary, decision="admit", checklist=checklist)
        by_label[label] = Application.objects.get(pk=draft.pk)
    for position in range(4):
        make_expert(competition, name=f"Эксперт{position}")
    run_assignment(competition, secretary)
    for label, (_requested, _residents, sheets, _nomination) in SCENARIO.items():
        for a, b in sheets:
            waiting = (
                ExpertAssignment.objects.active()
                .filter(application=by_label[label])
                .exclude(sheet__status="submitted")
                .order_by("pk")
                .first()
            )
            score(waiting, {"a": a, "b": b})
    return competition, by_label


def numbers(results, by_label):
    label_of = {application.pk: label for label, application in by_label.items()}
    return [label_of[row["application_id"]] for row in results["rows"]]


def test_the_platform_ranks_and_allocates_exactly_as_computed_by_hand_with_skip(competitions_index, secretary):
    competition, by_label = run_scenario(competitions_index, secretary, "skip")
    extra = ExpertAssignment.objects.get(origin=ExpertAssignment.Origin.DIVERGENCE)
    assert extra.application == by_label["P2"]  # 27 and 17,5 differ by 9,5 > 5

    closed = scoring.close(competition, secretary)
    results = closed.results
    assert numbers(results, by_label) == ["P1", "P4", "P3", "P2", "P6", "P5"]
    rows = {row["application_id"]: row for row in results["rows"]}
    final = {label: rows[application.pk]["final_score"] for label, application in by_label.items()}
    assert final == {"P1": "30.75", "P2": "295/12", "P3": "26", "P4": "26", "P5": "10.75", "P6": "24"}
    assert rows[by_label["P2"].pk]["final_score_shown"] == "24.58"
    granted = {label: rows[application.pk]["granted"] for label, application in by_label.items()}
    assert granted == {
        "P1": "285000.00",
        "P2": None,
        "P3": "336000.00",
        "P4": "235000.00",
        "P5": None,
        "P6": "98000.00",
    }
    assert results["pools"] == [
        {"key": "common", "name": "", "fund": "1000000.00", "granted": "954000.00", "remaining": "46000.00"}
    ]
    assert results["passing_line_after"] == 5

    scoring.publish(competition, secretary)
    awarded = {
        label: Application.objects.get(pk=application.pk).award_amount
        for label, application in by_label.items()
        if Application.objects.get(pk=application.pk).status == Application.Status.AWARDED
    }
    assert awarded == {
        "P1": Decimal("285000"),
        "P3": Decimal("336000"),
        "P4": Decimal("235000"),
        "P6": Decimal("98000"),
    }
    assert ScoringRound.objects.get(competition=competition).status == ScoringRound.Status.PUBLISHED


def test_with_stop_the_allocation_ends_at_the_first_project_that_does_not_fit(competitions_index, secretary):
    competition, by_label = run_scenario(competitions_index, secretary, "stop")
    results = scoring.close(competition, secretary).results
    rows = {row["application_id"]: row for row in results["rows"]}
    funded = [label for label, application in by_label.items() if rows[application.pk]["granted"]]
    assert funded == ["P1", "P3", "P4"]
    assert rows[by_label["P6"].pk]["standing"] == "stopped"
    assert results["pools"][0]["remaining"] == "144000.00"
