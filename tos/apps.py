"""TOS profiles, directory and leaders' self-service."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TosConfig(AppConfig):
    name = "tos"
    label = "tos"
    verbose_name = _("ТОС")

    def ready(self):
        from accounts.cabinet import register_section
        from forms.choice_sources import register_tos_source
        from tos import signals  # noqa: F401 - applies invitations when an address is confirmed
        from tos.cabinet import my_tos
        from tos.models import TOSProfilePage

        register_tos_source(
            queryset=lambda: TOSProfilePage.objects.live().select_related("municipality").order_by("title"),
            label=lambda page: f"{page.title} ({page.municipality})",
            api_url_name="api-tos-list",
        )
        register_section("tos/cabinet/section.html", my_tos, order=20)
