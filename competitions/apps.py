"""Competitions, applications, expert scoring, ranking and results."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "competitions"
    label = "competitions"
    verbose_name = _("Конкурсы")
