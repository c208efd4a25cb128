"""Reminders to experts: one letter per expert listing the applications whose sheets they have not sent yet.

The secretary asks for them on the scoring dashboard; the letters are queued once the request's transaction commits
and sent by a background task, which reads the pending sheets again at sending time (a sheet sent in between is
not asked for).
"""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from competitions import review
from competitions.applications import Refused
from competitions.models import Expert, ScoringRound, moment
from competitions.scoring import pending


def remind_experts(competition, user):
    """Queue a reminder to every expert of the round with a sheet still due. Returns how many experts."""
    if not review.can_review(user):
        raise Refused(_("Напоминания экспертам отправляет секретарь конкурса."), status=403)
    with transaction.atomic():
        scoring_round = ScoringRound.objects.filter(competition=competition).first()
        if scoring_round is None:
            raise Refused(_("Экспертиза ещё не начата: напоминать некому."), status=409)
        if not scoring_round.is_open:
            raise Refused(_("Оценка закрыта: напоминать некому."), status=409)
        expert_ids = sorted(set(pending(scoring_round).values_list("expert_id", flat=True)))
        for expert_id in expert_ids:
            transaction.on_commit(partial(send_expert_reminder.enqueue, expert_id, scoring_round.pk))
    return len(expert_ids)


def reminder_letter(expert, competition, applications):
    """(subject, body) in the current language."""
    deadline = competition.review_deadline
    lines = "\n".join(f"— {application.number} «{application.title}»" for application in applications)
    values = {
        "name": expert.full_name,
        "competition": competition.title,
        "applications": lines,
        "deadline": moment(deadline) if deadline else "",
        "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("experts:queue"),
    }
    subject = _("Напоминание: оцените заявки конкурса «%(competition)s»") % values
    body = (
        _(
            "Здравствуйте, %(name)s!\n\nВ конкурсе «%(competition)s» вам назначены заявки, листы оценки по которым ещё "
            "не отправлены:\n\n%(applications)s\n\n"
        )
        % values
    )
    if deadline:
        body += _("Экспертиза завершается %(deadline)s (мск): отправьте листы оценки до этого срока.\n") % values
    else:
        body += _("Отправьте листы оценки как можно скорее: секретарь ждёт их, чтобы подвести итоги.\n")
    body += "\n" + _("Заявки и листы оценки — в личном кабинете: %(link)s\n") % values
    return subject, body


@task()
def send_expert_reminder(expert_id, scoring_round_id):
    scoring_round = ScoringRound.objects.select_related("competition").filter(pk=scoring_round_id).first()
    expert = Expert.objects.select_related("user").filter(pk=expert_id).first()
    if scoring_round is None or expert is None or not scoring_round.is_open or not expert.user.email:
        return
    due = pending(scoring_round).filter(expert=expert).order_by("application__number")
    applications = [assignment.application for assignment in due]
    if not applications:
        return
    with translation.override("ru"):
        subject, body = reminder_letter(expert, scoring_round.competition, applications)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [expert.user.email])
