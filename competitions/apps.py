"""Competitions, applications, expert scoring, ranking and results."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "competitions"
    label = "competitions"
    verbose_name = _("Конкурсы")

    def ready(self):
        from accounts.cabinet import register_section
        from competitions import signals
        from competitions.cabinet import my_competitions
        from competitions.expert_views import expert_section

        signals.connect()
        register_section("competitions/cabinet/section.html", my_competitions, order=30)
        register_section("competitions/expert/section.html", expert_section, order=35)
