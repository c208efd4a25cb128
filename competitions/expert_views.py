"""The expert's pages in the personal cabinet: /<lang>/cabinet/expert/…

An expert sees only their own assignments: the queue is built from their queryset, and the sheet page (with the
application's files) answers 403 for anyone else's assignment. No page shows another expert's sheet or score.
Every write goes through the services (competitions.scoring, competitions.assignment), which check again at the
moment of the write who writes, that the assignment is still active, the round open and the sheet's revision
current; a refusal re-renders the same page with what was typed and the reasons, with the service's status.
"""

from decimal import Decimal
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Locale

from competitions import assignment as assigning
from competitions import declarations, scoring
from competitions.applications import Refused
from competitions.expert_forms import SignForm, TieForm
from competitions.models import (
    CompetitionPage,
    ConflictDeclaration,
    Expert,
    ExpertAssignment,
    ExpertTie,
    ScoreSheet,
    ScoringRound,
    moment,
)
from competitions.public import duration_text
from competitions.views import now_text, posted_revision, snapshot_view
from forms.engine import StepForm
from forms.fields import format_decimal
from forms.models import SubmissionFile
from forms.views import is_grouped, private_file_response

NOT_AN_EXPERT = gettext_lazy(
    "Эта страница — для экспертов конкурсов, а вас нет в пуле экспертов. Если вас пригласили экспертом, "
    "попросите секретаря конкурса добавить вас в пул."
)
NOT_YOUR_SHEET = gettext_lazy("Это назначение другого эксперта: лист оценки открывает только назначенный эксперт.")
HIDDEN_APPLICANT = gettext_lazy("скрыт по правилам конкурса")


# --- Helpers ----------------------------------------------------------------------------------------------------


