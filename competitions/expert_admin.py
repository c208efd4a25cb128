"""The expert pool in the secretary's admin: experts, their declared ties, declarations and assignments.

An expert is a platform user, chosen by e-mail, with a row in the pool; saving one gives the user the «Эксперт» role
(it opens the expert's pages of the cabinet). Ties are edited on pages of their own and listed on the expert's page,
which also shows who changed what and when: the expert, the ties (deleted ones too), declarations and assignments.
"""

from django import forms
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from accounts.roles import EXPERT
from competitions.admin_views import MoscowTimeMixin
from competitions.models import ConflictDeclaration, Expert, ExpertAssignment, ExpertTie
from tos.admin_forms import TOSChoiceField, person_label
from tos.admin_views import HISTORY_ACTIONS, LimitedPermissionPolicy, StatusOn400Mixin, display_value, record_value

# History -----------------------------------------------------------------------------------------------------------


def history_of(records, field_names, subject, reason=None):
    """simple_history records of many objects of one model (deleted ones too), newest first.

    Each row: the record, the action, ``subject(record)`` (what the record is about), its changes as (field, old,
    new) against the object's previous record, and ``reason(record)`` when given.
    """
    model = records.model.instance_type
    fields = {name: model._meta.get_field(name) for name in field_names}
    pk_name = model._meta.pk.attname
    rows, previous_of = [], {}
    for record in records.select_related("history_user").order_by("history_date", "history_id"):
        previous = previous_of.get(getattr(record, pk_name))
        if previous is None:
            changes = []
            for field in fields.values():
                value = record_value(record, field)
                if value not in (None, ""):
                    changes.append((capfirst(field.verbose_name), None, display_value(field, value)))
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
        rows.append(
            {
                "record": record,
                "who": person_label(record.history_user) if record.history_user else gettext("система"),
                "action": HISTORY_ACTIONS.get(record.history_type, ""),
                "subject": subject(record),
                "changes": changes,
                "reason": (reason(record) if reason else record.history_change_reason) or "",
            }
        )
        previous_of[getattr(record, pk_name)] = record
    rows.reverse()
    return rows


def newest_first(*histories):
    rows = [row for history in histories for row in history]
    rows.sort(key=lambda row: (row["record"].history_date, row["record"].history_id), reverse=True)
    return rows


EXPERT_HISTORY_FIELDS = ["full_name", "organisation", "position", "municipality", "expertise", "is_active"]
TIE_HISTORY_FIELDS = ["kind", "tos", "municipality", "organisation", "description"]
DECLARATION_HISTORY_FIELDS = ["competition", "signed_at"]
ASSIGNMENT_HISTORY_FIELDS = ["application", "expert", "status", "origin", "reason", "ended_at"]


def assignment_subject(record):
    application = record.application  # applications are never deleted
    return gettext("Назначение на заявку %(number)s «%(title)s»") % {
        "number": application.number,
        "title": application.title,
    }


def expert_history(expert):
    """Everything recorded about an expert: their card, ties, declarations and assignments."""
    return newest_first(
        history_of(Expert.history.filter(id=expert.pk), EXPERT_HISTORY_FIELDS, lambda record: gettext("Карточка")),
        history_of(
            ExpertTie.history.filter(expert_id=expert.pk),
            TIE_HISTORY_FIELDS,
            lambda record: gettext("Связь: %(kind)s") % {"kind": record.get_kind_display()},
        ),
        history_of(
            ConflictDeclaration.history.filter(expert_id=expert.pk),
            DECLARATION_HISTORY_FIELDS,
            lambda record: gettext("Декларация по конкурсу «%(title)s»") % {"title": record.competition.title},
        ),
        history_of(
            ExpertAssignment.history.filter(expert_id=expert.pk),
            ASSIGNMENT_HISTORY_FIELDS,
            assignment_subject,
            reason=lambda record: record.reason,
        ),
    )


# Forms -------------------------------------------------------------------------------------------------------------


def users_with_email(email):
    user_model = get_user_model()
    return list(user_model.objects.filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email)).distinct()[:2])


