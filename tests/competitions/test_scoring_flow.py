"""The expert review from assignment to published result, through the services."""

from decimal import Decimal

import pytest

from competitions import assignment, scoring
from competitions.applications import Refused
from competitions.models import Application, ExpertAssignment, ScoreSheet, ScoringRound
from tests.competitions.scoring_factories import admitted_application, make_expert, run_assignment, score, set_sheet
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary():
    return UserFactory(roles=["Секретарь конкурса"])


def test_assign_score_close_publish(competition, secretary):
    set_sheet(competition, experts_per_application=2, passing_score=Decimal("10"))
    applications = [admitted_application(competition, secretary, title=f"Проект {n}") for n in range(3)]
    experts = [make_expert(competition, name=f"Эксперт{n}") for n in range(3)]
    scoring_round, created = run_assignment(competition, secretary)
    assert len(created) == 6
    loads = sorted(sum(1 for item in created if item.expert == expert) for expert in experts)
    assert loads == [2, 2, 2]
    for item in created:
        score(item, {"relevance": "8", "budget": "6"})
    closed = scoring.close(competition, secretary)
    assert closed.status == ScoringRound.Status.CLOSED
    rows = closed.results["rows"]
    assert [row["final_score"] for row in rows] == [
        "23",
        "23",
        "23",
    ]  # 8×2 + 6×1, plus 1 point for a 3 % residents share
    scoring.publish(competition, secretary)
    assert Application.objects.filter(pk__in=[a.pk for a in applications], status="awarded").count() == 3
    assert ScoreSheet.objects.filter(status="submitted").count() == 6
    assert ExpertAssignment.history.count() == 6