def expert_view(view):
    """Sign-in first, then the person's Expert row (403 with an explanation for everyone else)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        expert = Expert.objects.filter(user=request.user).first()
        if expert is None:
            raise PermissionDenied(NOT_AN_EXPERT)
        return view(request, expert, *args, **kwargs)

    return wrapped


def own_assignment(request, assignment_id):
    """The assignment if it is the signed-in expert's (404 if there is none, 403 if it is someone else's)."""
    assignment = get_object_or_404(
        ExpertAssignment.objects.select_related(
            "expert", "application__nomination", "application__tos", "scoring_round__competition"
        ),
        pk=assignment_id,
    )
    if not scoring.can_score(request.user, assignment):
        raise PermissionDenied(NOT_YOUR_SHEET)
    return assignment


def deadline_info(competition, now):
    """The end of the «экспертиза» stage with what is left of it, as the pages print it."""
    deadline = competition.review_deadline
    if deadline is None:
        return {"deadline": None, "overdue": False, "left": _("не указан в конкурсе")}
    if now >= deadline:
        return {"deadline": deadline, "overdue": True, "left": _("срок истёк")}
    left = _("осталось %(left)s") % {"left": duration_text(deadline - now)}
    return {"deadline": deadline, "overdue": False, "left": left}


def round_text(scoring_round):
    if scoring_round is None:
        return _("Экспертиза ещё не начата: заявки назначит секретарь после проверки документов.")
    if scoring_round.is_open:
        return _("Идёт экспертиза: оценки можно сохранять черновиком и отправлять.")
    if scoring_round.status == ScoringRound.Status.CLOSED:
        return _("Оценка закрыта секретарём %(when)s (мск): листы только для чтения, итоги ещё не опубликованы.") % {
            "when": moment(scoring_round.closed_at)
        }
    return _("Оценка закрыта, итоги опубликованы %(when)s (мск).") % {"when": moment(scoring_round.published_at)}


def sheet_state(sheet):
    """(key, words) of a sheet as the queue shows it."""
    if sheet is not None and sheet.is_submitted:
        return "submitted", _("отправлен, итог %(total)s") % {"total": scoring.score_text(sheet.expert_total)}
    if sheet is not None and sheet.answers:
        return "draft", _("черновик")
    return "new", _("не начат")


def applicant_of(application, competition):
    return HIDDEN_APPLICANT if competition.hide_applicant_from_experts else application.applicant_name


def has_expert_criteria(competition):
    return any(criterion.is_expert for criterion in competition.criteria)


# --- The queue --------------------------------------------------------------------------------------------------


def assignment_row(assignment):
    sheet = getattr(assignment, "sheet", None)
    state, words = sheet_state(sheet)
    application = assignment.application
    return {
        "assignment": assignment,
        "number": application.number,
        "title": application.title,
        "applicant": applicant_of(application, assignment.scoring_round.competition),
        "state": state,
        "state_text": words,
        "url": reverse("experts:sheet", args=[assignment.pk]),
    }


def awaiting_declaration(expert, known_ids):
    """Live competitions whose review is not over and that have expert criteria, not yet declared for."""
    candidates = (
        CompetitionPage.objects.live()
        .filter(locale=Locale.get_default())
        .exclude(pk__in=known_ids)
        .exclude(scoring_round__status__in=[ScoringRound.Status.CLOSED, ScoringRound.Status.PUBLISHED])
        .prefetch_related("stages")
        .order_by("title")
    )
    return [competition for competition in candidates if has_expert_criteria(competition)]


def queue_groups(expert, now):
    assignments = list(
        ExpertAssignment.objects.filter(expert=expert)
        .select_related("application__tos", "scoring_round__competition", "sheet")
        .order_by("application__number", "pk")
    )
    declarations = {
        declaration.competition_id: declaration
        for declaration in ConflictDeclaration.objects.filter(expert=expert).select_related("competition")
    }
    competitions = {}
    for assignment in assignments:
        competitions.setdefault(assignment.scoring_round.competition_id, assignment.scoring_round.competition)
    for declaration in declarations.values():
        competitions.setdefault(declaration.competition_id, declaration.competition)
    for competition in awaiting_declaration(expert, set(competitions)):
        competitions[competition.pk] = competition
    rounds = {item.competition_id: item for item in ScoringRound.objects.filter(competition_id__in=competitions)}
    groups = []
    for competition_id, competition in competitions.items():
        own = [assignment for assignment in assignments if assignment.scoring_round.competition_id == competition_id]
        active = [assignment_row(assignment) for assignment in own if assignment.is_active]
        sent = sum(1 for row in active if row["state"] == "submitted")
        scoring_round = rounds.get(competition_id)
        groups.append(
            {
                "competition": competition,
                "round": scoring_round,
                "round_text": round_text(scoring_round),
                "deadline": deadline_info(competition, now),
                "declaration": declarations.get(competition_id),
                "active": active,
                "ended": [assignment for assignment in own if not assignment.is_active],
                "assigned": len(active),
                "sent": sent,
                "left": len(active) - sent,
                "is_open": scoring_round is None or scoring_round.is_open,
            }
        )
    groups.sort(key=lambda group: (not group["is_open"], -group["left"], group["competition"].title))
    return groups


@expert_view
@require_http_methods(["GET"])
def queue(request, expert):
    """«Экспертиза: мои заявки»: per competition the deadline, the declaration and the expert's own assignments."""
    groups = queue_groups(expert, timezone.now())
    context = {
        "expert": expert,
        "groups": groups,
        "title": _("Экспертиза: мои заявки"),
        "totals": {
            "assigned": sum(group["assigned"] for group in groups),
            "sent": sum(group["sent"] for group in groups),
            "left": sum(group["left"] for group in groups),
        },
    }
    return TemplateResponse(request, "competitions/expert/queue.html", context)


def expert_section(request):
    """The cabinet's «Экспертиза: мои заявки» section, for experts only."""
    if not request.user.is_authenticated:
        return None
    expert = Expert.objects.filter(user=request.user).first()
    if expert is None:
        return None
    active = ExpertAssignment.objects.filter(expert=expert).active()
    sent = active.filter(sheet__status=ScoreSheet.Status.SUBMITTED).count()
    assigned = active.count()
    unsigned = len(awaiting_declaration(expert, set(expert.declarations.values_list("competition_id", flat=True))))
    return {"assigned": assigned, "sent": sent, "left": assigned - sent, "unsigned": unsigned}


# --- The declaration --------------------------------------------------------------------------------------------


def form_errors(form):
    """A form's errors for the summary at the top: the field's label and the message, linked to the field."""
    items = []
    for name, errors in form.errors.items():
        field = form[name] if name in form.fields else None
        for message in errors:
            items.append(
                {
                    "anchor": field.id_for_label if field else "",
                    "message": f"{field.label}: {message}" if field else message,
                }
            )
    return items


