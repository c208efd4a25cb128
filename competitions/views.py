"""The applicant's pages in the personal cabinet: /<lang>/cabinet/competitions/…

Every page shows only the signed-in person's own applications: another person's application, version or report
answers 403 (the same as the API), and nothing of it is shown or changed. Every write goes through
competitions.applications or competitions.reports, which check again at the moment of the write who writes, the
status, the deadline and the draft's revision; a refusal re-renders the same page with what was typed and the
reason, with the service's status (400 bad input, 403 deadline passed, 409 changed in another tab).
"""

from functools import wraps
from uuid import uuid4

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from competitions import applications, cofinancing, reports
from competitions.forms import (
    BLANK_LEDGER_ROWS,
    MORE_LEDGER_ROWS,
    DetailsForm,
    StartForm,
    is_blank,
    kind_choices,
    ledger_for_service,
    ledger_rows_from_application,
    ledger_rows_from_post,
    ledger_table,
    source_choices,
)
from competitions.models import (
    AdmissibilityReview,
    ApplicantType,
    Application,
    ApplicationReport,
    ApplicationVersion,
    CofinancingSource,
    CompetitionPage,
)
from competitions.results_views import applicant_results
from forms import engine
from forms.conditions import visible_field_ids
from forms.views import missing_step, shown_steps, step_after, step_items

DETAIL_FIELDS = {"title", "requested_amount", "nomination", "group_name", "group_size", "applicant_type", "tos"}

DECISION_WORDS = {
    AdmissibilityReview.Decision.ADMIT: gettext_lazy("заявка допущена к конкурсу"),
    AdmissibilityReview.Decision.RETURN: gettext_lazy("заявка возвращена на доработку"),
    AdmissibilityReview.Decision.REJECT: gettext_lazy("заявка не допущена"),
}


# --- Helpers ----------------------------------------------------------------------------------------------------

NOT_YOURS = gettext_lazy("Это чужая заявка: открыть и изменить её может только заявитель.")


def own_applications(user):
    related = ("competition", "competition__kind", "nomination", "tos")
    return Application.objects.of_applicant(user).select_related(*related)


def applicant_view(view):
    """Sign-in first, then the person's own application (403 for anyone else's)."""

    @login_required
    @wraps(view)
    def wrapped(request, pk, **kwargs):
        application = get_object_or_404(
            Application.objects.select_related(
                "competition", "competition__kind", "nomination", "tos", "submission__version"
            ),
            pk=pk,
        )
        if application.applicant_id != request.user.pk:
            raise PermissionDenied(NOT_YOURS)
        return view(request, application, **kwargs)

    return wrapped


def furthest_step(definition, step_index, reached):
    """Moving on from a step: the furthest step reached becomes the next shown one, never going back."""
    return lambda answers: max(step_after(definition, answers, step_index) or step_index, reached)


def posted_revision(request):
    """The revision the page was rendered with; a missing one counts as stale, so nothing is overwritten blindly."""
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return -1


def now_text():
    return date_format(localtime(timezone.now()), "H:i")


def saved_message():
    return _("Черновик сохранён в %(time)s.") % {"time": now_text()}


def person(user):
    if user is None:
        return _("система")
    return user.get_full_name() or user.email or user.get_username()


def ledger_row_errors(rows):
    """Problems of the ledger rows as {row number: [messages]} (0 for the ledger as a whole)."""
    try:
        cofinancing.parse_ledger(rows)
    except cofinancing.LedgerError as error:
        found = {}
        for number, message in error.problems:
            found.setdefault(number, []).append(message)
        return found
    return {}


def safe_lines(ledger):
    try:
        return cofinancing.parse_ledger(ledger)
    except cofinancing.LedgerError:
        return []