class ExpertForm(WagtailAdminModelForm):
    email = forms.EmailField(
        label=_("Электронная почта пользователя"),
        help_text=_(
            "Адрес, с которым эксперт зарегистрирован на платформе. После сохранения он получит роль «Эксперт» и "
            "увидит в личном кабинете назначенные ему заявки."
        ),
        error_messages={
            "required": _("Укажите электронную почту эксперта."),
            "invalid": _("Электронная почта записана неверно: например, expert@example.org."),
        },
    )

    class Meta:
        model = Expert
        fields = ["full_name", "organisation", "position", "municipality", "expertise", "is_active"]
        error_messages = {"full_name": {"required": _("Напишите ФИО эксперта.")}}
        help_texts = {
            "full_name": _("Как подписывать эксперта в назначениях и протоколах: «Иванова Анна Петровна»."),
            "is_active": _(
                "Снимите отметку, чтобы больше не назначать эксперта; его прежние назначения и оценки сохранятся."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["email", *self._meta.fields])
        if self.instance.pk:
            email_field = self.fields["email"]
            email_field.initial = self.instance.user.email
            email_field.disabled = True
            email_field.help_text = _("Не меняется: другой пользователь — это другой эксперт.")

    def clean_email(self):
        if self.instance.pk:
            return self.instance.user.email
        email = self.cleaned_data["email"].strip()
        found = users_with_email(email)
        if not found:
            raise forms.ValidationError(
                _(
                    "Пользователь с адресом %(email)s не зарегистрирован на платформе. Попросите эксперта "
                    "зарегистрироваться и подтвердить адрес, затем добавьте его."
                ),
                params={"email": email},
            )
        if len(found) > 1:
            raise forms.ValidationError(
                _("Адрес %(email)s указан у нескольких пользователей: обратитесь к администратору платформы."),
                params={"email": email},
            )
        user = found[0]
        if not user.is_active:
            raise forms.ValidationError(
                _("Учётная запись %(email)s отключена: эксперт не сможет войти."), params={"email": email}
            )
        existing = Expert.objects.filter(user=user).first()
        if existing is not None:
            raise forms.ValidationError(
                _("%(email)s уже в пуле экспертов («%(name)s»): измените его карточку."),
                params={"email": email, "name": existing.full_name},
            )
        self.instance.user = user
        return email


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} — {obj.organisation}" if obj.organisation else obj.full_name


