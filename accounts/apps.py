"""Users, platform roles and the personal cabinet.

Kept apart from ``website`` because the user model must not depend on Wagtail's migrations,
which themselves depend on the user model.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Пользователи и роли")
