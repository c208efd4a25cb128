"""One search service over all content, with database and Elasticsearch backends."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = _("Поиск")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from search import signals

        autodiscover_modules("search_index")
        signals.connect()
