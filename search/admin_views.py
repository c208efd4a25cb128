from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from search.models import QueryStat

PERIOD_DAYS = 30
ROWS = 50


class SearchQueriesReport(WagtailAdminTemplateMixin, TemplateView):
    """Popular and zero-result queries of the last 30 days (only query texts are stored)."""

    template_name = "search/admin/queries_report.html"
    page_title = _("Запросы посетителей")
    header_icon = "search"

    def get_context_data(self, **kwargs):
        since = timezone.localdate() - timedelta(days=PERIOD_DAYS)
        recent = QueryStat.objects.filter(day__gte=since).values("query")
        popular = recent.annotate(total=Sum("hits"), empty=Sum("zero_results")).order_by("-total", "query")[:ROWS]
        zero = recent.annotate(empty=Sum("zero_results")).filter(empty__gt=0).order_by("-empty", "query")[:ROWS]
        return {**super().get_context_data(**kwargs), "popular": popular, "zero": zero, "days": PERIOD_DAYS}