def snapshot_view(snapshot):
    """A snapshot (of a version, or of the working copy) as the templates print it."""
    lines = safe_lines(snapshot.get("ledger") or [])
    shares = snapshot.get("shares") or {}
    requested = snapshot.get("requested_amount")
    return {
        "title": snapshot.get("title", ""),
        "applicant": snapshot.get("applicant", ""),
        "applicant_type": dict(ApplicantType.choices).get(snapshot.get("applicant_type"), ""),
        "group_size": snapshot.get("group_size"),
        "nomination": snapshot.get("nomination", ""),
        "requested": requested if requested not in (None, "None", "") else None,
        "cost": snapshot.get("cost"),
        "lines": lines,
        "shares": [
            {"label": CofinancingSource(source).label, "share": share}
            for source, share in shares.items()
            if source in CofinancingSource.values
        ],
    }


def form_steps(definition, answers):
    """The steps of the application form that show something for these answers (the editor's tabs)."""
    return [definition.steps[index] for index in shown_steps(definition, answers) if definition.steps[index].items]


def engine_errors(errors):
    return [{"anchor": f"field-{item.id}", "label": item.label, "message": message} for item, message in errors]


def form_errors(form):
    items = []
    for name, errors in form.errors.items():
        field = form[name] if name in form.fields else None
        for message in errors:
            if field is None:
                items.append({"anchor": "", "label": "", "message": message})
            else:
                items.append({"anchor": field.id_for_label, "label": field.label, "message": message})
    return items


def place_problems(form, problems):
    """The service's (field, message) problems laid onto the form's fields; the rest are returned."""
    rest = []
    for name, message in problems:
        if name in form.fields and message:
            form.add_error(name, message)
        elif message:
            rest.append((name, message))
    return rest


# --- My applications --------------------------------------------------------------------------------------------


def deadline_of(application):
    if application.status == Application.Status.CORRECTION:
        return application.correction_deadline
    if application.status == Application.Status.DRAFT:
        return application.competition.deadline
    return None


@login_required
def my_applications(request):
    rows = [
        {"application": application, "deadline": deadline_of(application)}
        for application in own_applications(request.user).prefetch_related("competition__stages")
    ]
    return TemplateResponse(
        request, "competitions/cabinet/my_applications.html", {"rows": rows, "title": _("Мои заявки на конкурсы")}
    )


# --- Start ------------------------------------------------------------------------------------------------------


def start_closed_message(competition):
    deadline = competition.deadline
    if deadline is None or timezone.now() >= deadline:
        return competition.intake_closed_message()
    return None