def render_declaration(request, expert, competition, *, tie_form=None, sign_form=None, status=200, message=""):
    declaration = ConflictDeclaration.objects.filter(expert=expert, competition=competition).first()
    scoring_round = ScoringRound.objects.filter(competition=competition).first()
    errors = []
    for form in (tie_form, sign_form):
        if form is not None and form.is_bound:
            errors += form_errors(form)
    context = {
        "expert": expert,
        "competition": competition,
        "declaration": declaration,
        "ties": declarations.ties_of(expert),
        "statement": declaration.statement if declaration else declarations.statement_text(expert, competition),
        "tie_form": tie_form or TieForm(),
        "sign_form": sign_form or SignForm(),
        "errors": errors,
        "message": message,
        "round_text": round_text(scoring_round),
        "can_sign": declaration is None and (scoring_round is None or scoring_round.is_open),
        "deadline": deadline_info(competition, timezone.now()),
        "title": _("Декларация об отсутствии конфликта интересов"),
    }
    return TemplateResponse(request, "competitions/expert/declaration.html", context, status=status)


def declared_competition(competition_id):
    return get_object_or_404(CompetitionPage.objects.live().prefetch_related("stages"), pk=competition_id)


@expert_view
@require_http_methods(["GET"])
def declaration(request, expert, competition_id):
    """The expert's ties and the declaration for one competition: signed, or the text to sign."""
    return render_declaration(request, expert, declared_competition(competition_id))


@expert_view
@require_POST
def add_tie(request, expert, competition_id):
    """Declare one more tie; it counts in every later assignment, in every competition."""
    competition = declared_competition(competition_id)
    form = TieForm(request.POST, instance=ExpertTie(expert=expert))
    if not form.is_valid():
        return render_declaration(request, expert, competition, tie_form=form, status=400)
    with transaction.atomic():
        tie = form.save(commit=False)
        tie._history_user = request.user
        tie.save()
    messages.success(request, _("Связь «%(tie)s» добавлена.") % {"tie": tie})
    return redirect("experts:declaration", competition_id=competition.pk)


@expert_view
@require_POST
def sign(request, expert, competition_id):
    """Sign the declaration once per competition; a repeated signature shows the one already signed."""
    competition = declared_competition(competition_id)
    form = SignForm(request.POST)
    if not form.is_valid():
        return render_declaration(request, expert, competition, sign_form=form, status=400)
    try:
        declaration, created = declarations.sign(expert, competition, request.user)
    except Refused as refused:
        return render_declaration(
            request, expert, competition, sign_form=form, status=refused.status, message=refused.message
        )
    if not created:
        messages.info(
            request,
            _("Декларация по этому конкурсу уже подписана %(when)s (мск); повторно подписывать не нужно.")
            % {"when": moment(declaration.signed_at)},
        )
    else:
        messages.success(
            request,
            _("Декларация подписана. Теперь секретарь может назначать вам заявки этого конкурса."),
        )
    return redirect("experts:declaration", competition_id=competition.pk)


# --- The sheet --------------------------------------------------------------------------------------------------


def application_view(assignment, version):
    """The left column: the frozen version's snapshot and answers, as an expert may read them."""
    competition = assignment.scoring_round.competition
    shown, answers = scoring.version_for_expert(competition, version)
    snapshot = snapshot_view(shown)
    if competition.hide_applicant_from_experts:
        snapshot["applicant"] = str(HIDDEN_APPLICANT)
    return {
        "version": version,
        "snapshot": snapshot,
        "answers": [{"item": item, "stored": stored, "text": text} for item, stored, text in answers],
    }


def stored_answer(sheet, key):
    return sheet.answers.get(key) if sheet is not None else None


def criterion_entry(criterion, sheet, *, application, posted, problems):
    """An expert criterion as the sheet draws it: scale, bands, weight, the value typed or saved, its problems."""
    saved = stored_answer(sheet, criterion.id) or {}
    saved_score = saved.get("score") if isinstance(saved, dict) else None
    if posted is None:
        score = scoring.score_text(saved_score)
        comment = saved.get("comment", "") if isinstance(saved, dict) else ""
    else:
        score = posted.get(criterion.id, "")
        comment = posted.get(f"{criterion.id}-comment", "")
    nomination = application.nomination.name if application.nomination_id else ""
    return {
        "criterion": criterion,
        "id": criterion.id,
        "score": score,
        "comment": comment,
        "weight": format_decimal(criterion.weight_for(nomination, application.requested_amount)),
        "bands": [
            {"range": f"{format_decimal(low)}–{format_decimal(high)}", "text": text}
            for low, high, text in criterion.bands
        ],
        "band_now": criterion.band_text(Decimal(saved_score)) if saved_score not in (None, "") else "",
        "errors": [message for key, message in problems if key == criterion.id],
        "comment_errors": [message for key, message in problems if key == f"{criterion.id}-comment"],
    }


