"""Who scores what: conflicts of interest, automatic assignment with a stored seed, overrides, recusal.

Automatic assignment walks the applications in number order. For each it takes the experts of the pool (active,
with a signed declaration for this competition) who have no conflict with the applicant and are not yet on it,
and picks those with the fewest active assignments in the round; among equals the order is a shuffle seeded by
the round's seed and the application, so the same seed and the same inputs always give the same assignment.
"""

import random
import secrets

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.applications import Refused
from competitions.models import (
    ApplicantType,
    Application,
    ApplicationVersion,
    CompetitionPage,
    Expert,
    ExpertAssignment,
    ExpertTie,
    ScoringRound,
)
from competitions.review import can_review
from tos.models import TOSMembership

Origin = ExpertAssignment.Origin


def _norm(text):
    return " ".join((text or "").casefold().replace("«", " ").replace("»", " ").replace('"', " ").split())


def applicant_municipality_id(application):
    """The applicant's municipality: the TOS's own, or for a group its answer to the form's municipality question
    in the submitted version. Kept on the instance: assignment asks once per expert."""
    if not hasattr(application, "_applicant_municipality_id"):
        application._applicant_municipality_id = _find_municipality_id(application)
    return application._applicant_municipality_id


def _find_municipality_id(application):
    if application.applicant_type == ApplicantType.TOS and application.tos_id:
        return application.tos.municipality_id
    version = max(application.versions.all(), key=lambda version: version.number, default=None)  # prefetched
    if version is None:
        return None
    answers = version.submission.data
    for item in version.submission.version.form.fields:
        stored = answers.get(item.id)
        if item.block_type == "municipality" and isinstance(stored, dict) and stored.get("id"):
            return stored["id"]
    return None


def conflicts(expert, application, competition, ties=None, member_tos_ids=None):
    """Why ``expert`` may not score ``application`` (a list of reasons in Russian; empty when they may)."""
    ties = expert.ties.all() if ties is None else ties
    if member_tos_ids is None:
        member_tos_ids = set(expert.user.tos_memberships.active().values_list("tos_id", flat=True))
    reasons = []
    if expert.user_id == application.applicant_id:
        reasons.append(_("эксперт — сам заявитель"))
    if application.tos_id and application.tos_id in member_tos_ids:
        reasons.append(_("эксперт состоит в ТОС-заявителе"))
    municipality_id = applicant_municipality_id(application)
    applicant = _norm(application.applicant_name)
    for tie in ties:
        if tie.kind == ExpertTie.Kind.TOS and tie.tos_id and tie.tos_id == application.tos_id:
            reasons.append(_("заявлена связь с ТОС «%(name)s»") % {"name": application.applicant_name})
        elif tie.kind == ExpertTie.Kind.MUNICIPALITY and tie.municipality_id and tie.municipality_id == municipality_id:
            reasons.append(_("заявлена связь с муниципалитетом заявителя"))
        elif tie.organisation and applicant:
            name = _norm(tie.organisation)
            if name and (name == applicant or (len(name) >= 4 and name in applicant)):
                reasons.append(
                    _("заявлена связь «%(kind)s» с «%(name)s»")
                    % {"kind": tie.get_kind_display(), "name": tie.organisation}
                )
    if competition.exclude_same_municipality and expert.municipality_id and expert.municipality_id == municipality_id:
        reasons.append(_("эксперт из того же муниципалитета, а конкурс таких не назначает"))
    return reasons


def pool(competition):
    """Experts who may be assigned in this competition: active and with a signed declaration for it."""
    return (
        Expert.objects.filter(is_active=True, declarations__competition=competition)
        .select_related("user")
        .prefetch_related("ties", Prefetch("user__tos_memberships", queryset=TOSMembership.objects.active()))
        .order_by("pk")
    )


def _ensure_secretary(user):
    if not can_review(user):
        raise Refused(_("Экспертов назначает секретарь конкурса."), status=403)


def _round_for_update(competition, user, *, create):
    scoring_round = ScoringRound.objects.select_for_update().filter(competition=competition).first()
    if scoring_round is None:
        if not create:
            raise Refused(_("Экспертиза ещё не начата: сначала запустите автоматическое назначение."), status=409)
        if not any(criterion.is_expert for criterion in competition.criteria):
            raise Refused(
                _("В листе оценки нет ни одного критерия для экспертов: добавьте их на вкладке «Экспертиза» конкурса."),
                status=409,
            )
        scoring_round = ScoringRound(
            competition=competition,
            seed=secrets.token_hex(16),
            sheet_version=competition.scoring_sheet_version(),
            opened_by=user,
        )
        scoring_round._history_user = user
        scoring_round.save()
    elif not scoring_round.is_open:
        raise Refused(
            _("Оценка уже закрыта (%(status)s): назначения не меняются.")
            % {"status": scoring_round.get_status_display()},
            status=409,
        )
    return scoring_round


