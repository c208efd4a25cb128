"""The secretary's admin of competitions: submitted applications with their frozen versions, the admissibility
check, awards, winners' reports, counters per competition and the CSV export.

Every decision goes through competitions.review, which checks the permission, the status and the rules again at
the moment of the write; these views only show the forms and the refusals.
"""

import csv
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views import generic
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from competitions import cofinancing, review
from competitions.admin_forms import AdmissibilityForm, AwardForm, ReportReviewForm
from competitions.applications import Refused
from competitions.models import (
    AdmissibilityReview,
    ApplicantType,
    Application,
    ApplicationReport,
    CofinancingSource,
    CompetitionPage,
    Nomination,
)
from competitions.reports import is_late
from forms.exports import csv_text
from tos.admin_forms import person_label

MOSCOW = ZoneInfo("Europe/Moscow")


def secretary_queryset():
    """Applications a secretary works with: every one that was ever submitted. Drafts (and drafts withdrawn before
    submitting) have no number and stay the applicant's own."""
    return Application.objects.exclude(number=None)


class MoscowTimeMixin:
    """Moments are shown and typed in Moscow time, whichever time zone the admin user picked in their profile."""

    def dispatch(self, request, *args, **kwargs):
        with timezone.override(MOSCOW):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response


# Listing -----------------------------------------------------------------------------------------------------------


class NominationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.page.title})"


class NominationFilter(django_filters.ModelChoiceFilter):
    field_class = NominationChoiceField


class ApplicationFilterSet(WagtailFilterSet):
    competition = django_filters.ModelChoiceFilter(
        queryset=CompetitionPage.objects.order_by("-year", "title"), label=_("Конкурс")
    )
    status = django_filters.ChoiceFilter(
        choices=[choice for choice in Application.Status.choices if choice[0] != Application.Status.DRAFT],
        label=_("Статус"),
    )
    applicant_type = django_filters.ChoiceFilter(choices=ApplicantType.choices, label=_("Кто подаёт"))
    nomination = NominationFilter(
        queryset=Nomination.objects.select_related("page").order_by("page__title", "sort_order"), label=_("Номинация")
    )

    class Meta:
        model = Application
        fields = ["competition", "status", "applicant_type", "nomination"]


COUNTERS = [
    ("submitted", _("подано"), Q()),
    ("to_check", _("на проверке"), Q(status=Application.Status.SUBMITTED)),
    ("returned", _("на доработке"), Q(status=Application.Status.CORRECTION)),
    ("admitted", _("допущено"), Q(status=Application.Status.ADMITTED)),
    ("rejected", _("не допущено"), Q(status=Application.Status.REJECTED)),
    ("withdrawn", _("отозвано"), Q(status=Application.Status.WITHDRAWN)),
    ("awarded", _("победители"), Q(status=Application.Status.AWARDED)),
]


def competition_counters(competition_ids=None):
    """Per competition, how many applications were submitted and how many are in each state now."""
    applications = secretary_queryset()
    if competition_ids is not None:
        applications = applications.filter(competition_id__in=competition_ids)
    counts = applications.values("competition_id").annotate(
        **{key: Count("pk", filter=condition) for key, _label, condition in COUNTERS}
    )
    by_competition = {row["competition_id"]: row for row in counts}
    competitions = CompetitionPage.objects.filter(pk__in=by_competition).order_by("-year", "title")
    return [
        {
            "competition": competition,
            "counts": [by_competition[competition.pk][key] for key, _label, _condition in COUNTERS],
            "export_url": reverse("competition_applications:export", args=[competition.pk]),
        }
        for competition in competitions
    ]


