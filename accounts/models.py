from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person using the platform; roles are Django groups (see accounts.roles)."""

    middle_name = models.CharField(_("отчество"), max_length=150, blank=True)
    phone = models.CharField(_("телефон"), max_length=32, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")

    def get_full_name(self):
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part).strip()

    @property
    def display_name(self):
        return self.get_full_name() or self.email or self.username
