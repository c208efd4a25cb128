"""What happens to an application: start, edit the draft, submit (freeze and number), withdraw, corrections.

Every write locks the application's row, checks again at that moment who writes, the status, the deadline
(Europe/Moscow) and the draft's revision (so a second browser tab cannot silently overwrite the first), and
writes everything or nothing. The web views and the API both go through here.
"""

import hashlib
import json
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions import cofinancing
from competitions.models import (
    MANAGED_BY_APPLICATION,
    ApplicantType,
    Application,
    ApplicationVersion,
    CompetitionPage,
    ExpertAssignment,
    NumberCounter,
    ScoringRound,
    moment,
)
from competitions.notifications import notify
from forms import api_answers, engine
from forms.engine import Refusal
from forms.models import Submission

__all__ = [
    "Refused",
    "copy_submission",
    "save_answers",
    "save_step",
    "start",
    "submit",
    "update_details",
    "withdraw",
    "writable_message",
]


class Refused(Refusal):
    """A refused write with a list of (field, message) problems, so forms and the API can point at each field."""

    def __init__(self, message, status=400, problems=()):
        super().__init__(message, status)
        self.problems = list(problems)


class Gate:
    """What the form engine asks of a page before writing answers, answered for one application."""

    one_per_user = False

    def __init__(self, application):
        self.application = application
        self.pk = application.competition_id

    def closed_message(self, at=None):
        return writable_message(self.application, at)


def writable_message(application, at=None):
    """Why the applicant may not change the working copy at this moment, or None when they may."""
    at = at or timezone.now()
    status = application.status
    if status == Application.Status.DRAFT:
        deadline = application.competition.deadline
        if deadline is None or at >= deadline:
            return application.competition.intake_closed_message(at)
        return None
    if status == Application.Status.CORRECTION:
        if application.correction_deadline and at >= application.correction_deadline:
            return _("Срок доработки истёк %(when)s (мск): подать исправленную заявку уже нельзя.") % {
                "when": moment(application.correction_deadline)
            }
        return None
    if status == Application.Status.WITHDRAWN:
        return _("Заявка отозвана: изменить её нельзя.")
    return _("Заявка подана: изменить её можно, только если секретарь вернёт её на доработку.")


def _lock(application, user):
    locked = Application.objects.select_for_update().select_related("competition").get(pk=application.pk)
    if locked.applicant_id != user.pk:
        raise Refused(_("Это чужая заявка: изменить её может только заявитель."), status=403)
    return locked


def _check_revision(locked, revision):
    if revision is not None and int(revision) != locked.revision:
        raise Refused(
            _(
                "Черновик изменён в другой вкладке или на другом устройстве (%(when)s). Ваши последние правки не "
                "сохранены: откройте заявку заново, чтобы увидеть сохранённое, и внесите их ещё раз."
            )
            % {"when": moment(locked.updated_at)},
            status=409,
        )


def _ensure_writable(locked):
    message = writable_message(locked)
    if message:
        status = 403 if locked.status in {Application.Status.DRAFT, Application.Status.CORRECTION} else 409
        raise Refused(message, status=status)


def _save(application, user, **fields):
    for name, value in fields.items():
        setattr(application, name, value)
    application._history_user = user
    application.save()


# --- Start ------------------------------------------------------------------------------------------------------


def start(
    competition, user, *, start_key, applicant_type, title, tos=None, group_name="", group_size=None, nomination=None
):
    """A new draft; the same ``start_key`` from the same user (a double-click, a retried request) gives the same one."""
    if not user.is_authenticated:
        raise Refused(_("Войдите, чтобы подать заявку."), status=403)
    start_key = (start_key or "").strip()[:64]
    if not start_key:
        raise Refused(_("Не хватает ключа создания заявки: обновите страницу и нажмите кнопку ещё раз."))
    existing = Application.objects.filter(applicant=user, start_key=start_key).first()
    if existing:
        return existing, False
    problems = _start_problems(competition, user, applicant_type, title, tos, group_name, group_size, nomination)
    if problems:
        raise Refused(problems[0][1], problems=problems)
    closed = competition.intake_closed_message() if competition.deadline else None
    if closed and competition.deadline and timezone.now() >= competition.deadline:
        raise Refused(closed, status=403)
    try:
        with transaction.atomic():
            submission = Submission(
                page_id=competition.pk,
                version=competition.application_form_version(),
                user=user,
                managed_by=MANAGED_BY_APPLICATION,
            )
            submission._history_user = user
            submission.save()
            application = Application(
                competition=competition,
                applicant=user,
                applicant_type=applicant_type,
                tos=tos if applicant_type == ApplicantType.TOS else None,
                group_name=group_name.strip() if applicant_type == ApplicantType.GROUP else "",
                group_size=group_size if applicant_type == ApplicantType.GROUP else None,
                nomination=nomination,
                title=title.strip(),
                submission=submission,
                start_key=start_key,
            )
            _save(application, user)
    except IntegrityError:
        return Application.objects.get(applicant=user, start_key=start_key), False
    return application, True


