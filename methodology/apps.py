"""Methodological standard, typical solutions, process router, checklists, prices."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MethodologyConfig(AppConfig):
    name = "methodology"
    label = "methodology"
    verbose_name = _("Методология")
