"""StreamField form-builder blocks, the form engine, submissions and surveys."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "forms"
    label = "forms"
    verbose_name = _("Конструктор форм")