def _start_problems(competition, user, applicant_type, title, tos, group_name, group_size, nomination):
    from tos.permissions import can_edit_profile

    problems = []
    if not (title or "").strip():
        problems.append(("title", _("Напишите название проекта.")))
    if applicant_type == ApplicantType.TOS:
        if not competition.accepts_tos:
            problems.append(("applicant_type", _("В этом конкурсе ТОС не подают заявки.")))
        elif tos is None:
            problems.append(("tos", _("Выберите ТОС, от имени которого подаёте заявку.")))
        elif not can_edit_profile(user, tos):
            problems.append(
                ("tos", _("Подать заявку от имени ТОС может его председатель или член совета с правом правки."))
            )
    elif applicant_type == ApplicantType.GROUP:
        if not competition.accepts_groups:
            problems.append(("applicant_type", _("В этом конкурсе инициативные группы не подают заявки.")))
        if not (group_name or "").strip():
            problems.append(("group_name", _("Назовите инициативную группу, например «Жители ул. Садовой, 5».")))
        problems += _group_size_problems(competition, group_size)
    else:
        problems.append(("applicant_type", _("Выберите, кто подаёт заявку: ТОС или инициативная группа.")))
    if nomination is not None and nomination.page_id != competition.pk:
        problems.append(("nomination", _("Выберите номинацию этого конкурса.")))
    return problems


def _group_size_problems(competition, group_size):
    if group_size is None or group_size < competition.min_group_size:
        return [
            (
                "group_size",
                _("В инициативной группе должно быть не меньше %(min)d человек: укажите, сколько вас.")
                % {"min": competition.min_group_size},
            )
        ]
    return []


# --- The draft --------------------------------------------------------------------------------------------------


def update_details(
    application, user, *, revision, title, requested_amount, ledger, nomination=None, group_name=None, group_size=None
):
    """Title, nomination, the requested amount and the co-financing ledger of the working copy."""
    competition = application.competition
    problems = []
    if not (title or "").strip():
        problems.append(("title", _("Напишите название проекта.")))
    if requested_amount is not None:
        if requested_amount <= 0:
            problems.append(("requested_amount", _("Запрашиваемая сумма должна быть больше нуля.")))
        elif requested_amount > competition.max_per_project:
            problems.append(
                (
                    "requested_amount",
                    _("Запрашиваемая сумма — не больше %(max)s на проект: уменьшите её.")
                    % {"max": cofinancing.rubles(competition.max_per_project)},
                )
            )
    if nomination is not None and nomination.page_id != competition.pk:
        problems.append(("nomination", _("Выберите номинацию этого конкурса.")))
    if application.applicant_type == ApplicantType.GROUP:
        if group_name is not None and not group_name.strip():
            problems.append(("group_name", _("Назовите инициативную группу.")))
        if group_size is not None or group_name is not None:
            problems += _group_size_problems(competition, group_size)
    try:
        lines = cofinancing.parse_ledger(ledger)
    except cofinancing.LedgerError as error:
        problems += [("ledger", message) for _number, message in error.problems]
        lines = []
    if problems:
        raise Refused(problems[0][1], problems=problems)
    with transaction.atomic():
        locked = _lock(application, user)
        _check_revision(locked, revision)
        _ensure_writable(locked)
        fields = {
            "title": title.strip(),
            "requested_amount": requested_amount,
            "ledger": [line.as_json() for line in lines],
            "nomination": nomination,
            "revision": locked.revision + 1,
        }
        if locked.applicant_type == ApplicantType.GROUP and group_name is not None:
            fields.update(group_name=group_name.strip(), group_size=group_size)
        _save(locked, user, **fields)
    application.refresh_from_db()
    return application