def _candidates(scoring_round, application, experts, load, taken):
    competition = scoring_round.competition
    rng = random.Random(f"{scoring_round.seed}:{application.pk}")  # noqa: S311 — reproducible by design, not secret
    order = list(experts)
    rng.shuffle(order)
    free = []
    for expert in order:
        if expert.pk in taken:
            continue
        member_tos = {membership.tos_id for membership in expert.user.tos_memberships.all()}
        if conflicts(expert, application, competition, list(expert.ties.all()), member_tos):
            continue
        free.append(expert)
    rank = {expert.pk: position for position, expert in enumerate(free)}
    return sorted(free, key=lambda expert: (load.get(expert.pk, 0), rank[expert.pk]))


def plan(scoring_round, applications, experts, existing, per_application):
    """The pairs (application, expert) automatic assignment adds. Pure given its inputs: the seed decides ties.

    ``existing`` maps application id → ids of experts ever assigned to it (any status), and the active load is
    counted from ``load`` below, so a repeated run only tops applications up to ``per_application``.
    """
    load = {}
    active = {}
    for application_id, _ever, active_ids in existing:
        active[application_id] = len(active_ids)
        for expert_id in active_ids:
            load[expert_id] = load.get(expert_id, 0) + 1
    taken_by_application = {application_id: set(expert_ids) for application_id, expert_ids, _ in existing}
    pairs, short = [], []
    for application in applications:
        needed = per_application - active.get(application.pk, 0)
        if needed <= 0:
            continue
        taken = taken_by_application.get(application.pk, set())
        chosen = _candidates(scoring_round, application, experts, load, taken)[:needed]
        if len(chosen) < needed:
            short.append((application, needed - len(chosen)))
        for expert in chosen:
            pairs.append((application, expert))
            load[expert.pk] = load.get(expert.pk, 0) + 1
    return pairs, short


def _existing(scoring_round):
    rows = {}
    for application_id, expert_id, status in scoring_round.assignments.values_list(
        "application_id", "expert_id", "status"
    ):
        ever, active = rows.setdefault(application_id, (set(), set()))
        ever.add(expert_id)
        if status == ExpertAssignment.Status.ACTIVE:
            active.add(expert_id)
    return [(application_id, ever, active) for application_id, (ever, active) in rows.items()]


def admitted(competition):
    """Admitted applications with what conflict checks read: the TOS, and the versions a group's municipality is in
    (each form version loaded once, so its definition is parsed once)."""
    versions = ApplicationVersion.objects.select_related("submission").prefetch_related("submission__version")
    return (
        Application.objects.filter(competition=competition, status=Application.Status.ADMITTED)
        .select_related("tos")
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("number")
    )


def assign_automatically(competition, user):
    """Start the expert review if needed and give every admitted application its experts. All or nothing."""
    _ensure_secretary(user)
    with transaction.atomic():
        competition = CompetitionPage.objects.select_for_update().get(pk=competition.pk)
        scoring_round = _round_for_update(competition, user, create=True)
        applications = list(admitted(competition))
        if not applications:
            raise Refused(_("Нет допущенных заявок: назначать экспертов некому."), status=409)
        experts = list(pool(competition))
        pairs, short = plan(
            scoring_round, applications, experts, _existing(scoring_round), competition.experts_per_application
        )
        if short:
            names = "; ".join(
                _("%(number)s — не хватает %(count)d") % {"number": application.number, "count": count}
                for application, count in short
            )
            raise Refused(
                _(
                    "Не хватает экспертов без конфликта интересов: %(names)s. Пригласите экспертов и попросите их "
                    "подписать декларацию по этому конкурсу, затем запустите назначение снова. Ничего не назначено."
                )
                % {"names": names},
                status=409,
            )
        created = [_create(scoring_round, application, expert, Origin.AUTOMATIC, user) for application, expert in pairs]
    return scoring_round, created


def _create(scoring_round, application, expert, origin, user, reason=""):
    assignment = ExpertAssignment(
        scoring_round=scoring_round,
        application=application,
        expert=expert,
        origin=origin,
        reason=reason,
        created_by=user,
    )
    assignment._history_user = user
    assignment.save()
    return assignment


def assign_manually(competition, user, *, application, expert, reason):
    """The secretary's override: a named expert on an application, with a reason; conflicts are still refused."""
    _ensure_secretary(user)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Напишите причину ручного назначения."), problems=[("reason", "")])
    with transaction.atomic():
        scoring_round = _round_for_update(competition, user, create=False)
        if application.competition_id != competition.pk or application.status != Application.Status.ADMITTED:
            raise Refused(_("Экспертов назначают на допущенные заявки этого конкурса."), status=409)
        if not expert.is_active or not expert.declarations.filter(competition=competition).exists():
            raise Refused(
                _("%(expert)s не подписал декларацию об отсутствии конфликта интересов по этому конкурсу.")
                % {"expert": expert},
                problems=[("expert", "")],
            )
        reasons = conflicts(expert, application, competition)
        if reasons:
            raise Refused(
                _("У эксперта конфликт интересов: %(reasons)s.") % {"reasons": "; ".join(reasons)},
                problems=[("expert", "")],
            )
        if ExpertAssignment.objects.filter(application=application, expert=expert).exists():
            raise Refused(
                _("%(expert)s уже был назначен на эту заявку (повторно назначить нельзя).") % {"expert": expert},
                problems=[("expert", "")],
            )
        return _create(scoring_round, application, expert, Origin.MANUAL, user, reason)


