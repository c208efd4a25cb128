"""A leader's edits become page revisions; a moderator approves them through the page's Wagtail workflow.

The live page and its rows change only when the workflow's last task is approved (Wagtail then publishes
the revision), so a leader's draft is never visible to the public and never lost.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import WorkflowState

from tos.models import TOSProfilePage


class ModerationRefusal(Exception):
    """A write the moderation state does not allow; ``status`` is the HTTP status the views answer with."""

    def __init__(self, message, status=409):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class ModerationStatus:
    code: str  # published | draft | in_moderation | needs_changes
    label: str
    since: datetime | None = None
    comment: str = ""

    @property
    def can_edit(self):
        return self.code != "in_moderation"

    @property
    def can_submit(self):
        return self.code in ("draft", "needs_changes")

    @property
    def can_withdraw(self):
        return self.code == "in_moderation"


def moderation_status(page):
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return ModerationStatus("in_moderation", _("на модерации"), state.created_at)
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        task_state = state.current_task_state
        return ModerationStatus(
            "needs_changes",
            _("возвращено на доработку"),
            task_state.finished_at if task_state else None,
            (task_state.get_comment() if task_state else "") or "",
        )
    if page.has_unpublished_changes:
        revision = page.latest_revision
        return ModerationStatus(
            "draft", _("черновик: не отправлен на модерацию"), revision.created_at if revision else None
        )
    return ModerationStatus("published", _("опубликовано"), page.last_published_at)


def working_copy(page):
    """The profile as the leader last left it: the latest revision, drafts and rows included."""
    return page.get_latest_revision_as_object()


def _locked(page):
    return TOSProfilePage.objects.select_for_update().get(pk=page.pk)


def save_draft(page, edited, user):
    """Save ``edited`` (a working copy changed in memory) as a new revision by ``user``; the live page is untouched."""
    with transaction.atomic():
        current = _locked(page)
        if not moderation_status(current).can_edit:
            raise ModerationRefusal(
                _("Изменения уже на модерации: дождитесь решения или отзовите их с модерации, чтобы продолжить правку.")
            )
        return edited.save_revision(user=user, log_action=True)


def submit_for_moderation(page, user):
    with transaction.atomic():
        current = _locked(page)
        status = moderation_status(current)
        if status.code == "in_moderation":
            raise ModerationRefusal(_("Изменения уже отправлены на модерацию."))
        if status.code == "published":
            raise ModerationRefusal(_("Нет изменений для отправки: профиль совпадает с опубликованным."), status=400)
        if status.code == "needs_changes":
            current.current_workflow_state.resume(user=user)
            return
        workflow = current.get_workflow()
        if workflow is None:
            raise ModerationRefusal(
                _("Для этого раздела сайта не назначено согласование: сообщите администратору платформы."), status=409
            )
        workflow.start(current, user)


def withdraw_from_moderation(page, user):
    with transaction.atomic():
        current = _locked(page)
        if moderation_status(current).code != "in_moderation":
            raise ModerationRefusal(_("Изменения не на модерации: отзывать нечего."))
        current.current_workflow_state.cancel(user=user)


def moderation_history(page, limit=20):
    """Who did what with the profile and when: revisions saved, submissions, approvals, returns, publications."""
    from wagtail.models import PageLogEntry

    actions = [
        "wagtail.edit",
        "wagtail.publish",
        "wagtail.workflow.start",
        "wagtail.workflow.approve",
        "wagtail.workflow.reject",
        "wagtail.workflow.resume",
        "wagtail.workflow.cancel",
    ]
    return (
        PageLogEntry.objects.filter(page=page, action__in=actions)
        .select_related("user")
        .order_by("-timestamp", "-pk")[:limit]
    )
