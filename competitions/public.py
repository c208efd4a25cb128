"""Public pages of a competition: the competition itself (stages, money, rules, countdown) and a winner's result card.

Only what the competition publishes is shown: never an application's answers, files or the applicant's personal data.
"""

from decimal import Decimal
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from competitions import reports
from competitions.models import Application, ContributionKind, moment
from forms.fields import format_decimal

COUNTDOWN_UNITS = {
    "day": ngettext_lazy("%(count)s день", "%(count)s дней", "count"),
    "hour": ngettext_lazy("%(count)s час", "%(count)s часов", "count"),
    "minute": ngettext_lazy("%(count)s минута", "%(count)s минут", "count"),
}


def _unit(name, count):
    return COUNTDOWN_UNITS[name] % {"count": count}


def unit_forms():
    """Each unit's words for 1, 2 and 5 with «{n}» for the number: the page's script picks one as it ticks."""
    return {
        name: [(text % {"count": count}).replace(str(count), "{n}", 1) for count in (1, 2, 5)]
        for name, text in COUNTDOWN_UNITS.items()
    }


def duration_text(delta):
    """What is left, to the minute: «3 дня 4 часа», «5 часов 12 минут», «7 минут»."""
    minutes = max(int(delta.total_seconds()) // 60, 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        parts = [_unit("day", days)] + ([_unit("hour", hours)] if hours else [])
    elif hours:
        parts = [_unit("hour", hours)] + ([_unit("minute", minutes)] if minutes else [])
    elif minutes:
        parts = [_unit("minute", minutes)]
    else:
        return _("меньше минуты")
    return " ".join(parts)


def countdown(page, at=None):
    """The intake's countdown as text, with the deadline for the page's script while the intake is open."""
    at = at or timezone.now()
    intake = page.intake
    if intake is None:
        return None
    if at < intake.starts_at:
        return {
            "state": "upcoming",
            "text": _("Приём заявок начнётся %(when)s (мск).") % {"when": moment(intake.starts_at)},
        }
    if at >= intake.ends_at:
        return {"state": "closed", "text": _("Приём заявок закрыт %(when)s (мск).") % {"when": moment(intake.ends_at)}}
    return {
        "state": "open",
        "text": _("До окончания приёма заявок: %(left)s") % {"left": duration_text(intake.ends_at - at)},
        "prefix": _("До окончания приёма заявок: %(left)s") % {"left": ""},
        "closed_text": _("Приём заявок закрыт %(when)s (мск).") % {"when": moment(intake.ends_at)},
        "less_than_minute": _("меньше минуты"),
        "deadline": localtime(intake.ends_at).isoformat(),
        "units": unit_forms(),
    }


def share_text(share):
    """A rule's share without trailing zeros: «3», «2,5»."""
    return format_decimal(Decimal(share))


def kinds_text(kinds):
    labels = [str(ContributionKind(kind).label) for kind in ContributionKind if kind in kinds]
    if not labels:
        return _("ни один вид вклада не засчитывается")
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s и %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def rule_sentence(rule):
    """«жители — не меньше 3 % стоимости проекта, засчитываются деньги»."""
    return _("%(source)s — не меньше %(share)s %% стоимости проекта, засчитываются %(kinds)s") % {
        "source": rule.get_source_display(),
        "share": share_text(rule.min_share),
        "kinds": kinds_text(rule.counted_kinds),
    }


def stage_rows(page, at=None):
    at = at or timezone.now()
    rows = []
    for stage in sorted(page.stages.all(), key=lambda stage: stage.starts_at):
        if stage.ends_at <= at:
            state = "past"
        elif stage.starts_at <= at:
            state = "current"
        else:
            state = "upcoming"
        rows.append({"stage": stage, "state": state})
    return rows


def apply_url(page, request):
    """The start page of an application; an anonymous visitor signs in first and comes back to it."""
    start = reverse("competitions:start", args=[page.pk])
    if request.user.is_authenticated:
        return start
    return f"{resolve_url('account_login')}?{urlencode({'next': start})}"


def competition_page(page, request):
    now = timezone.now()
    context = page.get_context(request)
    clock = countdown(page, now)
    context.update(
        {
            "current_stage": page.current_stage(now),
            "stages": stage_rows(page, now),
            "deadline": page.deadline,
            "countdown": clock,
            "apply_url": apply_url(page, request) if clock and clock["state"] == "open" else "",
            "nominations": list(page.nominations.all()),
            "rules": [rule_sentence(rule) for rule in page.cofinancing_rules.all()],
            "required_documents": list(page.required_documents.all()),
            "documents": list(page.documents.select_related("document")),
            "winners": list(
                Application.objects.filter(competition=page, status=Application.Status.AWARDED)
                .select_related("tos", "nomination")
                .order_by("sequence")
            ),
            "my_applications": list(Application.objects.of_applicant(request.user).filter(competition=page)),
        }
    )
    return TemplateResponse(request, "competitions/competition_page.html", context)


def project_card(page, request, number):
    """A winner's public card: the project, who carries it out, the award and the reports' statuses."""
    application = (
        Application.objects.filter(competition=page, number=number, status=Application.Status.AWARDED)
        .select_related("tos", "nomination")
        .first()
    )
    if application is None:
        raise Http404(_("Такого проекта среди победителей конкурса нет."))
    tos_url = ""
    if application.tos_id and application.tos.live:
        tos_url = application.tos.get_url(request)
    context = page.get_context(request)
    context.update(
        {
            "application": application,
            "tos_url": tos_url,
            "reports": [
                {"report": report, "late": reports.is_late(report)}
                for report in application.reports.select_related("report_form").order_by("due_at", "pk")
            ],
        }
    )
    return TemplateResponse(request, "competitions/project_card.html", context)
