"""The «ТОС» menu of the admin: registration requests, memberships, invitations, activity areas."""

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn, UpdatedAtColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from tos import admin_views
from tos.admin_forms import InvitationForm, MembershipForm
from tos.models import ActivityArea, RegistrationRequest, TOSInvitation, TOSMembership


class RegistrationRequestViewSet(ModelViewSet):
    """Requests are read and decided here, never edited or deleted: the decision is part of their history."""

    model = RegistrationRequest
    name = "tos_requests"
    url_prefix = "tos/requests"
    icon = "mail"
    menu_label = _("Заявки на регистрацию")
    index_view_class = admin_views.RequestIndexView
    inspect_view_class = admin_views.RequestInspectView
    inspect_view_enabled = True
    list_display = [
        "name",
        "municipality",
        Column("status", label=_("Статус"), accessor="get_status_display", sort_key="status"),
        admin_views.person_column("applicant", _("Заявитель")),
        DateColumn("created_at", label=_("Подана")),
    ]
    list_filter = ["status", "municipality"]
    ordering = "-created_at"
    search_fields = ["name", "leader_name", "leader_email", "settlement"]
    inspect_view_fields = [
        "name",
        "municipality",
        "settlement",
        "boundaries_text",
        "founded_at",
        "charter_registered_at",
        "residents_count",
        "leader_name",
        "leader_email",
        "leader_phone",
        "comment",
        "applicant",
        "created_at",
        "status",
        "decision_comment",
        "decided_by",
        "decided_at",
        "profile",
    ]

    @cached_property
    def permission_policy(self):
        return admin_views.LimitedPermissionPolicy(self.model, refused={"add", "change", "delete"})

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            accept_url_name=self.get_url_name("accept"), reject_url_name=self.get_url_name("reject"), **kwargs
        )

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(
            accept_url_name=self.get_url_name("accept"), reject_url_name=self.get_url_name("reject"), **kwargs
        )

    def get_urlpatterns(self):
        decision_kwargs = {
            "index_url_name": self.get_url_name("index"),
            "inspect_url_name": self.get_url_name("inspect"),
        }
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("accept/<int:pk>/", admin_views.AcceptRequestView.as_view(**decision_kwargs), name="accept"),
            path("reject/<int:pk>/", admin_views.RejectRequestView.as_view(**decision_kwargs), name="reject"),
        ]


class MembershipViewSet(ModelViewSet):
    """Memberships end (``ended_on``) instead of being deleted; every change is in their history."""

    model = TOSMembership
    name = "tos_memberships"
    url_prefix = "tos/memberships"
    icon = "group"
    menu_label = _("Участники ТОС")
    index_view_class = admin_views.MembershipIndexView
    add_view_class = admin_views.MembershipCreateView
    edit_view_class = admin_views.MembershipEditView
    inspect_view_class = admin_views.MembershipInspectView
    inspect_view_enabled = True
    filterset_class = admin_views.MembershipFilterSet
    copy_view_enabled = False
    list_display = [
        "user",
        "tos",
        "role",
        Column(
            "can_edit_profile",
            label=_("Может править профиль"),
            accessor=lambda membership: _("да") if membership.lets_edit else _("нет"),
        ),
        "started_on",
        "ended_on",
    ]
    ordering = ["tos__title", "role"]
    search_fields = ["user__email", "user__last_name", "tos__title"]

    @cached_property
    def permission_policy(self):
        return admin_views.LimitedPermissionPolicy(self.model, refused={"delete"})

    def get_form_class(self, for_update=False):
        return MembershipForm

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(add_item_label=_("Добавить участника"), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(history_url_name=self.get_url_name("history"), **kwargs)

    def get_urlpatterns(self):
        # The history of a membership is its simple_history records, not Wagtail's log of admin actions.
        history = admin_views.MembershipHistoryView.as_view(
            permission_policy=self.permission_policy,
            index_url_name=self.get_url_name("index"),
            edit_url_name=self.get_url_name("edit"),
            inspect_url_name=self.get_url_name("inspect"),
        )
        return [
            *(pattern for pattern in super().get_urlpatterns() if pattern.name not in {"history", "history_results"}),
            path("history/<int:pk>/", history, name="history"),
        ]


class InvitationViewSet(ModelViewSet):
    """An invitation is sent once and stays as sent: it is neither edited nor deleted."""

    model = TOSInvitation
    name = "tos_invitations"
    url_prefix = "tos/invitations"
    icon = "mail"
    menu_label = _("Приглашения")
    index_view_class = admin_views.InvitationIndexView
    add_view_class = admin_views.InvitationCreateView
    inspect_view_class = admin_views.InvitationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = admin_views.InvitationFilterSet
    list_display = [
        "email",
        "tos",
        "role",
        Column("state", label=_("Принято"), accessor=admin_views.invitation_state),
        admin_views.person_column("invited_by", _("Пригласил")),
        DateColumn("created_at", label=_("Отправлено")),
    ]
    ordering = "-created_at"
    search_fields = ["email", "tos__title"]
    inspect_view_fields = ["tos", "email", "role", "invited_by", "created_at", "accepted_at", "membership"]

    @cached_property
    def permission_policy(self):
        return admin_views.LimitedPermissionPolicy(self.model, refused={"change", "delete"})

    def get_form_class(self, for_update=False):
        return InvitationForm

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(add_item_label=_("Пригласить"), **kwargs)


class ActivityAreaViewSet(SnippetViewSet):
    model = ActivityArea
    icon = "tag"
    menu_label = _("Направления деятельности")
    menu_item_is_registered = True  # shown in the «ТОС» menu, not among the snippets
    list_display = ["name", "description", "sort_order", UpdatedAtColumn()]
    ordering = ["sort_order", "name"]
    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("sort_order")]


class TOSAdminGroup(ViewSetGroup):
    menu_label = _("ТОС")
    menu_name = "tos"
    menu_icon = "group"
    menu_order = 260
    items = (RegistrationRequestViewSet, MembershipViewSet, InvitationViewSet, ActivityAreaViewSet)


register_snippet(TOSAdminGroup)
