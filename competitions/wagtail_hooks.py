"""The «Конкурсы» menu of the admin: applications, the expert pool and the expert review for the secretary, kinds of
competitions, e-mail templates."""

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, UpdatedAtColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from competitions import admin_views
from competitions.expert_admin import ExpertTieViewSet, ExpertViewSet
from competitions.models import Application, CompetitionKind, NotificationTemplate
from competitions.scoring_admin import ScoringViewSet
from tos.admin_views import LimitedPermissionPolicy


class ApplicationViewSet(ModelViewSet):
    """Submitted applications, read-only: they change through the applicant's versions and the secretary's
    decisions, never by editing the record."""

    model = Application
    name = "competition_applications"
    url_prefix = "competitions/applications"
    icon = "clipboard-list"
    menu_label = _("Заявки")
    index_view_class = admin_views.ApplicationIndexView
    index_results_template_name = "competitions/admin/application_index_results.html"
    inspect_view_class = admin_views.ApplicationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = admin_views.ApplicationFilterSet
    list_display = [
        "number",
        Column("title", label=_("Проект"), sort_key="title"),
        Column("applicant_name", label=_("Заявитель")),
        Column("competition", label=_("Конкурс"), accessor=lambda application: application.competition.title),
        Column("status", label=_("Статус"), accessor="get_status_display", sort_key="status"),
        DateColumn("submitted_at", label=_("Подана"), sort_key="submitted_at"),
        Column("latest_version_number", label=_("Версия"), sort_key="latest_version_number"),
    ]
    ordering = "-submitted_at"
    search_fields = ["number", "title", "group_name", "tos__title"]

    @cached_property
    def permission_policy(self):
        return LimitedPermissionPolicy(self.model, refused={"add", "change", "delete"})

    def get_urlpatterns(self):
        decision_kwargs = {
            "model": self.model,
            "permission_policy": self.permission_policy,
            "index_url_name": self.get_url_name("index"),
            "header_icon": self.icon,
        }
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("inspect/<int:pk>/decide/", admin_views.DecideView.as_view(**decision_kwargs), name="decide"),
            path("inspect/<int:pk>/award/", admin_views.AwardView.as_view(**decision_kwargs), name="award"),
            path(
                "inspect/<int:pk>/reports/<int:report_pk>/",
                admin_views.ReportReviewView.as_view(**decision_kwargs),
                name="report_review",
            ),
            path(
                "export/<int:competition_id>/",
                admin_views.ExportView.as_view(permission_policy=self.permission_policy),
                name="export",
            ),
        ]


class CompetitionKindViewSet(SnippetViewSet):
    """Kinds of competitions; methodologists add them (the number prefix of a kind starts its applications' numbers)."""

    model = CompetitionKind
    icon = "tag"
    menu_label = _("Виды конкурсов")
    menu_item_is_registered = True  # shown in the «Конкурсы» menu, not among the snippets
    list_display = ["name", "number_prefix", UpdatedAtColumn()]
    ordering = ["name"]
    copy_view_enabled = False


class NotificationTemplateViewSet(SnippetViewSet):
    """One template per event: edited, never added or deleted (a letter without its template would not be sent)."""

    model = NotificationTemplate
    icon = "mail"
    menu_label = _("Шаблоны писем")
    menu_item_is_registered = True
    list_display = ["__str__", "subject", UpdatedAtColumn()]
    ordering = ["event"]
    copy_view_enabled = False

    @cached_property
    def permission_policy(self):
        return LimitedPermissionPolicy(self.model, refused={"add", "delete"})


class CompetitionsAdminGroup(ViewSetGroup):
    menu_label = _("Конкурсы")
    menu_name = "competitions"
    menu_icon = "calendar-check"
    menu_order = 270
    items = (ApplicationViewSet, ExpertViewSet, ScoringViewSet, CompetitionKindViewSet, NotificationTemplateViewSet)


register_snippet(CompetitionsAdminGroup)


@hooks.register("register_admin_viewset")
def register_expert_ties():
    """Experts' ties are reached from the expert's page, so they have no menu item of their own."""
    return ExpertTieViewSet()