def save_step(application, user, step_index, data, files, *, revision, complete=False, next_step=None):
    """One step of the application form (posted from the page); returns the engine's StepResult."""
    with transaction.atomic():
        locked = _lock(application, user)
        _check_revision(locked, revision)
        _ensure_writable(locked)
        result = engine.save_step(
            Gate(locked), locked.submission, step_index, data, files, user=user, complete=complete, next_step=next_step
        )
        if result.ok:
            _save(locked, user, revision=locked.revision + 1)
    application.refresh_from_db()
    return result


def save_answers(application, user, answers, *, revision=None):
    """Answers from the API (keyed by field id). Raises api_answers.AnswersRefused or Refused."""
    with transaction.atomic():
        locked = _lock(application, user)
        _check_revision(locked, revision)
        _ensure_writable(locked)
        api_answers.save_answers(Gate(locked), locked.submission, answers, user=user)
        _save(locked, user, revision=locked.revision + 1)
    application.refresh_from_db()
    return application


# --- Submit -----------------------------------------------------------------------------------------------------


def readiness_problems(application):
    """Everything that keeps the working copy from being submitted, as (field, message); empty when it is ready."""
    competition = application.competition
    problems = []
    if not application.title.strip():
        problems.append(("title", _("Напишите название проекта.")))
    if application.requested_amount is None:
        problems.append(("requested_amount", _("Укажите запрашиваемую сумму.")))
    if competition.nominations.exists() and application.nomination_id is None:
        problems.append(("nomination", _("Выберите номинацию.")))
    if application.applicant_type == ApplicantType.GROUP:
        problems += _group_size_problems(competition, application.group_size)
    lines = cofinancing.parse_ledger(application.ledger)
    if application.requested_amount is not None:
        problems += [
            ("ledger", message)
            for message in cofinancing.rule_problems(
                competition.cofinancing_rules.all(), application.requested_amount, lines
            )
        ]
    definition = application.submission.version.form
    problems += [
        (
            item.id,
            _("Форма заявки, «%(label)s»: %(message)s")
            % {"label": item.label, "message": engine.required_message(item)},
        )
        for item in engine.missing_answers(definition, application.submission.data)
    ]
    return problems


def submit(application, user, *, revision=None):
    """Freeze the working copy as a new version with a number. A repeated submit returns the version already made.

    Returns (version, created).
    """
    with transaction.atomic():
        locked = _lock(application, user)
        if locked.status == Application.Status.SUBMITTED:
            return locked.latest_version, False  # a double-click or a retried request: the same version
        _check_revision(locked, revision)
        _ensure_writable(locked)
        if locked.status == Application.Status.DRAFT:
            closed = locked.competition.intake_closed_message()
            if closed:
                raise Refused(closed, status=403)
        problems = readiness_problems(locked)
        if problems:
            raise Refused(
                _("Заявку нельзя подать, пока не исправлено: %(first)s") % {"first": problems[0][1]},
                problems=problems,
            )
        missing = engine.submit(Gate(locked), locked.submission, user=user)
        if missing:  # the answers changed between the check and the freeze
            raise Refused(engine.required_message(missing[0]), problems=[(item.id, item.label) for item in missing])
        now = timezone.now()
        first = locked.number is None
        if first:
            prefix, year = locked.competition.kind.number_prefix, locked.competition.year
            sequence = _next_sequence(prefix, year)
            number = f"{prefix}-{year}-{sequence:04d}"
            locked.sequence, locked.number, locked.submitted_at = sequence, number, now
        locked.submission.refresh_from_db()
        version = ApplicationVersion.objects.create(
            application=locked,
            number=locked.versions.count() + 1,
            submission=locked.submission,
            snapshot=snapshot(locked),
            content_hash="",
            submitted_at=now,
            submitted_by=user,
        )
        version.content_hash = content_hash(version)
        version.save(update_fields=["content_hash"])
        _save(locked, user, status=Application.Status.SUBMITTED, correction_deadline=None, revision=locked.revision + 1)
        notify("received", locked)
    application.refresh_from_db()
    return version, True


