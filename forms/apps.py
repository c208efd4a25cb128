"""StreamField form-builder blocks, the form engine, submissions and surveys."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "forms"
    label = "forms"
    verbose_name = _("Конструктор форм")

    def ready(self):
        from accounts.cabinet import register_section
        from forms import signals  # noqa: F401 - connects the form-version signal
        from forms.cabinet import my_forms

        register_section("forms/cabinet_section.html", my_forms, order=50)
