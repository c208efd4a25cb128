"""TOS profiles in the platform search: found by name, territory, chair, projects and news, faceted by municipality."""

from django.utils.translation import gettext_lazy as _

from search.registry import register
from tos.models import TOSProfilePage


def _rows(page):
    rows = [f"{project.title} {project.year} {project.description}" for project in page.projects.all()]
    rows += [f"{item.title} {item.text}" for item in page.news_items.all()]
    rows += [area.name for area in page.activity_areas.all()]
    return rows


def _facets(page):
    return {"municipality": [page.municipality.short_name]}


register(
    TOSProfilePage,
    label=_("ТОС"),
    summary_fields=["summary", "settlement", "chair_name"],
    body_fields=["about", "boundaries_text"],
    rows=_rows,
    facets=_facets,
)
