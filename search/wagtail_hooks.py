from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from search.admin_views import SearchQueriesReport


@hooks.register("register_admin_urls")
def register_search_report_url():
    return [path("reports/search-queries/", SearchQueriesReport.as_view(), name="search_queries_report")]


@hooks.register("register_reports_menu_item")
def register_search_report_menu_item():
    return MenuItem(_("Запросы посетителей"), reverse("search_queries_report"), icon_name="search", order=900)


@hooks.register("construct_reports_menu")
def hide_wagtail_search_terms_report(request, menu_items):
    """Wagtail's own search-terms report counts Wagtail's search; the site's search is counted in ours."""
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]
