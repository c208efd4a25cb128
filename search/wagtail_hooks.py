from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem

from search.admin_views import SearchQueriesReport


@hooks.register("register_admin_urls")
def register_search_report_url():
    return [path("reports/search-queries/", SearchQueriesReport.as_view(), name="search_queries_report")]


@hooks.register("register_reports_menu_item")
def register_search_report_menu_item():
    return AdminOnlyMenuItem(_("Поисковые запросы"), reverse("search_queries_report"), icon_name="search", order=900)
