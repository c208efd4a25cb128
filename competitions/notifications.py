"""E-mails to applicants, sent by a background task after the write that causes them commits.

Texts are ``NotificationTemplate`` rows that secretaries edit in the admin; ``{placeholders}`` are filled here.
"""

import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from competitions.models import Application, ApplicationReport, NotificationTemplate, moment

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(text, values):
    """Put values into ``{placeholders}``; unknown ones and stray braces stay as the secretary typed them."""
    return PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), text)


def notify(event, application, *, report=None):
    """Queue the e-mail of ``event`` to the applicant once the current transaction commits."""
    report_id = report.pk if report else None
    transaction.on_commit(lambda: send_notification.enqueue(event, application.pk, report_id))


def placeholders(application, report=None):
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("competitions:application", args=[application.pk])
    deadline = report.due_at if report else application.correction_deadline
    return {
        "number": application.number or "",
        "title": application.title,
        "competition": application.competition.title,
        "status": application.get_status_display(),
        "reasons": (report.remarks if report else application.decision_reason) or "—",
        "deadline": moment(deadline) if deadline else "—",
        "report": report.report_form.title if report else "",
        "link": link,
    }


@task()
def send_notification(event, application_id, report_id=None):
    template = NotificationTemplate.objects.filter(event=event).first()
    application = Application.objects.select_related("competition", "applicant").filter(pk=application_id).first()
    if template is None or application is None or not application.applicant.email:
        return
    report = ApplicationReport.objects.select_related("report_form").filter(pk=report_id).first() if report_id else None
    with translation.override("ru"):
        values = placeholders(application, report)
        send_mail(
            fill(template.subject, values),
            fill(template.body, values),
            settings.DEFAULT_FROM_EMAIL,
            [application.applicant.email],
        )