def _next_sequence(prefix, year):
    """The next number under this prefix and year; the counter row stays locked until the submit commits."""
    try:
        with transaction.atomic():
            NumberCounter.objects.get_or_create(prefix=prefix, year=year)
    except IntegrityError:
        pass  # another submit created the counter at the same moment
    NumberCounter.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
    return NumberCounter.objects.get(prefix=prefix, year=year).last


def snapshot(application):
    """What the applicant submitted besides the form's answers, as it read at that moment."""
    lines = cofinancing.parse_ledger(application.ledger)
    totals = cofinancing.summary(application.requested_amount, lines)
    return {
        "number": application.number,
        "competition": application.competition.title,
        "title": application.title,
        "applicant_type": application.applicant_type,
        "applicant": application.applicant_name,
        "tos_id": application.tos_id,
        "group_size": application.group_size,
        "nomination": application.nomination.name if application.nomination_id else "",
        "requested_amount": str(application.requested_amount),
        "ledger": application.ledger,
        "cost": str(totals["cost"]),
        "shares": {item["source"]: str(item["share"].quantize(Decimal("0.0001"))) for item in totals["sources"]},
    }


def content_hash(version):
    """SHA-256 over the snapshot, the answers and every file's own SHA-256: any later change would show."""
    submission = version.submission
    files = sorted((stored.field_id, stored.original_name, stored.sha256) for stored in submission.files.all())
    payload = {
        "snapshot": version.snapshot,
        "answers": submission.data,
        "form": submission.version.definition_hash,
        "files": files,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


# --- Withdraw and corrections -----------------------------------------------------------------------------------


WITHDRAWABLE = {
    Application.Status.DRAFT,
    Application.Status.SUBMITTED,
    Application.Status.CORRECTION,
    Application.Status.ADMITTED,
}


def withdraw(application, user, *, reason=""):
    with transaction.atomic():
        locked = _lock(application, user)
        if locked.status == Application.Status.WITHDRAWN:
            return locked
        if locked.status not in WITHDRAWABLE:
            raise Refused(
                _("Заявку в статусе «%(status)s» отозвать нельзя.") % {"status": locked.get_status_display()},
                status=409,
            )
        _save(locked, user, status=Application.Status.WITHDRAWN, decision_reason=(reason or "").strip()[:2000])
        _end_assignments(locked, user)
    application.refresh_from_db()
    return application


def _end_assignments(application, user):
    """A withdrawn application leaves the expert review: its experts' assignments end while scoring is open."""
    for assignment in ExpertAssignment.objects.select_for_update().filter(
        application=application, status=ExpertAssignment.Status.ACTIVE, scoring_round__status=ScoringRound.Status.OPEN
    ):
        assignment.status = ExpertAssignment.Status.WITHDRAWN
        assignment.ended_at = timezone.now()
        assignment._history_user = user
        assignment.save()


def copy_submission(submission, version, user):
    """A new managed draft holding the answers and copies of the files of ``submission`` (which stays frozen)."""
    draft = Submission(
        page_id=submission.page_id,
        version=version,
        user=submission.user,
        managed_by=submission.managed_by,
        data=json.loads(json.dumps(submission.data, cls=DjangoJSONEncoder)),
        current_step=min(submission.current_step, max(len(version.form.steps) - 1, 0)),
    )
    draft._history_user = user
    draft.save()
    for stored in submission.files.all():
        with stored.file.open("rb") as handle:
            copy = stored.__class__(
                submission=draft,
                field_id=stored.field_id,
                original_name=stored.original_name,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_at=stored.uploaded_at,
                uploaded_by=stored.uploaded_by,
            )
            copy.file.save(stored.original_name, handle, save=False)
            copy.save()
        answer = draft.data.get(stored.field_id)
        if isinstance(answer, dict) and answer.get("file_id") == stored.pk:
            draft.data[stored.field_id] = copy.stored_value()
    draft.save(update_fields=["data"])
    return draft


def reopen_for_correction(application, user):
    """Give the applicant a new working copy of the submitted answers (the submitted version stays as it was)."""
    competition = CompetitionPage.objects.get(pk=application.competition_id)
    return copy_submission(application.submission, competition.application_form_version(), user)
