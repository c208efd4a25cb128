"""Daily reminders to applicants: a correction window closing within 48 hours, a report due within 7 days.

Each reminder goes out once per application (or report) and deadline: a ``SentReminder`` row with the key
``<event>:<pk>:<deadline>`` is written in the same transaction as the queued e-mail, so a second run the same day
sends nothing, while a new deadline (a second return, a report returned with a new due date) is reminded again.
Run daily from cron (docs/operations.md).
"""

from datetime import UTC, timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.models import Application, ApplicationReport, SentReminder, moment
from competitions.notifications import send_notification

CORRECTION_NOTICE = timedelta(hours=48)
REPORT_NOTICE = timedelta(days=7)


def reminder_key(event, pk, deadline):
    return f"{event}:{pk}:{deadline.astimezone(UTC).isoformat()}"


def due_reminders(now):
    """Reminders whose deadline is ahead and near, as (key, event, application, report, deadline)."""
    corrections = (
        Application.objects.filter(
            status=Application.Status.CORRECTION,
            correction_deadline__gt=now,
            correction_deadline__lte=now + CORRECTION_NOTICE,
        )
        .exclude(applicant__email="")
        .select_related("competition", "applicant")
        .order_by("correction_deadline", "pk")
    )
    for application in corrections:
        deadline = application.correction_deadline
        yield reminder_key("correction_due", application.pk, deadline), "correction_due", application, None, deadline
    reports = (
        ApplicationReport.objects.filter(
            status__in=[ApplicationReport.Status.DUE, ApplicationReport.Status.RETURNED],
            due_at__gt=now,
            due_at__lte=now + REPORT_NOTICE,
        )
        .exclude(application__applicant__email="")
        .select_related("application__competition", "application__applicant", "report_form")
        .order_by("due_at", "pk")
    )
    for report in reports:
        yield (
            reminder_key("report_due", report.pk, report.due_at),
            "report_due",
            report.application,
            report,
            report.due_at,
        )


class Command(BaseCommand):
    help = _(
        "Напоминает заявителям о сроках: доработка заявки истекает в ближайшие 48 часов, отчёт нужно сдать "
        "в ближайшие 7 дней. Каждое напоминание уходит один раз. Запускайте раз в день."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Только показать, какие напоминания ушли бы, ничего не отправляя.")
        )

    def handle(self, *args, dry_run=False, **options):
        sent = 0
        for key, event, application, report, deadline in due_reminders(timezone.now()):
            if SentReminder.objects.filter(key=key).exists():
                continue
            if dry_run:
                self.stdout.write(self._describe(application, report, deadline))
                sent += 1
                continue
            with transaction.atomic():
                _reminder, created = SentReminder.objects.get_or_create(key=key)
                if not created:  # another run got there first
                    continue
                send_notification.enqueue(event, application.pk, report.pk if report else None)
            sent += 1
        if dry_run:
            self.stdout.write(
                _("Будет отправлено напоминаний: %(count)d (пробный запуск, ничего не отправлено).") % {"count": sent}
            )
        else:
            self.stdout.write(_("Отправлено напоминаний: %(count)d") % {"count": sent})

    def _describe(self, application, report, deadline):
        what = _("отчёт «%(report)s»") % {"report": report.report_form.title} if report else _("доработка заявки")
        return _("%(number)s, %(email)s: %(what)s до %(deadline)s (мск)") % {
            "number": application.number or application.title,
            "email": application.applicant.email,
            "what": what,
            "deadline": moment(deadline),
        }
