"""The secretary's expert review of a competition: assignment, progress, overrides, reminders, close and publish.

Every write goes through competitions.assignment, competitions.scoring or competitions.expert_notifications, which
check the permission, the round's state and the rules again at the moment of the write; these views show the state,
take the POSTs and turn a refusal into its status with the Russian message on the page, nothing saved.
"""

from collections import defaultdict
from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from competitions import assignment, expert_notifications, ranking, results_views, review, scoring
from competitions.admin_forms import RefusalMixin
from competitions.admin_views import MoscowTimeMixin
from competitions.applications import Refused
from competitions.cofinancing import rubles
from competitions.expert_admin import ExpertChoiceField, history_of
from competitions.models import Application, CompetitionPage, Expert, ExpertAssignment, ScoreSheet, ScoringRound
from forms.fields import format_decimal

Origin = ExpertAssignment.Origin


# Forms -------------------------------------------------------------------------------------------------------------


class ApplicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} «{obj.title}»"


class ManualAssignmentForm(RefusalMixin, forms.Form):
    """The reason and the conflicts are the service's rules (assignment.assign_manually): it names what is wrong."""

    application = ApplicationChoiceField(
        Application.objects.none(),
        label=_("Заявка"),
        error_messages={"required": _("Выберите заявку."), "invalid_choice": _("Такой допущенной заявки нет.")},
    )
    expert = ExpertChoiceField(
        Expert.objects.none(),
        label=_("Эксперт"),
        help_text=_("Назначить можно эксперта из пула, подписавшего декларацию по этому конкурсу, без конфликта."),
        error_messages={"required": _("Выберите эксперта."), "invalid_choice": _("Такого эксперта в пуле нет.")},
    )
    reason = forms.CharField(
        label=_("Причина ручного назначения"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Обязательна: попадёт в историю назначений. Например, «нужен эксперт по озеленению»."),
    )

    def __init__(self, competition, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = Application.objects.filter(
            competition=competition, status=Application.Status.ADMITTED
        ).order_by("number")
        self.fields["expert"].queryset = Expert.objects.filter(is_active=True).order_by("full_name")


# Pages -------------------------------------------------------------------------------------------------------------


class SecretaryOnlyMixin:
    """The expert review is the secretary's: anyone else gets 403, before anything is looked up or written."""

    def dispatch(self, request, *args, **kwargs):
        if not review.can_review(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def index_url():
    return reverse("competition_scoring:index")


def dashboard_url(competition_id):
    return reverse("competition_scoring:dashboard", args=[competition_id])


def round_status_label(scoring_round):
    return scoring_round.get_status_display() if scoring_round else gettext("не начата")


class ScoringIndexView(SecretaryOnlyMixin, MoscowTimeMixin, WagtailAdminTemplateMixin, TemplateView):
    """Competitions with the state of their expert review and how far the sheets are."""

    template_name = "competitions/admin/scoring/index.html"
    page_title = _("Экспертиза")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rounds = {scoring_round.competition_id: scoring_round for scoring_round in ScoringRound.objects.all()}
        admitted = dict(
            Application.objects.filter(status__in=scoring.IN_COMPETITION)
            .values("competition_id")
            .annotate(count=Count("pk"))
            .values_list("competition_id", "count")
        )
        sheets = {
            row["scoring_round_id"]: row
            for row in ExpertAssignment.objects.active()
            .values("scoring_round_id")
            .annotate(assigned=Count("pk"), sent=Count("pk", filter=Q(sheet__status=ScoreSheet.Status.SUBMITTED)))
        }
        rows = []
        for competition in CompetitionPage.objects.order_by("-year", "title"):
            scoring_round = rounds.get(competition.pk)
            counts = sheets.get(scoring_round.pk, {}) if scoring_round else {}
            assigned, sent = counts.get("assigned", 0), counts.get("sent", 0)
            rows.append(
                {
                    "competition": competition,
                    "status": round_status_label(scoring_round),
                    "is_open": bool(scoring_round and scoring_round.is_open),
                    "admitted": admitted.get(competition.pk, 0),
                    "assigned": assigned,
                    "sent": sent,
                    "pending": assigned - sent,
                    "url": dashboard_url(competition.pk),
                }
            )
        context["rows"] = rows
        return context


def sheet_state(assignment_, deadline, now):
    sheet = getattr(assignment_, "sheet", None)
    sent = sheet is not None and sheet.is_submitted
    return {
        "label": gettext("не начат") if sheet is None else sheet.get_status_display(),
        "sent": sent,
        "total": scoring.score_text(sheet.expert_total) if sent else "",
        "overdue": assignment_.is_active and not sent and deadline is not None and now >= deadline,
    }


def assignment_history(scoring_round):
    def subject(record):
        return f"{record.application.number} — {record.expert.full_name}"

    return history_of(
        ExpertAssignment.history.filter(scoring_round_id=scoring_round.pk),
        ["application", "expert", "status", "origin", "reason", "ended_at"],
        subject,
        reason=lambda record: record.reason,
    )


def round_history(scoring_round):
    return history_of(
        ScoringRound.history.filter(id=scoring_round.pk),
        ["status", "seed", "sheet_version"],
        lambda record: gettext("Экспертиза конкурса"),
    )


def result_rows(results):
    """The closed round's snapshot as the secretary reads it: scores to 2 places, amounts in rubles, labels."""
    pools = {pool["key"]: pool["name"] or gettext("общий фонд") for pool in results["pools"]}
    return [
        {
            "rank": row["rank"],
            "number": row["number"],
            "title": row["title"],
            "final": "—"
            if row["final_score_shown"] is None
            else format_decimal(Decimal(row["final_score_shown"]), places=2),
            "eligible": row["eligible"],
            "granted": rubles(row["granted"]) if row["granted"] is not None else "—",
            "standing": ranking.Standing.LABELS.get(row["standing"], row["standing"]),
            "pool": pools.get(row["pool"], row["pool"]),
            "below_line": row["rank"] == results["passing_line_after"],
        }
        for row in results["rows"]
    ]


class ScoringDashboardView(SecretaryOnlyMixin, MoscowTimeMixin, WagtailAdminTemplateMixin, TemplateView):
    """One competition's expert review: state, assignments per application, progress, divergences, the result."""

    template_name = "competitions/admin/scoring/dashboard.html"
    page_title = _("Экспертиза")
    header_icon = "tasks"

    @cached_property
    def competition(self):
        return get_object_or_404(CompetitionPage, pk=self.kwargs["competition_id"])

    def get_page_subtitle(self):
        return self.competition.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": index_url(), "label": gettext("Экспертиза")},
            {"url": "", "label": self.competition.title},
        ]

    def url(self, name, *args):
        return reverse(f"competition_scoring:{name}", args=[self.competition.pk, *args])

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def application_rows(self, scoring_round, deadline, now, removal):
        by_application = defaultdict(list)
        if scoring_round is not None:
            can_change = scoring_round.is_open
            for item in scoring_round.assignments.select_related("expert", "sheet").order_by("created_at", "pk"):
                by_application[item.application_id].append(
                    {
                        "assignment": item,
                        "is_divergence": item.origin == Origin.DIVERGENCE,
                        "sheet": sheet_state(item, deadline, now),
                        "remove_url": self.url("remove", item.pk) if can_change and item.is_active else "",
                        "removal": removal if removal and removal["id"] == item.pk else None,
                    }
                )
        return [
            {
                "application": application,
                "url": reverse("competition_applications:inspect", args=[application.pk]),
                "assignments": by_application.get(application.pk, []),
                "active": sum(1 for row in by_application.get(application.pk, []) if row["assignment"].is_active),
            }
            for application in Application.objects.filter(
                competition=self.competition, status__in=scoring.IN_COMPETITION
            ).order_by("number")
        ]

    def progress(self, scoring_round, now):
        loads = assignment.expert_loads(scoring_round, now) if scoring_round else []
        experts = [
            {"expert": expert, "assigned": assigned, "sent": sent, "pending": pending_, "overdue": overdue}
            for expert, assigned, sent, pending_, overdue in loads
        ]
        return {
            "due": sum(row["assigned"] for row in experts),
            "sent": sum(row["sent"] for row in experts),
            "pending": scoring.pending(scoring_round).count() if scoring_round else 0,
            "overdue": sum(row["overdue"] for row in experts),
            "experts": experts,
        }

    def divergence_rows(self, scoring_round):
        if scoring_round is None:
            return []
        return [
            {
                "application": application,
                "first": scoring.score_text(totals[0]),
                "second": scoring.score_text(totals[1]),
                "difference": scoring.score_text(abs(totals[0] - totals[1])),
                "extra_assigned": extra,
            }
            for application, totals, extra in assignment.divergences(scoring_round)
        ]

    def get_context_data(self, refusal="", manual_form=None, removal=None, **kwargs):
        context = super().get_context_data(**kwargs)
        competition = self.competition
        scoring_round = (
            ScoringRound.objects.filter(competition=competition)
            .select_related("sheet_version", "opened_by", "closed_by", "published_by")
            .first()
        )
        if scoring_round is not None:
            scoring_round.competition = competition  # the services read the competition's settings from it
        now = timezone.now()
        deadline = competition.review_deadline
        is_open = scoring_round is None or scoring_round.is_open
        results = scoring_round.results if scoring_round is not None and not scoring_round.is_open else None
        context.update(
            {
                "competition": competition,
                "scoring_round": scoring_round,
                "status": round_status_label(scoring_round),
                "deadline": deadline,
                "deadline_passed": deadline is not None and now >= deadline,
                "refusal": refusal,
                "can_assign": is_open,
                "can_change": scoring_round is not None and scoring_round.is_open,
                "can_publish": scoring_round is not None and scoring_round.status == ScoringRound.Status.CLOSED,
                "applications": self.application_rows(scoring_round, deadline, now, removal),
                "progress": self.progress(scoring_round, now),
                "divergences": self.divergence_rows(scoring_round),
                "manual_form": (manual_form or ManualAssignmentForm(competition))
                if scoring_round is not None and scoring_round.is_open
                else None,
                "results": result_rows(results) if results else [],
                "pools": results_views.pool_rows(results) if results else [],
                "history": assignment_history(scoring_round) if scoring_round else [],
                "round_history": round_history(scoring_round) if scoring_round else [],
                "urls": {name: self.url(name) for name in ("assign", "assign_manually", "remind", "close", "publish")},
                "index_url": index_url(),
            }
        )
        return context


class ScoringActionView(ScoringDashboardView):
    """POST only: one write through a service; a refusal re-renders the dashboard with its message and status."""

    http_method_names = ["post"]

    def refused(self, refusal, **context):
        return self.render_to_response(self.get_context_data(refusal=refusal.message, **context), status=refusal.status)

    def done(self, message, level=messages.success):
        level(self.request, message)
        return redirect(dashboard_url(self.competition.pk))


class AssignAutomaticallyView(ScoringActionView):
    def post(self, request, *args, **kwargs):
        try:
            _round, created = assignment.assign_automatically(self.competition, request.user)
        except Refused as refusal:
            return self.refused(refusal)
        if not created:
            return self.done(
                gettext("У всех допущенных заявок уже есть эксперты: новых назначений нет."), level=messages.info
            )
        return self.done(
            gettext("Эксперты назначены автоматически: создано назначений — %(count)d.") % {"count": len(created)}
        )


class AssignManuallyView(ScoringActionView):
    def post(self, request, *args, **kwargs):
        form = ManualAssignmentForm(self.competition, request.POST)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(
                    refusal=gettext("Эксперт не назначен: исправьте отмеченные поля формы."), manual_form=form
                ),
                status=400,
            )
        data = form.cleaned_data
        try:
            made = assignment.assign_manually(
                self.competition,
                request.user,
                application=data["application"],
                expert=data["expert"],
                reason=data["reason"],
            )
        except Refused as refusal:
            form.add_refusal(refusal)
            return self.refused(refusal, manual_form=form)
        return self.done(
            gettext("%(expert)s назначен на заявку %(number)s.")
            % {"expert": made.expert.full_name, "number": made.application.number}
        )


class RemoveExpertView(ScoringActionView):
    def post(self, request, *args, **kwargs):
        item = get_object_or_404(
            ExpertAssignment.objects.select_related("expert", "application"),
            pk=kwargs["assignment_id"],
            scoring_round__competition=self.competition,
        )
        reason = request.POST.get("reason", "")
        reassign = bool(request.POST.get("reassign"))
        try:
            _ended, replacement = assignment.remove(item, request.user, reason=reason, reassign=reassign)
        except Refused as refusal:
            removal = {"id": item.pk, "message": refusal.message, "reason": reason, "reassign": reassign}
            return self.refused(refusal, removal=removal)
        values = {"expert": item.expert.full_name, "number": item.application.number}
        if replacement is not None:
            values["replacement"] = replacement.expert.full_name
            return self.done(gettext("%(expert)s снят с заявки %(number)s; взамен назначен %(replacement)s.") % values)
        if reassign:
            return self.done(
                gettext(
                    "%(expert)s снят с заявки %(number)s. Замены без конфликта интересов не нашлось: назначьте "
                    "эксперта вручную."
                )
                % values,
                level=messages.warning,
            )
        return self.done(gettext("%(expert)s снят с заявки %(number)s без замены.") % values)


class RemindExpertsView(ScoringActionView):
    def post(self, request, *args, **kwargs):
        try:
            count = expert_notifications.remind_experts(self.competition, request.user)
        except Refused as refusal:
            return self.refused(refusal)
        if not count:
            return self.done(gettext("Все листы оценки отправлены: напоминать некому."), level=messages.info)
        return self.done(
            gettext("Напоминания отправлены экспертам, у которых есть неотправленные листы: %(count)d.")
            % {"count": count}
        )


class CloseScoringView(ScoringActionView):
    def post(self, request, *args, **kwargs):
        try:
            scoring.close(self.competition, request.user)
        except Refused as refusal:
            return self.refused(refusal)
        return self.done(gettext("Оценка закрыта, итоги рассчитаны. Проверьте их ниже и опубликуйте."))


class PublishResultsView(ScoringActionView):
    def post(self, request, *args, **kwargs):
        try:
            published = scoring.publish(self.competition, request.user)
        except Refused as refusal:
            return self.refused(refusal)
        winners = sum(1 for row in published.results["rows"] if row["granted"] is not None)
        return self.done(
            gettext("Итоги опубликованы. Победителями объявлены заявки: %(count)d; заявителям отправлены письма.")
            % {"count": winners}
        )


# The menu item -----------------------------------------------------------------------------------------------------


class SecretaryMenuItem(MenuItem):
    def is_shown(self, request):
        return review.can_review(request.user)


class ScoringViewSet(ViewSet):
    name = "competition_scoring"
    url_prefix = "competitions/scoring"
    icon = "tasks"
    menu_label = _("Экспертиза")
    menu_name = "competition_scoring"
    menu_item_class = SecretaryMenuItem

    def get_urlpatterns(self):
        return [
            path("", ScoringIndexView.as_view(), name="index"),
            path("<int:competition_id>/", ScoringDashboardView.as_view(), name="dashboard"),
            path("<int:competition_id>/assign/", AssignAutomaticallyView.as_view(), name="assign"),
            path("<int:competition_id>/assign-expert/", AssignManuallyView.as_view(), name="assign_manually"),
            path("<int:competition_id>/remove/<int:assignment_id>/", RemoveExpertView.as_view(), name="remove"),
            path("<int:competition_id>/remind/", RemindExpertsView.as_view(), name="remind"),
            path("<int:competition_id>/close/", CloseScoringView.as_view(), name="close"),
            path("<int:competition_id>/publish/", PublishResultsView.as_view(), name="publish"),
        ]
