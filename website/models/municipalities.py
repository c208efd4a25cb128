from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin
from wagtail.search import index


class MunicipalityKind(models.TextChoices):
    MUNICIPAL_DISTRICT = "municipal_district", _("муниципальный район")
    MUNICIPAL_OKRUG = "municipal_okrug", _("муниципальный округ")
    URBAN_OKRUG = "urban_okrug", _("городской округ")


class Municipality(RevisionMixin, index.Indexed, models.Model):
    """A top-level municipality of the region; every app refers to this model."""

    short_name = models.CharField(
        _("краткое название"), max_length=100, unique=True, help_text=_("Например: «Боровский», «Калуга».")
    )
    official_name = models.CharField(
        _("официальное название"), max_length=255, help_text=_("Как в уставе муниципального образования.")
    )
    kind = models.CharField(_("вид"), max_length=32, choices=MunicipalityKind.choices)
    centre = models.CharField(_("административный центр"), max_length=100, blank=True)
    oktmo = models.CharField(
        _("код ОКТМО"),
        max_length=11,
        blank=True,
        help_text=_("8 или 11 цифр по классификатору ОКТМО."),
        validators=[RegexValidator(r"^(\d{8}|\d{11})$", _("Код ОКТМО — 8 или 11 цифр без пробелов."))],
    )
    kind_changed_at = models.DateField(
        _("дата смены статуса"), null=True, blank=True, help_text=_("Когда вступил в силу закон о преобразовании.")
    )
    population = models.PositiveIntegerField(
        _("численность населения"),
        null=True,
        blank=True,
        help_text=_("Постоянное население по данным Калугастата: знаменатель охвата жителей ТОС."),
    )
    population_year = models.PositiveSmallIntegerField(
        _("год данных о населении"), null=True, blank=True, help_text=_("На 1 января какого года.")
    )
    note = models.TextField(_("примечание"), blank=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="municipality")

    search_fields = [
        index.SearchField("short_name"),
        index.SearchField("official_name"),
        index.AutocompleteField("short_name"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("муниципальное образование")
        verbose_name_plural = _("муниципальные образования")

    def __str__(self):
        return self.short_name

    @property
    def revisions(self):
        return self._revisions
