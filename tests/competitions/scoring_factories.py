"""Expert review for tests: a scoring sheet, experts with declarations, admitted applications, sent sheets."""

from decimal import Decimal

from competitions import assignment, review, scoring
from competitions.models import ConflictDeclaration, Expert, ExpertTie
from tests.competitions.factories import submitted_application
from tests.factories import UserFactory


def criterion(name, *, id, weight="1", low="0", high="10", step="1", comment_rule="optional", threshold=None, **extra):
    value = {
        "name": name,
        "description": extra.pop("description", ""),
        "code": extra.pop("code", ""),
        "min_score": low,
        "max_score": high,
        "step": step,
        "bands": extra.pop("bands", []),
        "weight": weight,
        "weight_rules": extra.pop("weight_rules", []),
        "comment_rule": comment_rule,
        "comment_threshold": threshold,
    }
    return {"type": "criterion", "id": id, "value": value}


def computed(name, *, id, source, bands, weight="1", answer_code=""):
    """``bands``: (low, high, points) with None for an open end."""
    return {
        "type": "computed_criterion",
        "id": id,
        "value": {
            "name": name,
            "description": "",
            "code": "",
            "source": source,
            "answer_code": answer_code,
            "bands": [
                {
                    "low": None if low is None else str(low),
                    "high": None if high is None else str(high),
                    "points": str(points),
                }
                for low, high, points in bands
            ],
            "weight": weight,
        },
    }


def default_sheet():
    """Two weighted expert criteria, a residents' share criterion and a free-text recommendation."""
    return [
        criterion(
            "Актуальность проблемы",
            id="relevance",
            weight="2",
            bands=[
                {"low": "0", "high": "3", "text": "Проблема не доказана"},
                {"low": "4", "high": "7", "text": "Проблема описана, но без цифр"},
                {"low": "8", "high": "10", "text": "Проблема подтверждена данными и жителями"},
            ],
            comment_rule="at_or_below",
            threshold="3",
        ),
        criterion("Реалистичность сметы", id="budget", weight="1"),
        computed(
            "Софинансирование жителей",
            id="residents",
            source="residents_share",
            bands=[(None, 3, 0), (3, 5, 1), (5, None, 2)],
        ),
        {
            "type": "long_text",
            "id": "recommendation",
            "value": {
                "label": "Рекомендация",
                "help_text": "",
                "required": False,
                "code": "recommendation",
                "max_length": 2000,
            },
        },
    ]


def set_sheet(competition, sheet=None, **settings):
    competition.scoring_sheet = sheet if sheet is not None else default_sheet()
    for name, value in settings.items():
        setattr(competition, name, value)
    competition.save_revision().publish()
    competition.refresh_from_db()
    return competition


def make_expert(competition=None, *, name="Эксперт", declare=True, ties=(), **fields):
    """An expert (with the «Эксперт» role); declared for ``competition`` unless ``declare`` is false.

    ``ties``: (kind, {field: value}) pairs.
    """
    user = UserFactory(roles=["Эксперт"], first_name=name)
    expert = Expert.objects.create(user=user, full_name=fields.pop("full_name", f"{name} {user.pk}"), **fields)
    for kind, values in ties:
        ExpertTie.objects.create(expert=expert, kind=kind, **values)
    if competition is not None and declare:
        ConflictDeclaration.objects.create(expert=expert, competition=competition, statement="Конфликта интересов нет.")
    return expert


def admitted_application(competition, secretary, **fields):
    application = submitted_application(competition, **fields)
    checklist = {row["document_id"]: {"ok": True} for row in review.checklist_for(application)}
    review.decide(application, secretary, decision="admit", checklist=checklist)
    application.refresh_from_db()
    return application


def admitted_tos_application(competition, secretary, tos, **fields):
    """An admitted application of ``tos`` made by a new chair of it."""
    from competitions import applications
    from tests.competitions.factories import fill
    from tests.tos.factories import leader_of

    leader = leader_of(tos)
    draft, _created = applications.start(
        competition,
        leader,
        start_key=f"tos-{tos.pk}-{leader.pk}",
        applicant_type="tos",
        tos=tos,
        title=fields.pop("title", "Сквер у школы"),
        **fields,
    )
    fill(draft)
    applications.submit(draft, leader)
    checklist = {row["document_id"]: {"ok": True} for row in review.checklist_for(draft)}
    review.decide(draft, secretary, decision="admit", checklist=checklist)
    draft.refresh_from_db()
    return draft


def score(assignment_, scores, *, comments=None, submit=True, **answers):
    """Fill and (by default) send an expert's sheet: ``scores`` maps criterion id → score text."""
    user = assignment_.expert.user
    sheet = scoring.sheet_for(assignment_, user)
    posted = dict(scores)
    for key, text in (comments or {}).items():
        posted[f"{key}-comment"] = text
    posted.update(answers)
    return scoring.save_sheet(sheet, user, posted, submit=submit)


def run_assignment(competition, secretary):
    scoring_round, created = assignment.assign_automatically(competition, secretary)
    return scoring_round, created


def money(value):
    return Decimal(str(value))
