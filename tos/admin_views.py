"""The moderators' TOS admin: deciding registration requests, memberships with their history, invitations."""

import datetime

import django_filters
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from simple_history.models import DeletedObject
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.coreutils import string_to_ascii
from wagtail.log_actions import log
from wagtail.models import Locale
from wagtail.permission_policies import ModelPermissionPolicy

from accounts.roles import TOS_LEADER
from tos.admin_forms import AcceptForm, RejectForm, person_label
from tos.invitations import invite
from tos.models import MembershipRole, RegistrationRequest, TOSIndexPage, TOSInvitation, TOSMembership, TOSProfilePage
from tos.registration_views import absolute_url, request_status_url, send_notice

HISTORY_ACTIONS = {"+": _("создание"), "~": _("изменение"), "-": _("удаление")}


class LimitedPermissionPolicy(ModelPermissionPolicy):
    """Model permissions without the actions nobody may take here, superusers included (records with legal weight)."""

    def __init__(self, model, refused=()):
        super().__init__(model)
        self.refused = frozenset(refused)

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action not in self.refused])


# History -----------------------------------------------------------------------------------------------------------


def display_value(field, value):
    if isinstance(value, DeletedObject):
        if value.pk is None:  # simple_history reports an empty foreign key this way
            return "—"
        return gettext("удалённая запись № %(pk)s") % {"pk": value.pk}
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("да") if value else gettext("нет")
    if isinstance(value, datetime.datetime):
        return local_datetime(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if hasattr(value, "get_full_name"):
        return person_label(value)
    return str(value)


def local_datetime(value):
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else "—"


def membership_label(membership):
    return f"{person_label(membership.user)}: {membership.get_role_display()}, {membership.tos.title}"


def person_column(name, label):
    """A listing column naming a user by e-mail and name (their username means nothing to a moderator)."""

    def accessor(instance):
        user = getattr(instance, name)
        return person_label(user) if user else "—"

    return Column(name, label=label, accessor=accessor, sort_key=f"{name}__email")


def record_value(record, field):
    try:
        return getattr(record, field.name)
    except ObjectDoesNotExist:  # the related row is gone; the record keeps only its key
        return DeletedObject(field.related_model, getattr(record, field.attname))


def history_rows(instance, field_names):
    """The simple_history records of ``instance``, newest first, each with its changes as (field, old, new)."""
    fields = {name: instance._meta.get_field(name) for name in field_names}
    records = list(instance.history.select_related("history_user").order_by("history_date", "history_id"))
    rows, previous = [], None
    for record in records:
        if previous is None:
            initial = {name: record_value(record, field) for name, field in fields.items()}
            changes = [
                (capfirst(field.verbose_name), None, display_value(field, initial[name]))
                for name, field in fields.items()
                if initial[name] not in (None, "")
            ]
        else:
            delta = record.diff_against(previous, included_fields=field_names, foreign_keys_are_objs=True)
            changes = [
                (
                    capfirst(fields[change.field].verbose_name),
                    display_value(fields[change.field], change.old),
                    display_value(fields[change.field], change.new),
                )
                for change in delta.changes
            ]
        rows.append({"record": record, "action": HISTORY_ACTIONS.get(record.history_type, ""), "changes": changes})
        previous = record
    rows.reverse()
    return rows


# Registration requests ---------------------------------------------------------------------------------------------


class DecisionRefused(Exception):
    def __init__(self, message, status=409):
        super().__init__(message)
        self.message = message
        self.status = status


def directory_page():
    return TOSIndexPage.objects.filter(locale=Locale.get_default()).first()


def free_slug(parent, title):
    base = slugify(string_to_ascii(title))[:200].strip("-") or "tos"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, suffix = base, 1
    while slug in taken:
        suffix += 1
        slug = f"{base}-{suffix}"
    return slug


def locked_open_request(pk):
    registration_request = (
        RegistrationRequest.objects.select_for_update().select_related("applicant", "municipality").get(pk=pk)
    )
    if registration_request.status != RegistrationRequest.Status.NEW:
        raise DecisionRefused(
            _("Заявка уже рассмотрена (%(status)s): второе решение принять нельзя.")
            % {"status": registration_request.get_status_display()}
        )
    return registration_request


def profile_errors(error):
    parts = []
    by_field = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
    for name, messages_ in by_field:
        try:
            label = capfirst(TOSProfilePage._meta.get_field(name).verbose_name) if name else ""
        except FieldDoesNotExist:  # NON_FIELD_ERRORS
            label = ""
        parts.extend(f"«{label}»: {message}" if label else message for message in messages_)
    return _(
        "Профиль ТОС не создан: данные заявки не проходят проверку — %(errors)s Отклоните заявку с этим "
        "объяснением, чтобы заявитель подал исправленную."
    ) % {"errors": " ".join(parts)}


def accept_request(pk, moderator, comment=""):
    """Create a draft profile from the request, invite its leader as chair, record the decision; all or nothing."""
    with transaction.atomic():
        registration_request = locked_open_request(pk)
        index = directory_page()
        if index is None:
            raise DecisionRefused(
                _(
                    "Профиль ТОС создать негде: на сайте нет страницы «Реестр ТОС». Создайте её под главной страницей "
                    "и примите заявку снова."
                )
            )
        profile = TOSProfilePage(
            title=registration_request.name,
            slug=free_slug(index, registration_request.name),
            municipality=registration_request.municipality,
            settlement=registration_request.settlement,
            boundaries_text=registration_request.boundaries_text,
            founded_at=registration_request.founded_at,
            charter_registered_at=registration_request.charter_registered_at,
            residents_count=registration_request.residents_count,
            chair_name=registration_request.leader_name,
            live=False,
            owner=moderator,
        )
        try:
            index.add_child(instance=profile)  # a draft is checked in full only when its revision is saved
            profile.save_revision(user=moderator)
        except ValidationError as error:
            raise DecisionRefused(profile_errors(error), status=400) from error
        log(instance=profile, action="wagtail.create", user=moderator, content_changed=True)
        registration_request.status = RegistrationRequest.Status.ACCEPTED
        registration_request.decided_by = moderator
        registration_request.decided_at = timezone.now()
        registration_request.decision_comment = comment
        registration_request.profile = profile
        registration_request.save()
        invitation = invite(profile, registration_request.leader_email, MembershipRole.CHAIR, moderator)
    tell_applicant(registration_request)
    return registration_request, invitation


def reject_request(pk, moderator, comment):
    with transaction.atomic():
        registration_request = locked_open_request(pk)
        registration_request.status = RegistrationRequest.Status.REJECTED
        registration_request.decided_by = moderator
        registration_request.decided_at = timezone.now()
        registration_request.decision_comment = comment
        registration_request.save()
    tell_applicant(registration_request)
    return registration_request


def tell_applicant(registration_request):
    with translation.override(settings.LANGUAGE_CODE):
        params = {
            "name": registration_request.name,
            "email": registration_request.leader_email,
            "comment": registration_request.decision_comment,
            "link": request_status_url(registration_request),
            "form": absolute_url(reverse("tos_registration:request")),
        }
        if registration_request.status == RegistrationRequest.Status.ACCEPTED:
            subject = gettext("Заявка на регистрацию ТОС «%(name)s» принята") % params
            body = (
                gettext(
                    "Здравствуйте!\n\nМодератор принял вашу заявку: профиль ТОС «%(name)s» создан. "
                    "Приглашение вести его отправлено председателю на %(email)s. "
                    "В реестре профиль появится после проверки модератором.\n"
                )
                % params
            )
            if registration_request.decision_comment:
                body += "\n" + gettext("Комментарий модератора: %(comment)s\n") % params
        else:
            subject = gettext("Заявка на регистрацию ТОС «%(name)s» отклонена") % params
            body = (
                gettext(
                    "Здравствуйте!\n\nМодератор отклонил вашу заявку на регистрацию ТОС «%(name)s».\n\n"
                    "Причина: %(comment)s\n\nИсправьте заявку и подайте её снова: %(form)s\n"
                )
                % params
            )
        body += "\n" + gettext("Статус заявки: %(link)s\n") % params
    send_notice(subject, body, [registration_request.applicant.email])


class RequestIndexView(generic.IndexView):
    accept_url_name = None
    reject_url_name = None

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("municipality", "applicant")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == RegistrationRequest.Status.NEW and self.request.user.has_perm(
            "tos.change_registrationrequest"
        ):
            buttons += [
                MenuItem(
                    _("Принять"), reverse(self.accept_url_name, args=[instance.pk]), icon_name="check", priority=5
                ),
                MenuItem(
                    _("Отклонить"), reverse(self.reject_url_name, args=[instance.pk]), icon_name="cross", priority=6
                ),
            ]
        return buttons


REQUEST_HISTORY_FIELDS = ["status", "decision_comment", "decided_by", "decided_at", "profile"]


class RequestInspectView(generic.InspectView):
    template_name = "tos/admin/request_inspect.html"
    accept_url_name = None
    reject_url_name = None

    @cached_property
    def header_buttons(self):
        registration_request = self.object
        if registration_request.status == RegistrationRequest.Status.NEW:
            if not self.request.user.has_perm("tos.change_registrationrequest"):
                return []
            return [
                HeaderButton(
                    _("Принять"), url=reverse(self.accept_url_name, args=[registration_request.pk]), icon_name="check"
                ),
                HeaderButton(
                    _("Отклонить"), url=reverse(self.reject_url_name, args=[registration_request.pk]), icon_name="cross"
                ),
            ]
        if registration_request.profile_id:
            return [
                HeaderButton(
                    _("Профиль ТОС"),
                    url=reverse("wagtailadmin_pages:edit", args=[registration_request.profile_id]),
                    icon_name="edit",
                )
            ]
        return []

    def get_applicant_display_value(self):
        return person_label(self.object.applicant)

    def get_decided_by_display_value(self):
        return person_label(self.object.decided_by) if self.object.decided_by else "—"

    def get_created_at_display_value(self):
        return local_datetime(self.object.created_at)

    def get_decided_at_display_value(self):
        return local_datetime(self.object.decided_at)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = history_rows(self.object, REQUEST_HISTORY_FIELDS)
        return context


class RequestDecisionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirm (GET) and take (POST) a decision on a registration request; only a new request can be decided."""

    permission_policy = ModelPermissionPolicy(RegistrationRequest)
    permission_required = "change"
    template_name = "tos/admin/request_decision.html"
    header_icon = "tasks"
    index_url_name = None
    inspect_url_name = None
    form_class = None
    decision = ""
    submit_label = ""

    def get_object(self):
        return get_object_or_404(
            RegistrationRequest.objects.select_related("municipality", "applicant"), pk=self.kwargs["pk"]
        )

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": capfirst(RegistrationRequest._meta.verbose_name_plural)},
            {"url": reverse(self.inspect_url_name, args=[quote(self.object.pk)]), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "object": self.object,
                "is_open": self.object.status == RegistrationRequest.Status.NEW,
                "inspect_url": reverse(self.inspect_url_name, args=[quote(self.object.pk)]),
                "decision": self.decision,
                "submit_label": self.submit_label,
            }
        )
        return context

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(form=self.form_class()))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            return self.decide(form.cleaned_data["comment"])
        except DecisionRefused as refusal:
            self.object.refresh_from_db()
            return self.render_to_response(
                self.get_context_data(form=form, refusal=refusal.message), status=refusal.status
            )


class AcceptRequestView(RequestDecisionView):
    page_title = _("Принять заявку")
    form_class = AcceptForm
    decision = "accept"
    submit_label = _("Принять и создать профиль")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["index"] = directory_page()
        context["leader_account"] = (
            EmailAddress.objects.filter(email__iexact=self.object.leader_email, verified=True)
            .select_related("user")
            .first()
        )
        return context

    def decide(self, comment):
        registration_request, invitation = accept_request(self.object.pk, self.request.user, comment)
        if invitation.accepted_at:
            joined = _("%(email)s уже зарегистрирован на платформе и назначен председателем.")
        else:
            joined = _("Приглашение отправлено на %(email)s: председатель получит доступ, когда подтвердит адрес.")
        messages.success(
            self.request,
            _("Заявка принята: создан черновик профиля «%(name)s». Проверьте и дополните его, затем опубликуйте.")
            % {"name": registration_request.name}
            + " "
            + joined % {"email": invitation.email},
        )
        return redirect("wagtailadmin_pages:edit", registration_request.profile_id)


class RejectRequestView(RequestDecisionView):
    page_title = _("Отклонить заявку")
    form_class = RejectForm
    decision = "reject"
    submit_label = _("Отклонить заявку")

    def decide(self, comment):
        registration_request = reject_request(self.object.pk, self.request.user, comment)
        messages.success(
            self.request,
            _("Заявка «%(name)s» отклонена; заявителю отправлено письмо с причиной.")
            % {"name": registration_request.name},
        )
        return redirect(self.index_url_name)


# Memberships -------------------------------------------------------------------------------------------------------


class MembershipFilterSet(WagtailFilterSet):
    tos = django_filters.ModelChoiceFilter(queryset=TOSProfilePage.objects.order_by("title"), label=_("ТОС"))
    role = django_filters.ChoiceFilter(choices=MembershipRole.choices, label=_("Роль"))
    state = django_filters.ChoiceFilter(
        label=_("Участие"),
        choices=[("active", _("продолжается")), ("ended", _("завершено"))],
        method="filter_state",
    )

    class Meta:
        model = TOSMembership
        fields = ["tos", "role"]

    def filter_state(self, queryset, name, value):
        if value == "active":
            return queryset.active()
        return queryset.filter(ended_on__lte=timezone.localdate())


def ensure_leader_role(membership):
    """A chair works as «Лидер ТОС»: the role opens the leader's pages of the cabinet."""
    if membership.role == MembershipRole.CHAIR and membership.is_active:
        membership.user.groups.add(Group.objects.get(name=TOS_LEADER))


class StatusOn400Mixin:
    """An invalid form comes back with 400, like the rest of the platform's bad input."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class MembershipIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("tos", "tos__municipality", "user")

    @cached_property
    def columns(self):
        columns = super().columns
        columns[0].accessor = lambda membership: person_label(membership.user)
        columns[0].sort_key = "user__email"
        return columns


class MembershipCreateView(StatusOn400Mixin, generic.CreateView):
    def save_instance(self):
        membership = super().save_instance()
        ensure_leader_role(membership)
        return membership

    def get_success_message(self, instance):
        return _("Участие добавлено: %(membership)s.") % {"membership": membership_label(instance)}


class MembershipEditView(StatusOn400Mixin, generic.EditView):
    def get_page_subtitle(self):
        return membership_label(self.object)

    def save_instance(self):
        membership = super().save_instance()
        ensure_leader_role(membership)
        return membership

    def get_success_message(self):
        return _("Участие изменено: %(membership)s.") % {"membership": membership_label(self.object)}


class MembershipInspectView(generic.InspectView):
    history_url_name = None

    def get_page_subtitle(self):
        return membership_label(self.object)

    def get_user_display_value(self):
        return person_label(self.object.user)

    @cached_property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(_("История"), url=reverse(self.history_url_name, args=[quote(self.object.pk)]), icon_name="history"),
        ]


MEMBERSHIP_HISTORY_FIELDS = ["tos", "user", "role", "can_edit_profile", "started_on", "ended_on", "note"]


class MembershipHistoryView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Who changed a membership, when, what (old → new) and why: the simple_history records."""

    any_permission_required = ["add", "change", "view"]
    template_name = "tos/admin/membership_history.html"
    page_title = _("История")
    header_icon = "history"
    model = TOSMembership
    permission_policy = None
    index_url_name = None
    edit_url_name = None
    inspect_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(TOSMembership.objects.select_related("tos", "user"), pk=kwargs["pk"])

    def get_page_subtitle(self):
        return membership_label(self.object)

    def get_breadcrumbs_items(self):
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            object_url = reverse(self.edit_url_name, args=[quote(self.object.pk)])
        else:
            object_url = reverse(self.inspect_url_name, args=[quote(self.object.pk)])
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": capfirst(TOSMembership._meta.verbose_name_plural)},
            {"url": object_url, "label": self.get_page_subtitle()},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["history"] = history_rows(self.object, MEMBERSHIP_HISTORY_FIELDS)
        return context


# Invitations -------------------------------------------------------------------------------------------------------


class InvitationFilterSet(WagtailFilterSet):
    tos = django_filters.ModelChoiceFilter(queryset=TOSProfilePage.objects.order_by("title"), label=_("ТОС"))
    state = django_filters.ChoiceFilter(
        label=_("Состояние"),
        choices=[("accepted", _("принято")), ("pending", _("ждёт подтверждения адреса"))],
        method="filter_state",
    )

    class Meta:
        model = TOSInvitation
        fields = ["tos", "role"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(accepted_at__isnull=value != "accepted")


def invitation_state(invitation):
    if invitation.accepted_at:
        return _("принято %(date)s") % {"date": timezone.localtime(invitation.accepted_at).strftime("%d.%m.%Y")}
    return _("ждёт подтверждения адреса")


class InvitationIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("tos", "invited_by")


class InvitationInspectView(generic.InspectView):
    def get_field_label(self, field_name, field):
        if field_name == "membership":
            return _("Участие в ТОС")
        return super().get_field_label(field_name, field)

    def get_invited_by_display_value(self):
        return person_label(self.object.invited_by) if self.object.invited_by else "—"

    def get_created_at_display_value(self):
        return local_datetime(self.object.created_at)

    def get_accepted_at_display_value(self):
        return local_datetime(self.object.accepted_at) if self.object.accepted_at else invitation_state(self.object)

    def get_membership_display_value(self):
        return membership_label(self.object.membership) if self.object.membership else "—"


class InvitationCreateView(StatusOn400Mixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        invitation = invite(data["tos"], data["email"], data["role"], self.request.user)
        log(instance=invitation, action="wagtail.create", content_changed=True)
        return invitation

    def get_success_message(self, instance):
        if instance.accepted_at:
            return _("%(email)s уже зарегистрирован на платформе: добавлен в ТОС «%(tos)s».") % {
                "email": instance.email,
                "tos": instance.tos.title,
            }
        return _(
            "Приглашение отправлено на %(email)s: участие в ТОС «%(tos)s» начнётся, когда человек "
            "зарегистрируется и подтвердит адрес."
        ) % {"email": instance.email, "tos": instance.tos.title}

    def get_success_buttons(self):
        return []