class ApplicationIndexView(MoscowTimeMixin, generic.IndexView):
    def get_base_queryset(self):
        return (
            secretary_queryset()
            .select_related("competition", "tos", "nomination")
            .annotate(latest_version_number=Max("versions__number"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chosen = self.filters.form.cleaned_data.get("competition") if self.filters and self.filters.is_valid() else None
        context["counter_labels"] = [label for _key, label, _condition in COUNTERS]
        context["counters"] = competition_counters([chosen.pk] if chosen else None)
        return context


# The application page ----------------------------------------------------------------------------------------------


def version_view(version, competition):
    """A frozen version as the secretary reads it: the snapshot, the ledger with shares and rule checks, answers."""
    snapshot = version.snapshot
    requested = Decimal(snapshot["requested_amount"])
    lines = cofinancing.parse_ledger(snapshot["ledger"])
    totals = cofinancing.summary(requested, lines)
    return {
        "version": version,
        "snapshot": snapshot,
        "applicant_type": ApplicantType(snapshot["applicant_type"]).label,
        "requested": cofinancing.rubles(requested),
        "lines": [
            {
                "source": line.source_label,
                "kind": line.kind_label,
                "amount": cofinancing.rubles(line.amount),
                "note": line.note,
            }
            for line in lines
        ],
        "cost": cofinancing.rubles(totals["cost"]),
        "requested_share": cofinancing.percent(totals["requested_share"]),
        "shares": [
            {
                "source": item["label"],
                "amount": cofinancing.rubles(item["amount"]),
                "share": cofinancing.percent(item["share"]),
            }
            for item in totals["sources"]
        ],
        "rule_problems": cofinancing.rule_problems(competition.cofinancing_rules.all(), requested, lines),
        "submission": version.submission,
    }


def status_history(application):
    """Who changed the status and when, newest first (the records between are the applicant's draft edits)."""
    rows, previous = [], None
    for record in application.history.select_related("history_user").order_by("history_date", "history_id"):
        if previous is None or record.status != previous.status:
            rows.append(
                {
                    "when": record.history_date,
                    "who": person_label(record.history_user) if record.history_user else gettext("система"),
                    "status": record.get_status_display(),
                    "reason": record.decision_reason if previous is not None else "",
                }
            )
        previous = record
    rows.reverse()
    return rows


class ApplicationInspectView(MoscowTimeMixin, generic.InspectView):
    """One application: the chosen version (the latest by default), history, reviews, and the secretary's forms."""

    template_name = "competitions/admin/application.html"
    page_title = _("Заявка")

    def get_object(self, queryset=None):
        return get_object_or_404(
            secretary_queryset().select_related("competition", "tos", "nomination", "applicant"), pk=self.pk
        )

    def get_page_subtitle(self):
        return f"{self.object.number} «{self.object.title}»"

    def get_fields_context(self):
        return []  # the template lays the application out itself

    @cached_property
    def competition(self):
        return CompetitionPage.objects.get(pk=self.object.competition_id)

    def chosen_version(self, versions):
        requested = self.request.GET.get("version")
        if not requested:
            return versions[-1]
        chosen = next((version for version in versions if str(version.number) == requested), None)
        if chosen is None:
            raise Http404(gettext("У заявки нет версии %(number)s.") % {"number": requested[:10]})
        return chosen

    def url(self, name, *args):
        return reverse(f"competition_applications:{name}", args=[quote(self.object.pk), *args])

    def reports(self, report_forms):
        rows = []
        for report in self.object.reports.select_related("report_form", "submission", "reviewed_by").order_by(
            "due_at", "pk"
        ):
            rows.append(
                {
                    "report": report,
                    "late": is_late(report),
                    "answers_shown": report.status
                    in {ApplicationReport.Status.SUBMITTED, ApplicationReport.Status.ACCEPTED},
                    "form": (report_forms.get(report.pk) or ReportReviewForm(report))
                    if report.status == ApplicationReport.Status.SUBMITTED
                    else None,
                    "review_url": self.url("report_review", report.pk),
                }
            )
        return rows

    def get_context_data(self, admissibility_form=None, award_form=None, report_forms=None, refusal="", **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        versions = list(application.versions.select_related("submitted_by", "submission__version").order_by("number"))
        version = self.chosen_version(versions)
        can_review = review.can_review(self.request.user)
        status = application.status
        forms_media = forms.Media()
        if can_review and status == Application.Status.SUBMITTED:
            admissibility_form = admissibility_form or AdmissibilityForm(application)
            forms_media += admissibility_form.media
        else:
            admissibility_form = None
        if can_review and status == Application.Status.ADMITTED:
            award_form = award_form or AwardForm(application)
        else:
            award_form = None
        reports = self.reports(report_forms or {}) if can_review else []
        for row in reports:
            if row["form"] is not None:
                forms_media += row["form"].media
        context.update(
            {
                "application": application,
                "competition": self.competition,
                "versions": [
                    {"number": item.number, "url": f"{self.url('inspect')}?version={item.number}", "item": item}
                    for item in versions
                ],
                "shown": version_view(version, self.competition),
                "is_latest": version.number == versions[-1].number,
                "history": status_history(application),
                "reviews": AdmissibilityReview.objects.filter(version__application=application)
                .select_related("version", "decided_by")
                .order_by("-decided_at"),
                "award_amount": cofinancing.rubles(application.award_amount) if application.award_amount else "",
                "refusal": refusal,
                "admissibility_form": admissibility_form,
                "decide_url": self.url("decide"),
                "award_form": award_form,
                "award_url": self.url("award"),
                "reports": reports,
                "forms_media": forms_media,
                "index_url": reverse("competition_applications:index"),
            }
        )
        return context


class DecisionView(ApplicationInspectView):
    """POST only: a secretary's decision; a refusal re-renders the application page with the form and its message."""

    http_method_names = ["post"]
    permission_required = "review"
    any_permission_required = None

    def refused(self, refusal, **context):
        self.object.refresh_from_db()
        return self.render_to_response(self.get_context_data(refusal=refusal.message, **context), status=refusal.status)

    def invalid(self, **context):
        return self.render_to_response(
            self.get_context_data(
                refusal=gettext("Решение не принято: исправьте отмеченные поля формы."),
                **context,
            ),
            status=400,
        )

    def done(self, message):
        messages.success(self.request, message)
        return redirect(self.url("inspect"))


class DecideView(DecisionView):
    def post(self, request, *args, **kwargs):
        form = AdmissibilityForm(self.object, request.POST)
        if not form.is_valid():
            return self.invalid(admissibility_form=form)
        data = form.cleaned_data
        try:
            decision = review.decide(
                self.object,
                request.user,
                decision=data["decision"],
                checklist=form.checklist(),
                reasons=data["reasons"],
                correction_deadline=data["correction_deadline"],
            )
        except Refused as refusal:
            form.add_refusal(refusal)
            return self.refused(refusal, admissibility_form=form)
        return self.done(
            gettext("Заявка %(number)s: решение «%(decision)s» принято, заявителю отправлено письмо.")
            % {"number": self.object.number, "decision": decision.get_decision_display()}
        )


class AwardView(DecisionView):
    def post(self, request, *args, **kwargs):
        form = AwardForm(self.object, request.POST)
        if not form.is_valid():
            return self.invalid(award_form=form)
        try:
            review.award(self.object, request.user, amount=form.cleaned_data["amount"])
        except Refused as refusal:
            form.add_refusal(refusal)
            return self.refused(refusal, award_form=form)
        return self.done(
            gettext("Заявка %(number)s объявлена победителем: присуждено %(amount)s.")
            % {"number": self.object.number, "amount": cofinancing.rubles(self.object.award_amount)}
        )


class ReportReviewView(DecisionView):
    def post(self, request, *args, **kwargs):
        report = get_object_or_404(
            ApplicationReport.objects.select_related("report_form"), pk=kwargs["report_pk"], application=self.object
        )
        form = ReportReviewForm(report, request.POST)
        if not form.is_valid():
            return self.invalid(report_forms={report.pk: form})
        try:
            review.review_report(
                report,
                request.user,
                accept=form.accept,
                remarks=form.cleaned_data["remarks"],
                due_at=form.cleaned_data["due_at"],
            )
        except Refused as refusal:
            form.add_refusal(refusal)
            return self.refused(refusal, report_forms={report.pk: form})
        return self.done(
            gettext("Отчёт «%(report)s»: %(status)s. Заявителю отправлено письмо.")
            % {"report": report.report_form.title, "status": report.get_status_display()}
        )


# CSV export --------------------------------------------------------------------------------------------------------


def export_columns():
    return [
        gettext("Номер"),
        gettext("Проект"),
        gettext("Заявитель"),
        gettext("Кто подаёт"),
        gettext("Номинация"),
        gettext("Запрошено, ₽"),
        gettext("Стоимость проекта, ₽"),
        *(gettext("Доля: %(source)s, %%") % {"source": source.label} for source in CofinancingSource),
        gettext("Статус"),
        gettext("Подана впервые"),
        gettext("Последняя версия"),
        gettext("Последняя версия подана"),
        gettext("SHA-256 последней версии"),
    ]


def export_row(application, version):
    """A row as the latest submitted version reads (what the secretary checked), with the application's status."""
    snapshot = version.snapshot
    shares = snapshot.get("shares") or {}
    return [
        application.number,
        snapshot["title"],
        snapshot["applicant"],
        ApplicantType(snapshot["applicant_type"]).label,
        snapshot["nomination"],
        Decimal(snapshot["requested_amount"]),
        Decimal(snapshot["cost"]),
        *(
            Decimal(shares[source.value]).quantize(cofinancing.KOPECK) if source.value in shares else Decimal("0.00")
            for source in CofinancingSource
        ),
        application.get_status_display(),
        timezone.localtime(application.submitted_at, MOSCOW),
        version.number,
        timezone.localtime(version.submitted_at, MOSCOW),
        version.content_hash,
    ]


class ExportView(PermissionCheckedMixin, View):
    """A competition's applications as CSV for Excel in Russian (UTF-8 with BOM, «;», decimal comma); no contacts."""

    permission_required = "view"
    permission_policy = None

    def get(self, request, competition_id):
        competition = get_object_or_404(CompetitionPage, pk=competition_id)
        applications = (
            secretary_queryset().filter(competition=competition).prefetch_related("versions").order_by("sequence")
        )
        stream = io.StringIO()
        stream.write("\ufeff")
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(export_columns())
        for application in applications:
            latest = max(application.versions.all(), key=lambda version: version.number)
            writer.writerow([csv_text(value) for value in export_row(application, latest)])
        response = HttpResponse(stream.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
        filename = f"applications-{competition.year}-{competition.pk}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