def questions_form(scoring_round, sheet, posted, problems):
    """The sheet's other questions as a form: the posted values after a refusal, otherwise the saved answers."""
    questions = scoring_round.sheet.fields
    if posted is None:
        initial = {item.id: item.block.to_initial(item.value, stored_answer(sheet, item.id)) for item in questions}
        form = StepForm(questions, initial=initial)
        form._errors, form.cleaned_data = ErrorDict(), {}
    else:
        form = StepForm(questions, data={item.id: posted[item.id] for item in questions if item.id in posted})
        form.full_clean()
    for key, message in problems:
        if key in form.fields and not form.errors.get(key):
            form.add_error(key, message)
    return form


def sheet_sections(assignment, sheet, *, editable, posted=None, problems=()):
    """The sheet in the methodologist's order, step by step: criteria, questions and static text."""
    scoring_round = assignment.scoring_round
    criteria = {criterion.id: criterion for criterion in scoring_round.criteria}
    form = questions_form(scoring_round, sheet, posted, problems) if editable else None
    sections = []
    for step in scoring_round.sheet.steps:
        entries = []
        for item in step.items:
            if item.id in criteria:
                criterion = criteria[item.id]
                if criterion.is_expert:
                    entry = criterion_entry(
                        criterion, sheet, application=assignment.application, posted=posted, problems=problems
                    )
                    entries.append({"kind": "criterion", **entry})
                else:
                    entries.append({"kind": "computed", "criterion": criterion})
            elif item.is_field:
                stored = stored_answer(sheet, item.id)
                entries.append(
                    {
                        "kind": "question",
                        "item": item,
                        "field": form[item.id] if form is not None else None,
                        "grouped": is_grouped(item),
                        "text": item.display(stored),
                    }
                )
            else:
                entries.append({"kind": "static", "html": item.render_block()})
        sections.append({"title": step.title, "description": step.description, "entries": entries})
    return sections


def problem_anchor(key, criteria_ids):
    if key in criteria_ids:
        return f"score-{key}"
    if key.endswith("-comment") and key.removesuffix("-comment") in criteria_ids:
        return f"comment-{key.removesuffix('-comment')}"
    return f"field-{key}"


def render_sheet(
    request, assignment, sheet, *, posted=None, problems=(), message="", status=200, conflict=False, recusal=None
):
    scoring_round = assignment.scoring_round
    competition = scoring_round.competition
    editable = bool(assignment.is_active and scoring_round.is_open and sheet is not None and not sheet.is_submitted)
    criteria_ids = {criterion.id for criterion in scoring_round.criteria}
    version = scoring.scored_version(assignment, sheet) if assignment.is_active else None
    context = {
        "assignment": assignment,
        "application": assignment.application,
        "competition": competition,
        "scoring_round": scoring_round,
        "round_text": round_text(scoring_round),
        "deadline": deadline_info(competition, timezone.now()),
        "sheet": sheet,
        "editable": editable,
        "ended": not assignment.is_active,
        "shown": application_view(assignment, version) if version is not None else None,
        "sections": sheet_sections(assignment, sheet, editable=editable, posted=posted, problems=problems)
        if assignment.is_active
        else [],
        "total": scoring.score_text(sheet.expert_total) if sheet is not None else "",
        "errors": [{"anchor": problem_anchor(key, criteria_ids), "message": text} for key, text in problems if text],
        "message": "" if problems else message,
        "conflict": conflict,
        "can_recuse": editable,
        "recusal": recusal or {},
        "title": _("Оценка заявки %(number)s") % {"number": assignment.application.number},
    }
    return TemplateResponse(request, "competitions/expert/sheet.html", context, status=status)


