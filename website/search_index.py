"""The site's own page types in the platform search (see search.registry)."""

from django.utils.translation import gettext_lazy as _

from search.registry import register
from website.models import ContentPage, HomePage

register(HomePage, label=_("Главная страница"), summary_fields=["summary", "lead"], body_fields=["body"])
register(ContentPage, label=_("Страница"), summary_fields=["summary"], body_fields=["body"])