def render_start(request, competition, form, status=200, message=""):
    if not form.is_bound:
        form.initial["start_key"] = uuid4().hex
    context = {
        "competition": competition,
        "form": form,
        "title": _("Новая заявка"),
        "closed_message": start_closed_message(competition),
        "message": message,
        "conflict": status == 409,
        "errors": form_errors(form) if form.is_bound else [],
        "no_tos": competition.accepts_tos and "tos" in form.fields and not form.tos_profiles.exists(),
        "existing": list(own_applications(request.user).filter(competition=competition)),
    }
    return TemplateResponse(request, "competitions/cabinet/start.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def start(request, competition_id):
    """Who applies and with what project; the POST creates the draft once per start_key and opens the editor."""
    competition = get_object_or_404(CompetitionPage.objects.live().specific(), pk=competition_id)
    if request.method == "GET":
        return render_start(request, competition, StartForm(competition, request.user))
    form = StartForm(competition, request.user, request.POST)
    if not form.is_valid():
        return render_start(request, competition, form, status=400)
    try:
        application, _created = applications.start(competition, request.user, **form.service_arguments())
    except applications.Refused as refused:
        rest = place_problems(form, refused.problems)
        message = " ".join(text for _name, text in rest) if refused.problems else refused.message
        return render_start(request, competition, form, status=refused.status, message=message)
    return redirect("competitions:edit", pk=application.pk)


# --- The editor: project tab, form steps, check and submit ------------------------------------------------------


def editor_context(application, current):
    competition = application.competition
    definition = application.submission.version.form
    tabs = [
        {
            "key": "project",
            "title": _("Проект и софинансирование"),
            "url": reverse("competitions:edit", args=[application.pk]),
        }
    ]
    tabs += [
        {
            "key": f"step-{step.number}",
            "title": definition.step_title(step),
            "url": reverse("competitions:edit_step", args=[application.pk, step.number]),
        }
        for step in form_steps(definition, application.submission.data)
    ]
    tabs.append(
        {"key": "check", "title": _("Проверка и подача"), "url": reverse("competitions:check", args=[application.pk])}
    )
    for tab in tabs:
        tab["current"] = tab["key"] == current
    return {
        "application": application,
        "competition": competition,
        "tabs": tabs,
        "title": next((tab["title"] for tab in tabs if tab["current"]), _("Заявка")),
        "revision": application.revision,
        "closed_message": applications.writable_message(application),
        "deadline": deadline_of(application),
    }


def editable_only(view):
    """A page of the editor opened for an application that can no longer change leads to the application."""

    @wraps(view)
    def wrapped(request, application, **kwargs):
        if request.method == "GET" and not application.is_editable:
            messages.info(request, applications.writable_message(application))
            return redirect("competitions:application", pk=application.pk)
        return view(request, application, **kwargs)

    return wrapped


def cofinancing_context(application):
    lines = safe_lines(application.ledger)
    return {
        "summary": cofinancing.summary(application.requested_amount, lines),
        "rule_problems": cofinancing.rule_problems(
            application.competition.cofinancing_rules.all(), application.requested_amount, lines
        )
        if application.requested_amount is not None
        else [],
    }


def render_project(
    request, application, form, rows, *, row_errors=None, blank=BLANK_LEDGER_ROWS, status=200, message=""
):
    errors = form_errors(form) if form.is_bound else []
    for number, problems in sorted((row_errors or {}).items()):
        anchor = f"ledger-row-{number}" if number else "ledger"
        errors += [{"anchor": anchor, "label": _("Софинансирование"), "message": problem} for problem in problems]
    context = {
        **editor_context(application, "project"),
        **cofinancing_context(application),
        "form": form,
        "ledger_rows": ledger_table(rows, row_errors, blank=blank),
        "source_choices": source_choices(),
        "kind_choices": kind_choices(),
        "errors": errors,
        "message": message,
        "conflict": status == 409,
        "rules": list(application.competition.cofinancing_rules.all()),
    }
    return TemplateResponse(request, "competitions/cabinet/edit_project.html", context, status=status)


@applicant_view
@editable_only
@require_http_methods(["GET", "POST"])
def edit(request, application):
    """«Проект и софинансирование»: title, nomination, group, the amount requested and the ledger rows."""
    if request.method == "GET":
        return render_project(request, application, DetailsForm(application), ledger_rows_from_application(application))
    form = DetailsForm(application, request.POST)
    rows = ledger_rows_from_post(request.POST)
    kept = ledger_for_service(rows)
    if request.POST.get("action") == "add_rows":  # not a save: the typed values come back with more empty rows
        posted_blank = sum(1 for row in rows if is_blank(row) and not row["delete"])
        unsaved = DetailsForm(application, initial=request.POST.dict())
        return render_project(request, application, unsaved, kept, blank=posted_blank + MORE_LEDGER_ROWS)
    row_errors = ledger_row_errors(kept)
    if not form.is_valid():
        return render_project(request, application, form, kept, row_errors=row_errors, status=400)
    try:
        applications.update_details(
            application, request.user, revision=posted_revision(request), ledger=kept, **form.service_arguments()
        )
    except applications.Refused as refused:
        rest = [(name, message) for name, message in place_problems(form, refused.problems) if name != "ledger"]
        message = refused.message if not refused.problems else " ".join(message for _name, message in rest)
        return render_project(
            request, application, form, kept, row_errors=row_errors, status=refused.status, message=message
        )
    messages.success(request, saved_message())
    return redirect("competitions:edit", pk=application.pk)


def render_step(request, application, step_index, form, *, errors=(), status=200, message=""):
    definition = application.submission.version.form
    step = definition.steps[step_index]
    context = {
        **editor_context(application, f"step-{step.number}"),
        "step": step,
        "step_title": definition.step_title(step),
        "items": step_items(definition, step, form, visible_field_ids(definition, application.submission.data)),
        "form": form,
        "errors": engine_errors(errors),
        "message": message,
        "conflict": status == 409,
        "is_last": step_after(definition, application.submission.data, step_index) is None,
    }
    return TemplateResponse(request, "competitions/cabinet/edit_step.html", context, status=status)


@applicant_view
@editable_only
@require_http_methods(["GET", "POST"])
def edit_step(request, application, number):
    """One step of the application form; «Далее» checks required answers and moves the furthest step reached."""
    definition = application.submission.version.form
    step_index = number - 1
    if step_index not in {step.index for step in form_steps(definition, application.submission.data)}:
        raise Http404(_("В форме заявки нет такого шага."))
    if request.method == "GET":
        form = engine.step_form(definition, step_index, application.submission)
        return render_step(request, application, step_index, form)
    moving_on = request.POST.get("action") == "next"
    reached = application.submission.current_step
    try:
        result = applications.save_step(
            application,
            request.user,
            step_index,
            request.POST,
            request.FILES,
            revision=posted_revision(request),
            complete=moving_on,
            next_step=furthest_step(definition, step_index, reached) if moving_on else None,
        )
    except engine.Refusal as refusal:
        form = engine.step_form(definition, step_index, application.submission, request.POST, request.FILES)
        return render_step(request, application, step_index, form, status=refusal.status, message=refusal.message)
    application.submission.refresh_from_db()
    if not result.ok:
        return render_step(request, application, step_index, result.form, errors=result.errors, status=400)
    messages.success(request, saved_message())
    if not moving_on:
        return redirect("competitions:edit_step", pk=application.pk, number=number)
    following = step_after(definition, application.submission.data, step_index)
    if following is None:
        return redirect("competitions:check", pk=application.pk)
    return redirect("competitions:edit_step", pk=application.pk, number=following + 1)


def problem_link(application, definition, field):
    """Where the applicant fixes a problem: the project tab or the form step holding the field."""
    if field == "ledger":
        return reverse("competitions:edit", args=[application.pk]) + "#ledger"
    if field in DETAIL_FIELDS:
        return reverse("competitions:edit", args=[application.pk]) + f"#field-{field}"
    item = definition.by_id.get(field)
    if item is None:
        return reverse("competitions:edit", args=[application.pk])
    return reverse("competitions:edit_step", args=[application.pk, item.step + 1]) + f"#field-{item.id}"


def render_check(request, application, *, status=200, message=""):
    definition = application.submission.version.form
    found = applications.readiness_problems(application)
    context = {
        **editor_context(application, "check"),
        **cofinancing_context(application),
        "problems": [
            {"message": text, "url": problem_link(application, definition, field)} for field, text in found if text
        ],
        "message": message,
        "conflict": status == 409,
        "snapshot": snapshot_view(applications.snapshot(application)),
    }
    return TemplateResponse(request, "competitions/cabinet/edit_check.html", context, status=status)


@applicant_view
@editable_only
@require_http_methods(["GET"])
def check(request, application):
    """«Проверка и подача»: what still keeps the application from being submitted, with links to fix each."""
    return render_check(request, application)


@applicant_view
@require_POST
def submit(request, application):
    """Freeze and number the application; a repeated POST shows the same number."""
    try:
        version, _created = applications.submit(application, request.user, revision=posted_revision(request))
    except engine.Refusal as refused:
        application.refresh_from_db()
        return render_check(request, application, status=refused.status, message=refused.message)
    application.refresh_from_db()
    if version.number > 1:
        text = _("Исправленная заявка подана (версия %(version)d). Номер %(number)s.")
        messages.success(request, text % {"version": version.number, "number": application.number})
    else:
        messages.success(request, _("Заявка подана. Номер %(number)s.") % {"number": application.number})
    return redirect("competitions:application", pk=application.pk)


# --- The application, its versions, withdrawal -----------------------------------------------------------------


def history_rows(application):
    """Status changes and saves of the application, newest first, with who made them and when."""
    records = list(application.history.select_related("history_user").order_by("history_date", "history_id"))
    rows, previous = [], None
    for record in records:
        if previous is None:
            what = _("Черновик создан")
        elif record.status != previous.status:
            what = _("Статус: «%(status)s»") % {"status": record.get_status_display()}
            if record.status == Application.Status.SUBMITTED and record.number:
                what += " — " + _("номер %(number)s") % {"number": record.number}
        else:
            what = _("Черновик сохранён")
        rows.append({"when": record.history_date, "who": person(record.history_user), "what": what})
        previous = record
    return rows[::-1]


def review_row(review):
    """A decision as the applicant reads it, with the checklist rows that were not in order and their notes."""
    return {
        "review": review,
        "decision": DECISION_WORDS.get(review.decision, review.get_decision_display()),
        "not_ok": [row for row in review.checklist if not row.get("ok")],
    }


def review_rows(application):
    reviews = AdmissibilityReview.objects.filter(version__application=application).select_related("version")
    return [review_row(review) for review in reviews.order_by("-decided_at")]


def report_rows(application):
    return [
        {"report": report, "late": reports.is_late(report)}
        for report in application.reports.select_related("report_form").order_by("due_at", "pk")
    ]


def public_card_url(request, application):
    competition = application.competition
    url = competition.get_url(request) if competition.live else None
    if application.status != Application.Status.AWARDED or not url:
        return ""
    return url + competition.reverse_subpage("project", args=[application.number])


@applicant_view
@require_http_methods(["GET"])
def application_detail(request, application):
    latest = application.latest_version
    if application.is_editable or latest is None:  # the working copy, as it would be submitted now
        shown = {"snapshot": snapshot_view(applications.snapshot(application)), "submission": application.submission}
    else:
        shown = {"snapshot": snapshot_view(latest.snapshot), "submission": latest.submission, "version": latest}
    context = {
        "application": application,
        "competition": application.competition,
        "title": str(application),
        "shown": shown,
        "deadline": deadline_of(application),
        "closed_message": applications.writable_message(application) if application.is_editable else "",
        "versions": list(application.versions.select_related("submitted_by").order_by("-number")),
        "reviews": review_rows(application),
        "history": history_rows(application),
        "reports": report_rows(application),
        "can_withdraw": application.status in applications.WITHDRAWABLE,
        "public_card_url": public_card_url(request, application),
        "expert_review": applicant_results(application),
    }
    return TemplateResponse(request, "competitions/cabinet/application.html", context)


@applicant_view
@require_http_methods(["GET"])
def version_detail(request, application, number):
    """A submitted version exactly as it was frozen: snapshot, ledger, answers, files and the checksum."""
    version = get_object_or_404(
        ApplicationVersion.objects.select_related("submission__version", "submitted_by"),
        application=application,
        number=number,
    )
    review = AdmissibilityReview.objects.filter(version=version).first()
    context = {
        "application": application,
        "competition": application.competition,
        "version": version,
        "title": _("Версия %(number)d") % {"number": version.number},
        "snapshot": snapshot_view(version.snapshot),
        "review": review_row(review) if review else None,
    }
    return TemplateResponse(request, "competitions/cabinet/version.html", context)


@applicant_view
@require_http_methods(["GET", "POST"])
def withdraw(request, application):
    """Withdraw after a confirmation; the application and its versions stay, with the status «отозвана»."""
    context = {"application": application, "competition": application.competition, "title": _("Отозвать заявку")}
    if request.method == "GET":
        if application.status not in applications.WITHDRAWABLE:
            messages.info(
                request,
                _("Заявку в статусе «%(status)s» отозвать нельзя.") % {"status": application.get_status_display()},
            )
            return redirect("competitions:application", pk=application.pk)
        return TemplateResponse(request, "competitions/cabinet/withdraw.html", context)
    reason = request.POST.get("reason", "")
    try:
        applications.withdraw(application, request.user, reason=reason)
    except applications.Refused as refused:
        context.update(message=refused.message, reason=reason)
        return TemplateResponse(request, "competitions/cabinet/withdraw.html", context, status=refused.status)
    messages.success(request, _("Заявка отозвана. Она останется в списке ваших заявок со статусом «отозвана»."))
    return redirect("competitions:application", pk=application.pk)


# --- Reports ----------------------------------------------------------------------------------------------------


def render_report(request, report, step_index, form, *, errors=(), status=200, message=""):
    definition = report.submission.version.form
    answers = report.submission.data
    shown = form_steps(definition, answers)
    step = definition.steps[step_index]
    context = {
        "report": report,
        "application": report.application,
        "competition": report.application.competition,
        "title": report.report_form.title,
        "late": reports.is_late(report),
        "revision": report.revision,
        "steps": [
            {
                "number": other.number,
                "title": definition.step_title(other),
                "current": other.index == step_index,
                "url": reverse("competitions:report", args=[report.pk]) + f"?step={other.number}",
            }
            for other in shown
        ],
        "step": step,
        "step_title": definition.step_title(step),
        "items": step_items(definition, step, form, visible_field_ids(definition, answers)) if form is not None else [],
        "form": form,
        "errors": engine_errors(errors),
        "message": message,
        "conflict": status == 409,
        "is_last": step_after(definition, answers, step_index) is None,
    }
    return TemplateResponse(request, "competitions/cabinet/report.html", context, status=status)


def requested_step(raw, definition, answers):
    shown = [step.index for step in form_steps(definition, answers)] or [0]
    try:
        index = int(raw) - 1
    except (TypeError, ValueError):
        return shown[0]
    return index if index in shown else shown[0]


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    """A winner's report: filled step by step and handed in; returned with remarks; read-only once handed in."""
    report = get_object_or_404(
        ApplicationReport.objects.select_related("application__competition", "report_form", "submission__version"),
        pk=pk,
    )
    if report.application.applicant_id != request.user.pk:
        raise PermissionDenied(NOT_YOURS)
    definition = report.submission.version.form
    if not report.is_editable:
        if request.method == "POST":
            message = reports.ReportGate(report).closed_message()
            return render_report(request, report, 0, None, status=409, message=message)
        return render_report(request, report, 0, None)
    if request.method == "GET":
        step_index = requested_step(request.GET.get("step"), definition, report.submission.data)
        return render_report(request, report, step_index, engine.step_form(definition, step_index, report.submission))
    step_index = requested_step(request.POST.get("step"), definition, report.submission.data)
    action = request.POST.get("action", "save")
    moving_on = action in {"next", "submit"}
    reached = report.submission.current_step
    try:
        result = reports.save_step(
            report,
            request.user,
            step_index,
            request.POST,
            request.FILES,
            revision=posted_revision(request),
            complete=moving_on,
            next_step=furthest_step(definition, step_index, reached) if moving_on else None,
        )
        report.submission.refresh_from_db()
        following = step_after(definition, report.submission.data, step_index)
        if result.ok and action == "submit" and following is None:
            reports.submit(report, request.user)  # the answers just saved stay saved if the hand-in is refused
    except engine.Refusal as refusal:
        report.refresh_from_db()
        report.submission.refresh_from_db()
        problems = getattr(refusal, "problems", [])
        missing = [definition.by_id[field] for field, _message in problems if field in definition.by_id]
        if missing:
            return render_missing(request, report, definition, missing)
        form = engine.step_form(definition, step_index, report.submission, request.POST, request.FILES)
        return render_report(request, report, step_index, form, status=refusal.status, message=refusal.message)
    if not result.ok:
        return render_report(request, report, step_index, result.form, errors=result.errors, status=400)
    report.refresh_from_db()
    if report.status == ApplicationReport.Status.SUBMITTED:
        messages.success(request, _("Отчёт «%(title)s» сдан.") % {"title": report.report_form.title})
        return redirect("competitions:application", pk=report.application_id)
    messages.success(request, saved_message())
    target = following if moving_on and following is not None else step_index
    return redirect(reverse("competitions:report", args=[report.pk]) + f"?step={target + 1}")


def render_missing(request, report, definition, missing):
    """Hand-in found required answers missing: the first such step with its errors."""
    step_index, form, errors = missing_step(definition, report.submission, missing)
    return render_report(request, report, step_index, form, errors=errors, status=400)
