"""TOS profiles, directory and leaders' self-service."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TosConfig(AppConfig):
    name = "tos"
    label = "tos"
    verbose_name = _("ТОС")
