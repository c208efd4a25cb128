"""The secretary's side: admissibility of submitted versions, awards, and acceptance of winners' reports."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions import cofinancing
from competitions.applications import Refused, copy_submission
from competitions.models import (
    MANAGED_BY_REPORT,
    AdmissibilityReview,
    Application,
    ApplicationReport,
    CompetitionPage,
)
from competitions.notifications import notify
from competitions.search_index import reindex_after_commit
from forms.models import Submission

REVIEW_PERMISSION = "competitions.review_application"


def can_review(user):
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(REVIEW_PERMISSION))


def _ensure_reviewer(user):
    if not can_review(user):
        raise Refused(_("Решения по заявкам принимает секретарь конкурса."), status=403)


def checklist_for(application):
    """The required documents that apply to this applicant, as rows for the secretary's checklist."""
    return [
        {"document_id": document.pk, "document": document.title, "requirements": document.description}
        for document in application.competition.required_documents.all()
        if document.applies(application.applicant_type)
    ]


def clean_checklist(application, posted):
    """The secretary's marks ({document_id: {"ok": bool, "note": str}}) laid over the applicable documents."""
    rows = []
    for row in checklist_for(application):
        mark = posted.get(row["document_id"]) or posted.get(str(row["document_id"])) or {}
        rows.append({**row, "ok": bool(mark.get("ok")), "note": str(mark.get("note") or "").strip()[:500]})
    return rows


def decide(application, user, *, decision, checklist, reasons="", correction_deadline=None):
    """Admit, reject or return the latest submitted version. Returns the AdmissibilityReview."""
    _ensure_reviewer(user)
    reasons = (reasons or "").strip()
    if decision not in AdmissibilityReview.Decision.values:
        raise Refused(
            _("Выберите решение: допустить, вернуть на доработку или не допускать."), problems=[("decision", "")]
        )
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("competition").get(pk=application.pk)
        if locked.status != Application.Status.SUBMITTED:
            raise Refused(
                _("Решение принимается по поданной заявке, а эта — «%(status)s».")
                % {"status": locked.get_status_display()},
                status=409,
            )
        rows = clean_checklist(locked, checklist)
        problems = []
        if decision == AdmissibilityReview.Decision.ADMIT:
            missing = [row["document"] for row in rows if not row["ok"]]
            if missing:
                problems.append(
                    (
                        "checklist",
                        _("Чтобы допустить заявку, отметьте все документы. Не отмечены: %(documents)s.")
                        % {"documents": "; ".join(missing)},
                    )
                )
        elif not reasons:
            problems.append(("reasons", _("Напишите причины: заявитель увидит их в личном кабинете и в письме.")))
        if decision == AdmissibilityReview.Decision.RETURN:
            if correction_deadline is None:
                correction_deadline = timezone.now() + timedelta(days=locked.competition.correction_days)
            elif correction_deadline <= timezone.now():
                problems.append(("correction_deadline", _("Срок доработки должен быть в будущем.")))
        else:
            correction_deadline = None
        if problems:
            raise Refused(problems[0][1], problems=problems)
        review = AdmissibilityReview(
            version=locked.latest_version,
            checklist=rows,
            decision=decision,
            reasons=reasons,
            correction_deadline=correction_deadline,
            decided_by=user,
        )
        review._history_user = user
        review.save()
        status = {
            AdmissibilityReview.Decision.ADMIT: Application.Status.ADMITTED,
            AdmissibilityReview.Decision.REJECT: Application.Status.REJECTED,
            AdmissibilityReview.Decision.RETURN: Application.Status.CORRECTION,
        }[decision]
        locked.status = status
        locked.decision_reason = reasons
        locked.correction_deadline = correction_deadline
        if decision == AdmissibilityReview.Decision.RETURN:
            competition = CompetitionPage.objects.get(pk=locked.competition_id)
            locked.submission = copy_submission(locked.submission, competition.application_form_version(), user)
            locked.revision += 1
        locked._history_user = user
        locked.save()
        notify({"admit": "admitted", "reject": "rejected", "return": "returned"}[decision], locked)
    application.refresh_from_db()
    return review


def award(application, user, *, amount):
    """Declare an admitted application a winner with the amount granted; its reports become due."""
    _ensure_reviewer(user)
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("competition").get(pk=application.pk)
        if locked.status != Application.Status.ADMITTED:
            raise Refused(_("Победителем объявляют допущенную заявку."), status=409)
        competition = locked.competition
        limit = min(competition.max_per_project, locked.requested_amount or Decimal("0"))
        if amount is None or amount <= 0 or amount > limit:
            raise Refused(
                _("Сумма — больше нуля и не больше %(limit)s (запрошено и предел на проект).")
                % {"limit": cofinancing.rubles(limit)},
                problems=[("amount", "")],
            )
        locked.status = Application.Status.AWARDED
        locked.award_amount = amount
        locked._history_user = user
        locked.save()
        for report_form in competition.report_forms.all():
            _open_report(locked, report_form, user)
        notify("awarded", locked)
        reindex_after_commit(locked.competition_id)
    application.refresh_from_db()
    return application


def _open_report(application, report_form, user):
    submission = Submission(
        page_id=application.competition_id,
        version=report_form.form_version(),
        user=application.applicant,
        managed_by=MANAGED_BY_REPORT,
    )
    submission._history_user = user
    submission.save()
    report = ApplicationReport(
        application=application, report_form=report_form, due_at=report_form.due_at, submission=submission
    )
    report._history_user = user
    report.save()
    return report


def review_report(report, user, *, accept, remarks="", due_at=None):
    """Accept a submitted report, or return it with remarks and a new due moment (a new draft keeps the old one)."""
    _ensure_reviewer(user)
    remarks = (remarks or "").strip()
    with transaction.atomic():
        locked = ApplicationReport.objects.select_for_update().select_related("report_form").get(pk=report.pk)
        if locked.status != ApplicationReport.Status.SUBMITTED:
            raise Refused(
                _("Проверяют сданный отчёт, а этот — «%(status)s».") % {"status": locked.get_status_display()},
                status=409,
            )
        if not accept:
            if not remarks:
                raise Refused(_("Напишите замечания: что исправить в отчёте."), problems=[("remarks", "")])
            due_at = due_at or max(locked.due_at, timezone.now() + timedelta(days=7))
            if due_at <= timezone.now():
                raise Refused(_("Новый срок сдачи должен быть в будущем."), problems=[("due_at", "")])
            locked.submission = copy_submission(locked.submission, locked.report_form.form_version(), user)
            locked.due_at = due_at
            locked.revision += 1
        locked.status = ApplicationReport.Status.ACCEPTED if accept else ApplicationReport.Status.RETURNED
        locked.remarks = remarks
        locked.reviewed_by, locked.reviewed_at = user, timezone.now()
        locked._history_user = user
        locked.save()
        notify("report_accepted" if accept else "report_returned", locked.application, report=locked)
    report.refresh_from_db()
    return report