def _end(assignment, user, status, reason):
    locked = ExpertAssignment.objects.select_for_update().select_related("scoring_round").get(pk=assignment.pk)
    if not locked.is_active:
        raise Refused(_("Это назначение уже завершено."), status=409)
    if not locked.scoring_round.is_open:
        raise Refused(_("Оценка закрыта: назначения не меняются."), status=409)
    locked.status = status
    locked.reason = reason
    locked.ended_at = timezone.now()
    locked._history_user = user
    locked.save()
    return locked


def replace(assignment, user, origin=Origin.REPLACEMENT):
    """Another expert for the application of an ended assignment (the least loaded without conflict), or None."""
    scoring_round = assignment.scoring_round
    application = Application.objects.select_related("tos").get(pk=assignment.application_id)
    existing = _existing(scoring_round)
    load = {}
    for _application, _ever, active in existing:
        for expert_id in active:
            load[expert_id] = load.get(expert_id, 0) + 1
    taken = next((ever for application_id, ever, _active in existing if application_id == application.pk), set())
    found = _candidates(scoring_round, application, list(pool(scoring_round.competition)), load, taken)
    if not found:
        return None
    return _create(scoring_round, application, found[0], origin, user)


def recuse(assignment, user, *, reason):
    """The expert steps down (reason required, before their sheet is sent); another expert is assigned."""
    reason = (reason or "").strip()
    if assignment.expert.user_id != user.pk:
        raise Refused(_("Взять самоотвод может только сам эксперт."), status=403)
    if not reason:
        raise Refused(_("Напишите причину самоотвода: например, знакомство с заявителем."), problems=[("reason", "")])
    with transaction.atomic():
        if hasattr(assignment, "sheet") and assignment.sheet.is_submitted:
            raise Refused(_("Лист оценки уже отправлен: самоотвод после оценки невозможен."), status=409)
        ended = _end(assignment, user, ExpertAssignment.Status.RECUSED, reason)
        return ended, replace(ended, user)


def remove(assignment, user, *, reason, reassign=True):
    """The secretary takes an expert off an application with a reason (their sheet, if any, no longer counts)."""
    _ensure_secretary(user)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Напишите причину снятия эксперта."), problems=[("reason", "")])
    with transaction.atomic():
        ended = _end(assignment, user, ExpertAssignment.Status.REMOVED, reason)
        return ended, replace(ended, user) if reassign else None


def check_divergence(application, user):
    """After a sheet is sent: if the first two expert totals differ by more than the threshold, one more expert.

    Runs inside the submit's transaction. Returns the new assignment, or None.
    """
    competition = application.competition
    threshold = competition.divergence_threshold
    if threshold is None:
        return None
    sheets = list(
        application.expert_assignments.filter(status=ExpertAssignment.Status.ACTIVE, sheet__status="submitted")
        .order_by("sheet__submitted_at", "sheet__pk")
        .values_list("sheet__expert_total", flat=True)[:2]
    )
    if len(sheets) < 2 or abs(sheets[0] - sheets[1]) <= threshold:
        return None
    if application.expert_assignments.filter(origin=Origin.DIVERGENCE).exists():
        return None
    assignment = application.expert_assignments.select_related("scoring_round").first()
    return replace(assignment, user, origin=Origin.DIVERGENCE)


def divergences(scoring_round):
    """Applications whose first two sent totals differ by more than the threshold: (application, totals, extra)."""
    threshold = scoring_round.competition.divergence_threshold
    if threshold is None:
        return []
    found = []
    by_application = {}
    for assignment in (
        scoring_round.assignments.filter(status=ExpertAssignment.Status.ACTIVE, sheet__status="submitted")
        .select_related("sheet", "application")
        .order_by("sheet__submitted_at", "sheet__pk")
    ):
        by_application.setdefault(assignment.application, []).append(assignment.sheet.expert_total)
    extra = set(scoring_round.assignments.filter(origin=Origin.DIVERGENCE).values_list("application_id", flat=True))
    for application, totals in by_application.items():
        if len(totals) >= 2 and abs(totals[0] - totals[1]) > threshold:
            found.append((application, totals, application.pk in extra))
    return found


def expert_loads(scoring_round, now=None):
    """Per expert of the round: (expert, assigned, sent, pending, overdue) over active assignments."""
    now = now or timezone.now()
    deadline = scoring_round.competition.review_deadline
    loads = {}
    for assignment in scoring_round.assignments.active().select_related("expert", "sheet"):
        sheet = getattr(assignment, "sheet", None)
        row = loads.setdefault(assignment.expert_id, [assignment.expert, 0, 0, 0, 0])
        row[1] += 1
        if sheet is not None and sheet.is_submitted:
            row[2] += 1
        else:
            row[3] += 1
            if deadline and now >= deadline:
                row[4] += 1
    return sorted((tuple(row) for row in loads.values()), key=lambda row: row[0].full_name)
