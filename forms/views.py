"""The form as people fill it in: steps, drafts, autosave, submit; their own answers; protected files."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from forms import engine
from forms.conditions import client_rule, describe_condition, visible_field_ids
from forms.models import Submission, SubmissionFile
from forms.permissions import can_view_submissions

RESPONDENT_COOKIE = "form_respondent"
RESPONDENT_COOKIE_SALT = "forms.respondent"
ACTIONS = {"next", "back", "save", "autosave", "submit"}


def respondent(request):
    """(user or None, anonymous respondent key or "") for this request."""
    if request.user.is_authenticated:
        return request.user, ""
    token = request.get_signed_cookie(RESPONDENT_COOKIE, default=None, salt=RESPONDENT_COOKIE_SALT)
    return None, engine.respondent_key_for(token)


def serve_form(page, request):
    user, key = respondent(request)
    context = {"page": page, "self": page}
    if user is None and not page.allow_anonymous:
        if request.method == "POST":
            return _refused(request, page, _("Войдите, чтобы ответить на эту форму."), 403)
        return TemplateResponse(request, "forms/form_login_required.html", context)

    sent = Submission.objects.submitted().filter(page_id=page.pk).of_respondent(user, key)
    if request.GET.get("done"):
        done = sent.first()
        if done:
            return TemplateResponse(request, "forms/form_done.html", {**context, "submission": done})

    if page.one_per_user:
        earlier = sent.first()
        if earlier:
            message = _("Вы уже ответили на эту форму %(when)s: второй ответ не принимается.") % {
                "when": date_format(localtime(earlier.submitted_at), "d.m.Y H:i")
            }
            if request.method == "POST":
                return _refused(request, page, message, 409)
            return TemplateResponse(
                request, "forms/form_already_sent.html", {**context, "submission": earlier, "message": message}
            )

    closed = page.closed_message()
    if closed:
        if request.method == "POST":
            return _refused(request, page, closed, 403)
        return TemplateResponse(request, "forms/form_closed.html", {**context, "message": closed})

    if getattr(request, "is_preview", False):
        definition = page.definition
        requested = request.GET.get("step", "1")
        step_index = min(int(requested) - 1 if requested.isdigit() and int(requested) else 0, len(definition.steps) - 1)
        return _render_step(request, page, definition, step_index, engine.step_form(definition, step_index), None)

    if request.method == "POST":
        return _post(page, request, user, key)

    draft = Submission.objects.drafts().filter(page_id=page.pk).of_respondent(user, key).first()
    if draft:
        draft = engine.move_to_version(draft, page.current_version())
        definition = draft.version.form
    else:
        definition = page.definition
    step_index = _requested_step(request.GET.get("step"), definition, draft)
    form = engine.step_form(definition, step_index, draft)
    return _render_step(request, page, definition, step_index, form, draft)


def _post(page, request, user, key):
    action = request.POST.get("action")
    if action not in ACTIONS:
        action = "next"
    new_token = None
    if user is None and not key:
        new_token = secrets.token_urlsafe(24)
        key = engine.respondent_key_for(new_token)
    draft = engine.draft_for(page, user=user, respondent_key=key)
    definition = draft.version.form
    step_index = _requested_step(request.POST.get("step"), definition, draft)
    if action == "submit" and step_after(definition, draft.data, step_index) is not None:
        action = "next"

    if action == "submit" and user is None:
        limited = _rate_limited(request, page)
        if limited:
            return _with_cookie(_refused(request, page, limited, 429), new_token)

    try:
        reached = draft.current_step
        missing = []
        if action == "submit":
            result, missing = engine.submit_step(page, draft, step_index, request.POST, request.FILES, user=user)
        else:
            result = engine.save_step(
                page,
                draft,
                step_index,
                request.POST,
                request.FILES,
                user=user,
                complete=action == "next",
                next_step=(lambda answers: max(step_after(definition, answers, step_index) or step_index, reached))
                if action == "next"
                else None,
            )
        if not result.ok:
            if action == "autosave":
                return JsonResponse({"saved": False, "errors": _error_list(result.errors)}, status=400)
            response = _render_step(
                request,
                page,
                definition,
                step_index,
                result.form,
                draft if draft.pk else None,
                errors=result.errors,
                status=400,
            )
            return _with_cookie(response, new_token)
        if action == "submit":
            if missing:
                return _with_cookie(_render_missing(request, page, definition, draft, missing), new_token)
            return _with_cookie(redirect(f"{page.url}?done=1"), new_token)
    except engine.Refusal as refusal:
        if action == "autosave":
            return JsonResponse(
                {"saved": False, "errors": [{"field": None, "message": refusal.message}]}, status=refusal.status
            )
        return _with_cookie(_refused(request, page, refusal.message, refusal.status), new_token)

    if action == "autosave":
        return JsonResponse({"saved": True, "saved_at": date_format(localtime(timezone.now()), "H:i")})
    if action == "next":
        target = step_after(definition, draft.data, step_index) or step_index
    elif action == "back":
        target = _step_before(definition, draft.data, step_index)
    else:
        target = step_index
    if action == "save":
        messages.success(
            request,
            _(
                "Черновик сохранён в %(time)s. Продолжить можно с любого устройства: "
                "«Личный кабинет» → «Мои формы и опросы»."
            )
            % {"time": date_format(localtime(timezone.now()), "H:i")},
        )
    return _with_cookie(redirect(f"{page.url}?step={target + 1}"), new_token)


def shown_steps(definition, answers, visible=None):
    """Indexes of the steps that show something for these answers; a step whose fields are all hidden is skipped."""
    visible = visible_field_ids(definition, answers) if visible is None else visible
    return [
        step.index
        for step in definition.steps
        if not step.fields or any(is_rendered(definition, item, visible) for item in step.fields)
    ]


def step_after(definition, answers, index):
    return next((shown for shown in shown_steps(definition, answers) if shown > index), None)


def _step_before(definition, answers, index):
    return max((shown for shown in shown_steps(definition, answers) if shown < index), default=0)


def _requested_step(raw, definition, draft):
    """Steps are numbered from 1 in addresses; a person may go back, but not past the furthest step reached."""
    try:
        index = int(raw) - 1
    except (TypeError, ValueError):
        index = draft.current_step if draft else 0
    furthest = draft.current_step if draft else 0
    return max(0, min(index, furthest, len(definition.steps) - 1))


def _render_step(request, page, definition, step_index, form, draft, errors=(), status=200):
    step = definition.steps[step_index]
    answers = draft.data if draft else {}
    visible = visible_field_ids(definition, answers)
    shown = shown_steps(definition, answers, visible)
    items = step_items(definition, step, form, visible)
    context = {
        "page": page,
        "self": page,
        "definition": definition,
        "step": step,
        "step_title": definition.step_title(step),
        "position": shown.index(step_index) + 1 if step_index in shown else step.number,
        "steps": [
            {
                "number": other.number,
                "title": definition.step_title(other),
                "state": "done" if other.index < step_index else "current" if other.index == step_index else "todo",
                "reachable": draft is not None and other.index <= draft.current_step,
            }
            for other in definition.steps
            if other.index in shown
        ],
        "is_first": step_index == 0,
        "is_last": not any(index > step_index for index in shown),
        "items": items,
        "form": form,
        "errors": _error_list(errors),
        "draft": draft,
        "can_save_draft": request.user.is_authenticated,
    }
    return TemplateResponse(request, "forms/form_page.html", context, status=status)


def step_items(definition, step, form, visible):
    """The items of one step as drawn: fields with their client rules, static blocks as HTML."""
    items = []
    for item in step.items:
        if not item.is_field:
            items.append({"item": item, "html": item.render_block()})
            continue
        if not is_rendered(definition, item, visible):
            continue
        items.append(
            {
                "item": item,
                "field": form[item.id],
                "rule": client_rule(definition, item),
                "note": describe_condition(definition, item) if item.condition else "",
                "grouped": is_grouped(item),
            }
        )
    return items


def is_grouped(item):
    """Widgets made of several inputs get a fieldset and legend instead of a label."""
    if item.block_type == "single_choice":
        return item.value.get("widget", "radio") == "radio"
    return item.block_type in {"multiple_choice", "yes_no", "rows", "date_range"}


def is_rendered(definition, item, visible):
    """A field is drawn if shown by earlier steps' answers; a rule on its own step is left to the browser."""
    condition = item.condition
    if condition is None:
        return True
    target = definition.by_code.get(condition["field_code"])
    if target is None:
        return False
    if target.step == item.step:
        return is_rendered(definition, target, visible)
    return item.id in visible


