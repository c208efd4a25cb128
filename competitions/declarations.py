"""Declarations of no conflict of interest: the text an expert signs, with the ties they had declared then.

The cabinet, the API and the demo all sign through ``sign``, so the signed text and the snapshot of ties are the
same whichever way the expert signs.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from competitions.applications import Refused
from competitions.models import ConflictDeclaration, Expert, ScoringRound


def statement_text(expert, competition):
    """The text the expert signs; it is stored with the signature, so later edits of this wording change nothing."""
    return _(
        "Я, %(name)s, заявляю, что при оценке заявок конкурса «%(competition)s» у меня нет конфликта интересов: "
        "я не являюсь заявителем, не состою в ТОС и организациях-заявителях и не связан(а) с заявителями родством, "
        "работой или иной зависимостью, кроме связей, перечисленных в этой декларации. Если я узнаю о такой связи с "
        "заявителем назначенной мне заявки, я возьму самоотвод до оценки. Я не сообщаю свои оценки третьим лицам "
        "до публикации итогов."
    ) % {"name": expert.full_name, "competition": competition.title}


def ties_of(expert):
    return list(expert.ties.select_related("tos", "municipality").order_by("declared_at", "pk"))


def ties_snapshot(ties):
    """The declared ties as they were at the signature (names kept as text: the record must read the same later)."""
    return [
        {
            "kind": tie.kind,
            "kind_label": str(tie.get_kind_display()),
            "tos_id": tie.tos_id,
            "tos": tie.tos.title if tie.tos_id else "",
            "municipality_id": tie.municipality_id,
            "municipality": str(tie.municipality) if tie.municipality_id else "",
            "organisation": tie.organisation,
            "description": tie.description,
            "declared_at": tie.declared_at.isoformat(),
        }
        for tie in ties
    ]


def sign(expert, competition, user):
    """Sign once per competition: returns (declaration, created); a repeated signature returns the first one.

    Refused (409) once the competition's scoring is closed: no expert can be assigned there any more.
    """
    with transaction.atomic():
        Expert.objects.select_for_update().get(pk=expert.pk)  # one signature at a time per expert
        existing = ConflictDeclaration.objects.filter(expert=expert, competition=competition).first()
        if existing is not None:
            return existing, False
        scoring_round = ScoringRound.objects.filter(competition=competition).first()
        if scoring_round is not None and not scoring_round.is_open:
            raise Refused(_("Экспертиза этого конкурса завершена: декларацию подписывать уже не нужно."), status=409)
        declaration = ConflictDeclaration(
            expert=expert,
            competition=competition,
            statement=statement_text(expert, competition),
            ties_declared=ties_snapshot(ties_of(expert)),
        )
        declaration._history_user = user
        try:
            with transaction.atomic():
                declaration.save()
        except IntegrityError:  # signed at the same moment in another tab or through the API
            return ConflictDeclaration.objects.get(expert=expert, competition=competition), False
    return declaration, True