def open_sheet(assignment, user):
    """The sheet of an active assignment (started on first open); of an ended one, only if it already exists."""
    if not assignment.is_active:
        return ScoreSheet.objects.filter(assignment=assignment).first()
    try:
        return scoring.sheet_for(assignment, user)
    except Refused as refused:
        raise PermissionDenied(refused.message) from None


def posted_values(request, scoring_round):
    """What the sheet's form posted, in the shape scoring.save_sheet reads (lists for multiple choices)."""
    posted = {}
    for criterion in scoring_round.criteria:
        if criterion.is_expert:
            posted[criterion.id] = request.POST.get(criterion.id, "")
            posted[f"{criterion.id}-comment"] = request.POST.get(f"{criterion.id}-comment", "")
    for item in scoring_round.sheet.fields:
        if getattr(item.form_field().widget, "allow_multiple_selected", False):
            posted[item.id] = request.POST.getlist(item.id)
        elif item.id in request.POST:
            posted[item.id] = request.POST[item.id]
    return posted


@login_required
@require_http_methods(["GET", "POST"])
def sheet_page(request, assignment_id):
    """The application as it was submitted beside the expert's sheet: save a draft, send (then locked), read."""
    assignment = own_assignment(request, assignment_id)
    sheet = open_sheet(assignment, request.user)
    if request.method == "GET":
        return render_sheet(request, assignment, sheet)
    if sheet is None:
        message = _("Вы больше не назначены на эту заявку: оценка не принимается.")
        return render_sheet(request, assignment, sheet, message=message, status=409)
    submit = request.POST.get("action") == "submit"
    posted = posted_values(request, assignment.scoring_round)
    try:
        scoring.save_sheet(sheet, request.user, posted, revision=posted_revision(request), submit=submit)
    except Refused as refused:
        assignment = own_assignment(request, assignment_id)
        sheet = ScoreSheet.objects.get(pk=sheet.pk)
        still_editable = assignment.is_active and assignment.scoring_round.is_open and not sheet.is_submitted
        return render_sheet(
            request,
            assignment,
            sheet,
            posted=posted if still_editable else None,
            problems=refused.problems if still_editable else (),
            message=refused.message,
            status=refused.status,
            conflict=still_editable and refused.status == 409,
        )
    sheet.refresh_from_db()
    if submit:
        messages.success(
            request,
            _("Оценка отправлена, ваш итог — %(total)s. Лист заблокирован: изменить его больше нельзя.")
            % {"total": scoring.score_text(sheet.expert_total)},
        )
    else:
        messages.success(request, _("Черновик сохранён в %(time)s.") % {"time": now_text()})
    return redirect("experts:sheet", assignment_id=assignment.pk)


@login_required
@require_POST
def recuse(request, assignment_id):
    """Step down from an application with a reason; the least loaded expert without a conflict takes it over."""
    assignment = own_assignment(request, assignment_id)
    reason = request.POST.get("reason", "")
    try:
        _ended, replacement = assigning.recuse(assignment, request.user, reason=reason)
    except Refused as refused:
        assignment = own_assignment(request, assignment_id)
        sheet = open_sheet(assignment, request.user)
        recusal = {"reason": reason, "error": refused.message}
        return render_sheet(request, assignment, sheet, message=refused.message, status=refused.status, recusal=recusal)
    if replacement is not None:
        messages.success(request, _("Вы взяли самоотвод; заявка передана другому эксперту."))
    else:
        messages.warning(
            request,
            _("Вы взяли самоотвод; заменить вас пока некем, секретарь назначит эксперта на заявку вручную."),
        )
    return redirect("experts:queue")


@login_required
@require_http_methods(["GET"])
def application_file(request, assignment_id, file_id):
    """A file of the version the expert scores, for the assigned expert only."""
    assignment = own_assignment(request, assignment_id)
    if not assignment.is_active:
        raise PermissionDenied(_("Вы больше не назначены на эту заявку: её файлы недоступны."))
    sheet = ScoreSheet.objects.filter(assignment=assignment).select_related("version").first()
    version = scoring.scored_version(assignment, sheet)
    if version is None:
        raise Http404(_("У заявки нет поданной версии."))
    stored = get_object_or_404(SubmissionFile, pk=file_id, submission_id=version.submission_id)
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Файл не найден в хранилище.")) from None
    return private_file_response(handle, stored.original_name, "application/octet-stream")
