"""Forms and surveys in the platform search: found by their title, introduction and questions."""

from django.utils.translation import gettext_lazy as _

from forms.models import FormPage, SurveyPage
from search.registry import register

register(FormPage, label=_("Форма"), summary_fields=["summary", "intro"], body_fields=["fields"])
register(SurveyPage, label=_("Опрос"), summary_fields=["summary", "intro"], body_fields=["fields"])
