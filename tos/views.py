"""The TOS leader's self-service in the personal cabinet: profile, projects and news, sending changes to moderation.

Every view works on the working copy (the latest revision) of one profile and checks ``can_edit_profile`` first.
A valid edit becomes a new revision; the public page changes only when a moderator approves it.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tos.forms import DocumentForm, NewsForm, ProfileForm, ProjectForm
from tos.models import TOSDocument, TOSNewsItem, TOSProfilePage, TOSProject
from tos.moderation import (
    ModerationRefusal,
    moderation_history,
    moderation_status,
    save_draft,
    submit_for_moderation,
    withdraw_from_moderation,
    working_copy,
)
from tos.permissions import can_edit_profile

SAVED_AS_DRAFT = gettext_lazy("Изменения сохранены как черновик. Отправьте их на модерацию, когда закончите.")

HISTORY_ACTIONS = {
    "wagtail.edit": gettext_lazy("Сохранён черновик"),
    "wagtail.publish": gettext_lazy("Изменения опубликованы"),
    "wagtail.workflow.start": gettext_lazy("Отправлено на модерацию"),
    "wagtail.workflow.resume": gettext_lazy("Отправлено на модерацию повторно"),
    "wagtail.workflow.approve": gettext_lazy("Одобрено модератором"),
    "wagtail.workflow.reject": gettext_lazy("Возвращено на доработку"),
    "wagtail.workflow.cancel": gettext_lazy("Отозвано с модерации"),
}

# The rows of a working copy a leader edits one at a time: (relation, form, templates' words).
KINDS = {
    "project": {
        "relation": "projects",
        "model": TOSProject,
        "form": ProjectForm,
        "add_title": gettext_lazy("Новый проект"),
        "edit_title": gettext_lazy("Проект «%(title)s»"),
        "delete_question": gettext_lazy("Удалить проект «%(title)s»?"),
        "deleted": gettext_lazy("Проект «%(title)s» удалён из черновика. Отправьте изменения на модерацию."),
        "missing": gettext_lazy("Такого проекта нет в профиле: возможно, его уже удалили."),
    },
    "news": {
        "relation": "news_items",
        "model": TOSNewsItem,
        "form": NewsForm,
        "add_title": gettext_lazy("Добавить новость или событие"),
        "edit_title": gettext_lazy("Новость или событие «%(title)s»"),
        "delete_question": gettext_lazy("Удалить запись «%(title)s»?"),
        "deleted": gettext_lazy("Запись «%(title)s» удалена из черновика. Отправьте изменения на модерацию."),
        "missing": gettext_lazy("Такой новости или события нет в профиле: возможно, запись уже удалили."),
    },
    "document": {
        "relation": "documents",
        "model": TOSDocument,
        "form": DocumentForm,
        "add_title": gettext_lazy("Добавить документ"),
        "edit_title": gettext_lazy("Документ «%(title)s»"),
        "delete_question": gettext_lazy("Удалить документ «%(title)s»?"),
        "deleted": gettext_lazy("Документ «%(title)s» удалён из черновика. Отправьте изменения на модерацию."),
        "missing": gettext_lazy("Такого документа нет в профиле: возможно, его уже удалили."),
    },
}


def leader_view(view):
    """Sign-in first, then the profile (404 if the id is not a TOS profile), then the right to edit it (403)."""

    @login_required
    @wraps(view)
    def wrapped(request, page_id, **kwargs):
        page = get_object_or_404(TOSProfilePage, pk=page_id)
        if not can_edit_profile(request.user, page):
            raise PermissionDenied(
                _(
                    "Править профиль %(title)s могут только председатель этого ТОС и участники, которым "
                    "модератор разрешил правку. Если вы председатель, попросите модератора платформы "
                    "добавить вас в ТОС."
                )
                % {"title": page.title}
            )
        return view(request, page, **kwargs)

    return wrapped


def check_editable(page):
    """Refuse before any work is done (photos stored, forms applied) while the changes are with the moderator."""
    if not moderation_status(page).can_edit:
        raise ModerationRefusal(
            _("Изменения уже на модерации: дождитесь решения или отзовите их с модерации, чтобы продолжить правку.")
        )


def error_summary(form):
    """Every error of a form (and of its row formsets) with the id of the element a link should lead to."""
    items = []

    def add(bound_form, row_label=""):
        for name, errors in bound_form.errors.items():
            if name == NON_FIELD_ERRORS:
                items.extend({"anchor": "", "label": row_label, "message": message} for message in errors)
                continue
            field = bound_form[name]
            label = f"{row_label}: {field.label}" if row_label else str(field.label)
            anchor = field.id_for_label or f"field-{field.html_name}"
            items.extend({"anchor": anchor, "label": label, "message": message} for message in errors)

    add(form)
    for formset in getattr(form, "formsets", {}).values():
        items.extend({"anchor": "", "label": "", "message": message} for message in formset.non_form_errors())
        for number, row in enumerate(formset.forms, start=1):
            add(row, _("Совет ТОС, строка %(number)s") % {"number": number})
    return items


def map_settings():
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "centre": settings.MAP_CENTRE,
        "zoom": settings.MAP_ZOOM,
        "labels": {
            "map": _("Карта: щёлкните, чтобы поставить точку ТОС"),
            "replacePolygon": _("Границы уже нарисованы многоугольником. Заменить их точкой?"),
            "noTiles": _(
                "Подложка карты не настроена: видна только уже отмеченная территория. Координаты можно ввести вручную."
            ),
        },
    }


def history_rows(page):
    return [
        {
            "when": entry.timestamp,
            "who": (entry.user.get_full_name() or entry.user.get_username()) if entry.user else _("система"),
            "what": HISTORY_ACTIONS.get(entry.action, entry.action),
            "comment": entry.comment if entry.action == "wagtail.workflow.reject" else "",
        }
        for entry in moderation_history(page)
    ]


def render_profile(request, page, form=None, status=200):
    copy = working_copy(page)
    moderation = moderation_status(page)
    form = form if form is not None else ProfileForm(instance=copy)
    context = {
        "profile": page,
        "copy": copy,
        "moderation": moderation,
        "form": form,
        "council": form.formsets["council_members"],
        "errors": error_summary(form) if form.is_bound else [],
        "projects": list(copy.projects.all()),
        "news_items": list(copy.news_items.all()),
        "documents": list(copy.documents.all()),
        "history": history_rows(page),
        "public_url": page.get_url(request) if page.live else "",
        "map_settings": map_settings(),
    }
    return TemplateResponse(request, "tos/cabinet/profile.html", context, status=status)


@leader_view
@require_http_methods(["GET", "POST"])
def profile(request, page):
    """The overview of one TOS for its leader: status, moderation buttons, the profile form, projects and news."""
    if request.method == "GET":
        return render_profile(request, page)
    form = ProfileForm(request.POST, instance=working_copy(page))
    try:
        check_editable(page)
        if not form.is_valid():
            return render_profile(request, page, form=form, status=400)
        with transaction.atomic():
            save_draft(page, form.save(commit=False), request.user)
    except ModerationRefusal as refusal:
        # The typed text stays on the page (in a disabled form) so that nothing the leader wrote is lost.
        messages.error(request, refusal.message)
        return render_profile(request, page, form=form, status=refusal.status)
    messages.success(request, SAVED_AS_DRAFT)
    return redirect("tos:profile", page_id=page.pk)


def find_row(copy, kind, uid):
    for row in getattr(copy, KINDS[kind]["relation"]).all():
        if str(row.uid) == str(uid):
            return row
    raise Http404(KINDS[kind]["missing"])


def photos_with_checkboxes(form):
    """Each photo of the project beside its «remove» checkbox, matched by the block id the checkbox carries."""
    blocks = {block.id: block for block in form.instance.photos}
    return [
        (blocks[option.data["value"]], option) for option in form["remove_photos"] if option.data["value"] in blocks
    ]


def render_row_form(request, page, kind, form, row, title, status=200):
    context = {
        "profile": page,
        "form": form,
        "kind": kind,
        "row": row,
        "title": title,
        "moderation": moderation_status(page),
        "errors": error_summary(form) if form.is_bound else [],
        "photos": photos_with_checkboxes(form) if kind == "project" else [],
    }
    return TemplateResponse(request, f"tos/cabinet/{kind}_form.html", context, status=status)


def edit_row(request, page, kind, uid=None):
    """Add (``uid`` None) or change a project, news item or document of the working copy; files stored once valid."""
    words = KINDS[kind]
    copy = working_copy(page)
    row = find_row(copy, kind, uid) if uid else None
    instance = row if row is not None else words["model"]()
    # Named before the form binds the posted data to the row, so the heading keeps the saved title.
    title = words["edit_title"] % {"title": row.title} if row is not None else words["add_title"]
    if request.method == "GET":
        return render_row_form(request, page, kind, words["form"](instance=instance), row, title)
    form = words["form"](request.POST, request.FILES, instance=instance)
    try:
        check_editable(page)
        if not form.is_valid():
            return render_row_form(request, page, kind, form, row, title, status=400)
        with transaction.atomic():
            edited = form.save(commit=False)
            form.apply_uploads(request.user)
            if row is None:
                getattr(copy, words["relation"]).add(edited)
            save_draft(page, copy, request.user)
    except ModerationRefusal as refusal:
        messages.error(request, refusal.message)
        return render_row_form(request, page, kind, form, row, title, status=refusal.status)
    messages.success(request, SAVED_AS_DRAFT)
    return redirect("tos:profile", page_id=page.pk)


def delete_row(request, page, kind, uid):
    """GET asks to confirm; POST removes the row from the working copy (the public page keeps it until approval)."""
    words = KINDS[kind]
    copy = working_copy(page)
    row = find_row(copy, kind, uid)
    context = {
        "profile": page,
        "row": row,
        "question": words["delete_question"] % {"title": row.title},
        "moderation": moderation_status(page),
    }
    if request.method == "GET":
        return TemplateResponse(request, "tos/cabinet/delete.html", context)
    try:
        check_editable(page)
        with transaction.atomic():
            getattr(copy, words["relation"]).remove(row)
            save_draft(page, copy, request.user)
    except ModerationRefusal as refusal:
        messages.error(request, refusal.message)
        return TemplateResponse(request, "tos/cabinet/delete.html", context, status=refusal.status)
    messages.success(request, words["deleted"] % {"title": row.title})
    return redirect("tos:profile", page_id=page.pk)


@leader_view
@require_http_methods(["GET", "POST"])
def project_add(request, page):
    return edit_row(request, page, "project")


@leader_view
@require_http_methods(["GET", "POST"])
def project_edit(request, page, uid):
    return edit_row(request, page, "project", uid)


@leader_view
@require_http_methods(["GET", "POST"])
def project_delete(request, page, uid):
    return delete_row(request, page, "project", uid)


@leader_view
@require_http_methods(["GET", "POST"])
def news_add(request, page):
    return edit_row(request, page, "news")


@leader_view
@require_http_methods(["GET", "POST"])
def news_edit(request, page, uid):
    return edit_row(request, page, "news", uid)


@leader_view
@require_http_methods(["GET", "POST"])
def news_delete(request, page, uid):
    return delete_row(request, page, "news", uid)


@leader_view
@require_http_methods(["GET", "POST"])
def document_add(request, page):
    return edit_row(request, page, "document")


@leader_view
@require_http_methods(["GET", "POST"])
def document_edit(request, page, uid):
    return edit_row(request, page, "document", uid)


@leader_view
@require_http_methods(["GET", "POST"])
def document_delete(request, page, uid):
    return delete_row(request, page, "document", uid)


@leader_view
@require_POST
def submit(request, page):
    try:
        submit_for_moderation(page, request.user)
    except ModerationRefusal as refusal:
        messages.error(request, refusal.message)
        return render_profile(request, page, status=refusal.status)
    messages.success(
        request,
        _("Изменения отправлены на модерацию. Когда модератор их одобрит, они появятся на сайте."),
    )
    return redirect("tos:profile", page_id=page.pk)


@leader_view
@require_POST
def withdraw(request, page):
    try:
        withdraw_from_moderation(page, request.user)
    except ModerationRefusal as refusal:
        messages.error(request, refusal.message)
        return render_profile(request, page, status=refusal.status)
    messages.success(request, _("Изменения отозваны с модерации. Их снова можно править."))
    return redirect("tos:profile", page_id=page.pk)


@leader_view
@require_http_methods(["GET"])
def preview(request, page):
    """The working copy as the public will see it once approved, rendered with the public profile template."""
    copy = working_copy(page)
    request.is_preview = True
    request.preview_mode = copy.default_preview_mode
    response = copy.serve_preview(request, copy.default_preview_mode)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response