def missing_step(definition, submission, missing):
    """Required answers found missing on submit: the first such step's form with its errors, and every error."""
    step_index = missing[0].step
    form = engine.step_form(definition, step_index, submission)
    form._errors, form.cleaned_data = ErrorDict(), {}
    errors = []
    for item in missing:
        message = engine.required_message(item)
        errors.append((item, message))
        if item.step == step_index:
            form.add_error(item.id, message)
    return step_index, form, errors


def _render_missing(request, page, definition, draft, missing):
    """Submit found required answers missing (on any step): show the first such step with its errors."""
    draft.refresh_from_db()
    step_index, form, errors = missing_step(definition, draft, missing)
    return _render_step(request, page, definition, step_index, form, draft, errors=errors, status=400)


def _refused(request, page, message, status):
    context = {"page": page, "self": page, "message": message}
    return TemplateResponse(request, "forms/form_refused.html", context, status=status)


def _with_cookie(response, token):
    if token:
        response.set_signed_cookie(
            RESPONDENT_COOKIE,
            token,
            salt=RESPONDENT_COOKIE_SALT,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _rate_limited(request, page):
    """Anonymous answers per address and form per hour; past the limit the answer is refused with 429."""
    limit = settings.FORMS_ANONYMOUS_SUBMISSIONS_PER_HOUR
    address = request.META.get(settings.CLIENT_IP_HEADER or "REMOTE_ADDR") or request.META.get("REMOTE_ADDR", "")
    bucket = f"forms:rate:{page.pk}:{engine.respondent_key_for(address)}:{timezone.now():%Y%m%d%H}"
    cache.add(bucket, 0, timeout=3600)
    try:
        count = cache.incr(bucket)
    except ValueError:
        cache.set(bucket, 1, timeout=3600)
        count = 1
    if count > limit:
        return _("С вашего адреса за этот час отправлено слишком много ответов. Попробуйте позже.")
    return None


def _error_list(errors):
    """Errors as [{field, label, message}]: the error summary of the page and the autosave's JSON."""
    return [{"field": item.id, "label": item.label, "message": message} for item, message in errors]


def my_submission(request, pk):
    """The author's own answers, read-only, exactly as submitted (or the draft so far)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    submission = get_object_or_404(
        Submission.objects.standalone().select_related("page", "version"), pk=pk, user=request.user
    )
    return render(request, "forms/my_submission.html", {"submission": submission, "page": submission.page.specific})


def download_file(request, pk):
    """A file of a submission: its author and staff who may view submissions; nobody else."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    stored = get_object_or_404(SubmissionFile.objects.select_related("submission"), pk=pk)
    if stored.submission.user_id != request.user.pk and not can_view_submissions(request.user):
        raise PermissionDenied(_("Этот файл доступен только автору ответа и сотрудникам платформы."))
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Файл не найден в хранилище.")) from None
    return private_file_response(handle, stored.original_name, "application/octet-stream")


def private_file_response(handle, filename, content_type):
    """A download that browsers neither render nor cache: files of answers and exports hold personal data."""
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
