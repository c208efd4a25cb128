"""The database search index: one row per published public document, its facet values, and query statistics."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexEntry(models.Model):
    """A document of the database backend. On SQLite its stemmed text also lives in an FTS5 table
    (``search_fts``, rowid = id); on PostgreSQL in ``search_vector`` with weights A–D."""

    key = models.CharField(max_length=100, unique=True)
    locale = models.CharField(max_length=16, db_index=True)
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    rows = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    date = models.DateField(null=True, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only; its GIN index is in migrations

    def __str__(self):
        return self.title


class IndexFacet(models.Model):
    entry = models.ForeignKey(IndexEntry, on_delete=models.CASCADE, related_name="facet_values")
    name = models.CharField(max_length=32)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["name", "value"])]
        constraints = [models.UniqueConstraint(fields=["entry", "name", "value"], name="search_facet_unique")]

    def __str__(self):
        return f"{self.name}={self.value}"


class QueryStat(models.Model):
    """How often a query was asked on a day and how often it found nothing; no user data is kept."""

    query = models.CharField(_("запрос"), max_length=255)
    day = models.DateField(_("день"))
    hits = models.PositiveIntegerField(_("запросов"), default=0)
    zero_results = models.PositiveIntegerField(_("без результатов"), default=0)

    class Meta:
        verbose_name = _("статистика запроса")
        verbose_name_plural = _("статистика запросов")
        constraints = [models.UniqueConstraint(fields=["query", "day"], name="search_querystat_unique")]

    def __str__(self):
        return self.query
