"""Winners' reports: fill the report form (a draft on the form engine), submit it; late reports are accepted and
shown as late, because a report owed is still better received than refused."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.applications import Refused
from competitions.models import ApplicationReport
from forms import api_answers, engine


class ReportGate:
    """The engine asks a page whether it is open; a report is open while it is due or returned."""

    one_per_user = False

    def __init__(self, report):
        self.report = report
        self.pk = report.application.competition_id

    def closed_message(self, at=None):
        if self.report.is_editable:
            return None
        return _("Отчёт сдан: изменить его можно, только если секретарь вернёт его с замечаниями.")


def _lock(report, user):
    locked = (
        ApplicationReport.objects.select_for_update().select_related("application", "report_form").get(pk=report.pk)
    )
    if locked.application.applicant_id != user.pk:
        raise Refused(_("Это отчёт чужого проекта: сдать его может только заявитель."), status=403)
    if not locked.is_editable:
        raise Refused(ReportGate(locked).closed_message(), status=409)
    return locked


def _check_revision(locked, revision):
    if revision is not None and int(revision) != locked.revision:
        raise Refused(_("Отчёт изменён в другой вкладке. Откройте его заново и внесите правки ещё раз."), status=409)


def save_step(report, user, step_index, data, files, *, revision, complete=False, next_step=None):
    with transaction.atomic():
        locked = _lock(report, user)
        _check_revision(locked, revision)
        result = engine.save_step(
            ReportGate(locked),
            locked.submission,
            step_index,
            data,
            files,
            user=user,
            complete=complete,
            next_step=next_step,
        )
        if result.ok:
            locked.revision += 1
            locked._history_user = user
            locked.save(update_fields=["revision"])
    report.refresh_from_db()
    return result


def save_answers(report, user, answers, *, revision=None):
    with transaction.atomic():
        locked = _lock(report, user)
        _check_revision(locked, revision)
        api_answers.save_answers(ReportGate(locked), locked.submission, answers, user=user)
        locked.revision += 1
        locked._history_user = user
        locked.save(update_fields=["revision"])
    report.refresh_from_db()
    return report


def submit(report, user):
    """Freeze the report's answers and hand it to the secretary. A repeated submit changes nothing."""
    with transaction.atomic():
        locked = ApplicationReport.objects.select_for_update().select_related("application").get(pk=report.pk)
        if locked.application.applicant_id != user.pk:
            raise Refused(_("Это отчёт чужого проекта: сдать его может только заявитель."), status=403)
        if locked.status == ApplicationReport.Status.SUBMITTED:
            return locked, False
        locked = _lock(report, user)
        missing = engine.submit(ReportGate(locked), locked.submission, user=user)
        if missing:
            raise Refused(
                _("Отчёт нельзя сдать: не заполнено «%(label)s».") % {"label": missing[0].label},
                problems=[(item.id, engine.required_message(item)) for item in missing],
            )
        locked.status = ApplicationReport.Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.revision += 1
        locked._history_user = user
        locked.save()
    report.refresh_from_db()
    return report, True


def is_late(report):
    moment = report.submitted_at or timezone.now()
    return report.status != ApplicationReport.Status.ACCEPTED and moment > report.due_at
