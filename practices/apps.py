"""Best-practice passports, their importer and the practice library."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    label = "practices"
    verbose_name = _("Лучшие практики")