class ExpertTieForm(WagtailAdminModelForm):
    expert = ExpertChoiceField(Expert.objects.order_by("full_name"), label=_("Эксперт"))
    tos = TOSChoiceField(required=False)

    class Meta:
        model = ExpertTie
        fields = ["expert", "kind", "tos", "municipality", "organisation", "description"]
        error_messages = {"kind": {"required": _("Выберите вид связи.")}}
        help_texts = {
            "kind": _(
                "Связь с ТОС — выберите ТОС; с муниципалитетом — муниципалитет; с организацией или родственником — "
                "напишите название; «другое» — опишите связь в пояснении."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expert"].disabled = True
            self.fields["expert"].help_text = _("Не меняется: связь другого эксперта заявите на его странице.")


# Views -------------------------------------------------------------------------------------------------------------


def expert_group():
    return Group.objects.get(name=EXPERT)


class ExpertIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("municipality", "user")
            .annotate(
                declarations_count=Count("declarations", distinct=True),
                active_assignments=Count(
                    "assignments", filter=Q(assignments__status=ExpertAssignment.Status.ACTIVE), distinct=True
                ),
            )
        )

    @cached_property
    def columns(self):
        """The name opens the expert's page (ties, declarations, history), not the edit form."""
        title = self._get_title_column_class(TitleColumn)(
            "full_name", label=_("ФИО"), sort_key="full_name", get_url=self.get_inspect_url
        )
        return [title, *super().columns[1:]]


class ExpertCreateView(StatusOn400Mixin, generic.CreateView):
    def save_instance(self):
        expert = super().save_instance()  # inside the view's transaction: the role comes with the expert or not at all
        expert.user.groups.add(expert_group())
        return expert

    def get_success_url(self):
        return reverse("competition_experts:inspect", args=[quote(self.object.pk)])

    def get_success_message(self, instance):
        return gettext("%(name)s добавлен в пул экспертов и получил роль «Эксперт».") % {"name": instance.full_name}


class ExpertEditView(StatusOn400Mixin, generic.EditView):
    def save_instance(self):
        expert = super().save_instance()
        expert.user.groups.add(expert_group())
        return expert

    def get_success_url(self):
        return reverse("competition_experts:inspect", args=[quote(self.object.pk)])

    def get_success_message(self):
        return gettext("Карточка эксперта «%(name)s» сохранена.") % {"name": self.object.full_name}


class ExpertInspectView(MoscowTimeMixin, generic.InspectView):
    template_name = "competitions/admin/experts/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(Expert.objects.select_related("user", "municipality"), pk=self.pk)

    def get_page_subtitle(self):
        return self.object.full_name

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value in (None, "") else value

    def get_user_display_value(self):
        return person_label(self.object.user)

    def get_is_active_display_value(self):
        return gettext("да") if self.object.is_active else gettext("нет — не назначается")

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if tie_permissions().user_has_permission(self.request.user, "add"):
            buttons.append(
                HeaderButton(
                    _("Добавить связь"),
                    url=reverse("competition_expert_ties:add") + f"?expert={self.object.pk}",
                    icon_name="link",
                )
            )
        return buttons

    def tie_rows(self):
        user = self.request.user
        policy = tie_permissions()
        can_change, can_delete = policy.user_has_permission(user, "change"), policy.user_has_permission(user, "delete")
        return [
            {
                "tie": tie,
                "target": tie.tos or tie.municipality or tie.organisation or "—",
                "edit_url": reverse("competition_expert_ties:edit", args=[tie.pk]) if can_change else "",
                "delete_url": reverse("competition_expert_ties:delete", args=[tie.pk]) if can_delete else "",
            }
            for tie in self.object.ties.select_related("tos", "municipality")
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        expert = self.object
        context.update(
            {
                "ties": self.tie_rows(),
                "declarations": expert.declarations.select_related("competition").order_by("-signed_at"),
                "assignments": expert.assignments.select_related("application", "scoring_round__competition").order_by(
                    "-created_at"
                ),
                "history": expert_history(expert),
            }
        )
        return context


class TieSuccessMixin:
    """After a tie is added, changed or deleted the secretary returns to the expert's page."""

    def get_success_url(self):
        return reverse("competition_experts:inspect", args=[quote(self.object.expert_id)])


class ExpertTieCreateView(TieSuccessMixin, StatusOn400Mixin, generic.CreateView):
    def get_initial(self):
        return {**super().get_initial(), "expert": self.request.GET.get("expert")}

    def get_success_message(self, instance):
        return gettext("Связь эксперта «%(name)s» заявлена: %(tie)s.") % {"name": instance.expert, "tie": instance}


class ExpertTieEditView(TieSuccessMixin, StatusOn400Mixin, generic.EditView):
    def get_success_message(self):
        return gettext("Связь эксперта «%(name)s» изменена: %(tie)s.") % {
            "name": self.object.expert,
            "tie": self.object,
        }


class ExpertTieDeleteView(TieSuccessMixin, generic.DeleteView):
    def get_success_message(self):
        return gettext("Связь эксперта «%(name)s» удалена (она осталась в истории).") % {"name": self.object.expert}


# Viewsets ----------------------------------------------------------------------------------------------------------


def tie_permissions():
    return ModelPermissionPolicy(ExpertTie)


class ExpertViewSet(ModelViewSet):
    """The pool: experts are added and changed, never deleted (their assignments and scores stay with them)."""

    model = Expert
    name = "competition_experts"
    url_prefix = "competitions/experts"
    icon = "user"
    menu_label = _("Эксперты")
    index_view_class = ExpertIndexView
    add_view_class = ExpertCreateView
    edit_view_class = ExpertEditView
    inspect_view_class = ExpertInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "full_name",
        Column("organisation", label=_("Организация"), sort_key="organisation"),
        Column("municipality", label=_("Муниципалитет"), sort_key="municipality__name"),
        BooleanColumn("is_active", label=_("В пуле"), sort_key="is_active"),
        Column("declarations_count", label=_("Деклараций"), sort_key="declarations_count"),
        Column("active_assignments", label=_("Назначений сейчас"), sort_key="active_assignments"),
    ]
    list_filter = ["is_active", "municipality"]
    ordering = ["full_name"]
    search_fields = ["full_name", "organisation", "expertise", "user__email"]
    inspect_view_fields = ["full_name", "user", "organisation", "position", "municipality", "expertise", "is_active"]

    @cached_property
    def permission_policy(self):
        return LimitedPermissionPolicy(self.model, refused={"delete"})

    def get_form_class(self, for_update=False):
        return ExpertForm

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(add_item_label=_("Добавить эксперта"), **kwargs)


class ExpertTieViewSet(ModelViewSet):
    """Declared ties, reached from the expert's page (not a menu item of their own)."""

    model = ExpertTie
    name = "competition_expert_ties"
    url_prefix = "competitions/expert-ties"
    icon = "link"
    add_view_class = ExpertTieCreateView
    edit_view_class = ExpertTieEditView
    delete_view_class = ExpertTieDeleteView
    copy_view_enabled = False
    list_display = [
        Column("expert", label=_("Эксперт"), sort_key="expert__full_name"),
        Column("kind", label=_("Вид связи"), accessor="get_kind_display", sort_key="kind"),
        Column("target", label=_("С кем"), accessor=lambda tie: tie.tos or tie.municipality or tie.organisation),
        DateColumn("declared_at", label=_("Заявлена"), sort_key="declared_at"),
    ]
    list_filter = ["kind"]
    ordering = ["expert__full_name", "kind"]
    search_fields = ["expert__full_name", "organisation", "description"]

    @cached_property
    def permission_policy(self):
        return tie_permissions()

    def get_form_class(self, for_update=False):
        return ExpertTieForm
