"""Competitions in the platform search: rules, stages, nominations, documents and the published winners."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from competitions.models import Application, CompetitionPage
from search.registry import register
from search.service import index_page


def _rows(page):
    rows = [f"{stage.name} {stage.description}" for stage in page.stages.all()]
    rows += [f"{nomination.name} {nomination.description}" for nomination in page.nominations.all()]
    rows += [document.title for document in page.required_documents.all()]
    winners = Application.objects.filter(competition=page, status=Application.Status.AWARDED).select_related("tos")
    rows += [f"{winner.number} {winner.title} {winner.applicant_name}" for winner in winners]
    return rows


def _facets(page):
    return {"year": [str(page.year)]}


def reindex_after_commit(competition_id):
    """The winners are part of the competition's document: index it again once an award commits."""

    def reindex():
        page = CompetitionPage.objects.live().filter(pk=competition_id).first()
        if page is not None:
            index_page(page)

    transaction.on_commit(reindex)


register(
    CompetitionPage,
    label=_("Конкурс"),
    summary_fields=["summary", "organiser", "legal_basis"],
    body_fields=["description", "how_to_apply"],
    rows=_rows,
    facets=_facets,
)
