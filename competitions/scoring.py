"""Score sheets and the close of the round: what an expert writes, and how the result is fixed and published.

An expert's sheet is checked at every save (a score must be on its scale and step) and in full at the submit
(every criterion scored, comments where the rule asks, required questions answered); a sent sheet is locked.
Every write locks the sheet's row and checks again, at that moment, that the assignment is the writer's and
still active and that the round is open. Closing the round computes the result once and keeps it as a snapshot
(competitions.ranking is the formula); publishing shows it and declares the funded applications winners.
"""

from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions import assignment as assigning
from competitions import ranking, review
from competitions.applications import Refused
from competitions.models import (
    Application,
    ApplicationVersion,
    CompetitionPage,
    ExpertAssignment,
    ScoreSheet,
    ScoringRound,
)
from competitions.search_index import reindex_after_commit
from forms.engine import StepForm, required_message
from forms.fields import format_decimal


def can_score(user, assignment):
    return bool(user and user.is_authenticated and assignment.expert.user_id == user.pk)


def sheet_for(assignment, user):
    """The expert's sheet for an assignment, started on first open against the application's latest version."""
    if not can_score(user, assignment):
        raise Refused(_("Это назначение другого эксперта."), status=403)
    existing = ScoreSheet.objects.filter(assignment=assignment).first()
    if existing:
        return existing
    version = scored_version(assignment)
    with transaction.atomic():
        sheet, _created = ScoreSheet.objects.get_or_create(assignment=assignment, defaults={"version": version})
    return sheet


# What names or reaches the applicant: an expert does not see it where the competition hides the applicant.
IDENTIFYING_SNAPSHOT_KEYS = {"applicant", "applicant_type", "tos_id", "group_size"}
IDENTIFYING_ANSWERS = {"tos", "email", "phone", "consent"}


def scored_version(assignment, sheet=None):
    """The frozen version an expert scores: their sheet's, or (before the sheet exists) the latest submitted one."""
    if sheet is not None:
        return sheet.version
    return (
        ApplicationVersion.objects.filter(application_id=assignment.application_id)
        .select_related("submission__version")
        .order_by("-number")
        .first()
    )


def version_for_expert(competition, version):
    """A frozen version as an expert may read it: (snapshot, [(item, stored, text)]), without what names or reaches
    the applicant where the competition hides the applicant. The cabinet and the API both show this."""
    hide = competition.hide_applicant_from_experts
    snapshot = {
        key: value for key, value in version.snapshot.items() if not (hide and key in IDENTIFYING_SNAPSHOT_KEYS)
    }
    answers = [
        answer for answer in version.submission.answers() if not (hide and answer[0].block_type in IDENTIFYING_ANSWERS)
    ]
    return snapshot, answers


def parse_score(raw):
    """A score typed the Russian way («7,5») as a Decimal, or None when empty; ValueError when not a number."""
    text = str(raw if raw is not None else "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def check_answers(scoring_round, posted, *, complete):
    """Clean posted scores, comments and answers. Returns (answers, problems) with problems as (key, message).

    ``posted`` maps ``<criterion id>`` → score text, ``<criterion id>-comment`` → comment, and each other question's
    block id → its raw value (as a form posts them).
    """
    answers, problems = {}, []
    for criterion in scoring_round.criteria:
        if not criterion.is_expert:
            continue
        raw = posted.get(criterion.id)
        comment = str(posted.get(f"{criterion.id}-comment") or "").strip()
        try:
            score = parse_score(raw)
        except ValueError:
            problems.append(
                (criterion.id, _("«%(name)s»: балл — число, например 7 или 7,5.") % {"name": criterion.name})
            )
            continue
        if score is not None:
            problem = criterion.score_problem(score)
            if problem:
                problems.append((criterion.id, f"«{criterion.name}»: {problem}"))
                continue
        if complete and score is None:
            problems.append((criterion.id, _("«%(name)s»: поставьте балл.") % {"name": criterion.name}))
            continue
        if complete and criterion.needs_comment(score) and not comment:
            problems.append(
                (
                    f"{criterion.id}-comment",
                    _("«%(name)s»: напишите комментарий — %(rule)s")
                    % {"name": criterion.name, "rule": criterion.comment_rule_text()},
                )
            )
        if len(comment) > 5000:
            problems.append((f"{criterion.id}-comment", _("Комментарий длиннее 5000 символов: сократите его.")))
        if score is not None or comment:
            answers[criterion.id] = {"score": None if score is None else format(score, "f"), "comment": comment}
    questions = scoring_round.sheet.fields
    if questions:
        form = StepForm(questions, data={item.id: posted.get(item.id) for item in questions if item.id in posted})
        form.full_clean()
        for item in questions:
            if item.id in form.errors:
                problems += [(item.id, f"«{item.label}»: {message}") for message in form.errors[item.id]]
                continue
            cleaned = form.cleaned_data.get(item.id)
            stored = None if item.is_empty(cleaned) else item.block.to_storage(item.value, cleaned)
            if stored is not None:
                answers[item.id] = stored
            elif complete and item.required:
                problems.append((item.id, f"«{item.label}»: {required_message(item)}"))
    return answers, problems


def expert_total_of(scoring_round, application, answers):
    scores = {
        key: Decimal(value["score"]) for key, value in answers.items() if isinstance(value, dict) and value.get("score")
    }
    nomination = application.nomination.name if application.nomination_id else ""
    return ranking.expert_total(scoring_round.criteria, scores, nomination, application.requested_amount)


def save_sheet(sheet, user, posted, *, revision=None, submit=False):
    """Save the expert's draft, or submit it (then it is locked). Raises Refused with the problems, nothing saved."""
    with transaction.atomic():
        locked = (
            ScoreSheet.objects.select_for_update()
            .select_related("assignment__expert", "assignment__scoring_round__sheet_version", "assignment__application")
            .get(pk=sheet.pk)
        )
        current = locked.assignment
        if not can_score(user, current):
            raise Refused(_("Это лист оценки другого эксперта."), status=403)
        if not current.is_active:
            raise Refused(
                _("Вы больше не назначены на эту заявку (%(status)s).") % {"status": current.get_status_display()},
                status=409,
            )
        scoring_round = current.scoring_round
        if not scoring_round.is_open:
            raise Refused(_("Оценка закрыта секретарём: лист изменить нельзя."), status=409)
        if locked.is_submitted:
            raise Refused(_("Лист оценки уже отправлен и заблокирован: изменить его нельзя."), status=409)
        if revision is not None and str(revision) != str(locked.revision):
            raise Refused(
                _("Лист изменён в другой вкладке. Откройте его заново: ваши последние правки не сохранены."), status=409
            )
        answers, problems = check_answers(scoring_round, posted, complete=submit)
        if problems:
            raise Refused(problems[0][1], problems=problems)
        application = current.application
        locked.answers = answers
        locked.revision += 1
        locked.expert_total = expert_total_of(scoring_round, application, answers)
        if submit:
            locked.status = ScoreSheet.Status.SUBMITTED
            locked.submitted_at = timezone.now()
        locked._history_user = user
        locked.save()
        if submit:
            assigning.check_divergence(application, user)
    sheet.refresh_from_db()
    return sheet


# --- The round's result -----------------------------------------------------------------------------------------

# Applications that are ranked: admitted ones (and any the secretary already declared winners by hand).
IN_COMPETITION = [Application.Status.ADMITTED, Application.Status.AWARDED]


def entries(scoring_round):
    """The admitted applications with their submitted sheets and the data computed criteria read (frozen versions).

    A constant number of queries whatever the number of applications; sheets are read as plain values.
    """
    competition = scoring_round.competition
    admitted = Application.objects.filter(competition=competition, status__in=IN_COMPETITION)
    applications = list(admitted.select_related("nomination").order_by("number"))
    answer_codes = {criterion.answer_code for criterion in scoring_round.criteria if criterion.answer_code}
    versions = ApplicationVersion.objects.filter(application__in=admitted.values("pk")).order_by("number")
    if answer_codes:
        # One shared FormVersion (its definition parsed once) per form version, not a query and a parse each.
        versions = versions.select_related("submission").prefetch_related("submission__version")
    latest = {version.application_id: version for version in versions}
    sheets = {}
    for application_id, answers in (
        ScoreSheet.objects.filter(
            assignment__scoring_round=scoring_round,
            assignment__status=ExpertAssignment.Status.ACTIVE,
            status=ScoreSheet.Status.SUBMITTED,
        )
        .order_by("submitted_at", "pk")
        .values_list("assignment__application_id", "answers")
    ):
        sheets.setdefault(application_id, []).append(ScoreSheet.scores_of(answers))
    result = []
    for application in applications:
        version = latest.get(application.pk)
        snapshot = version.snapshot if version else {}
        result.append(
            ranking.Entry(
                application_id=application.pk,
                number=application.number,
                title=snapshot.get("title", application.title),
                applicant=snapshot.get("applicant") or application.applicant_name,
                requested_amount=Decimal(snapshot.get("requested_amount") or application.requested_amount or 0),
                submitted_at=application.submitted_at,
                nomination_id=application.nomination_id,
                nomination=application.nomination.name if application.nomination_id else "",
                values=_values(snapshot, version, answer_codes),
                sheets=sheets.get(application.pk, []),
            )
        )
    return result


def _values(snapshot, version, answer_codes):
    """What computed criteria and tie-breaks read, from the frozen version: shares, money and numeric answers."""
    shares = snapshot.get("shares") or {}
    requested = Decimal(snapshot.get("requested_amount") or 0)
    cost = Decimal(snapshot.get("cost") or 0)
    answers = {}
    if version is not None and answer_codes:
        by_code = {item.code: item for item in version.submission.version.form.fields if item.code in answer_codes}
        for code, item in by_code.items():
            stored = version.submission.data.get(item.id)
            if stored not in (None, "") and item.kind == "number":
                answers[code] = stored
    return {
        "residents_share": Decimal(shares.get("residents") or 0),
        "cofinancing_share": sum((Decimal(share) for share in shares.values()), Decimal("0")),
        "requested_amount": requested,
        "project_cost": cost,
        "answers": answers,
    }


def rules_of(competition, scoring_round):
    return ranking.Rules(
        criteria=scoring_round.criteria,
        passing_score=competition.passing_score,
        fund=competition.fund,
        max_per_project=competition.max_per_project,
        nomination_funds={
            nomination.pk: nomination.fund
            for nomination in competition.nominations.all()
            if nomination.fund is not None
        },
        allocation_rule=competition.allocation_rule,
        tie_breaks=competition.tie_break_rules or ranking.DEFAULT_TIE_BREAKS,
    )


def compute(scoring_round):
    competition = scoring_round.competition
    return ranking.rank(rules_of(competition, scoring_round), entries(scoring_round))


def snapshot_of(scoring_round, result):
    """The result as JSON for the record and the public page: numbers as strings, exact scores beside rounded ones."""
    competition = scoring_round.competition
    criteria = scoring_round.criteria
    text = ranking.exact_text
    rows = []
    for row in result.rows:
        entry = row.entry
        rows.append(
            {
                "rank": row.rank,
                "application_id": entry.application_id,
                "number": entry.number,
                "title": entry.title,
                "applicant": entry.applicant,
                "nomination": entry.nomination,
                "requested_amount": str(entry.requested_amount),
                "residents_share": str(entry.values.get("residents_share", "")),
                "submitted_at": entry.submitted_at.isoformat() if entry.submitted_at else None,
                "expert_totals": [str(total) for total in row.expert_totals],
                "expert_mean": text(row.expert_mean),
                "computed": {
                    key: {
                        "value": None if value is None else str(value),
                        "points": str(points),
                        "weighted": str(weighted),
                    }
                    for key, (value, points, weighted) in row.computed.items()
                },
                "criterion_means": {key: text(mean) for key, mean in row.criterion_means.items()},
                "final_score": text(row.final),
                "final_score_shown": None if row.final is None else str(ranking.shown(row.final)),
                "eligible": row.eligible,
                "pool": row.pool,
                "granted": None if row.granted is None else str(row.granted),
                "standing": row.standing,
            }
        )
    return {
        "computed_at": timezone.now().isoformat(),
        "rules": {
            "passing_score": str(competition.passing_score),
            "fund": str(competition.fund),
            "max_per_project": str(competition.max_per_project),
            "allocation_rule": competition.allocation_rule,
            "tie_breaks": list(competition.tie_break_rules or ranking.DEFAULT_TIE_BREAKS),
            "experts_per_application": competition.experts_per_application,
            "divergence_threshold": None
            if competition.divergence_threshold is None
            else str(competition.divergence_threshold),
            "sheet_version": scoring_round.sheet_version.number,
        },
        "criteria": [
            {
                "id": criterion.id,
                "kind": criterion.kind,
                "name": criterion.name,
                "code": criterion.code,
                "weight": str(criterion.weight),
                "weight_rules": [
                    {
                        "nomination": nomination,
                        "amount_from": None if low is None else str(low),
                        "amount_to": None if high is None else str(high),
                        "weight": str(weight),
                    }
                    for nomination, low, high, weight in criterion.weight_rules
                ],
                "min_score": str(criterion.min_score) if criterion.is_expert else None,
                "max_score": str(criterion.max_score) if criterion.is_expert else None,
                "source": criterion.source or None,
            }
            for criterion in criteria
        ],
        "pools": [
            {
                "key": pool.key,
                "name": pool.name,
                "fund": str(pool.fund),
                "granted": str(pool.granted),
                "remaining": str(pool.remaining),
            }
            for pool in result.pools
        ],
        "passing_line_after": result.passing_line_after,
        "rows": rows,
    }


def _ensure_secretary(user):
    if not review.can_review(user):
        raise Refused(_("Итоги подводит секретарь конкурса."), status=403)


def pending(scoring_round):
    """Active assignments whose sheet is not sent yet (a withdrawal ends its application's assignments)."""
    return (
        scoring_round.assignments.active()
        .exclude(sheet__status=ScoreSheet.Status.SUBMITTED)
        .select_related("expert", "application")
    )


def unassigned(scoring_round):
    """Applications in the competition without a single active expert (admitted after the last assignment run)."""
    return (
        Application.objects.filter(competition_id=scoring_round.competition_id, status__in=IN_COMPETITION)
        .exclude(pk__in=scoring_round.assignments.active().values("application_id"))
        .order_by("number")
    )


def close(competition, user):
    """Close scoring and fix the result. Refused while a sheet is still due (the secretary removes or waits)."""
    _ensure_secretary(user)
    with transaction.atomic():
        scoring_round = ScoringRound.objects.select_for_update().filter(competition=competition).first()
        if scoring_round is None:
            raise Refused(_("Экспертиза ещё не начата."), status=409)
        if not scoring_round.is_open:
            raise Refused(_("Оценка уже закрыта."), status=409)
        due = list(pending(scoring_round))
        if due:
            names = "; ".join(f"{item.application.number} — {item.expert}" for item in due[:10])
            more = _(" и ещё %(count)d") % {"count": len(due) - 10} if len(due) > 10 else ""
            raise Refused(
                _(
                    "Не все листы оценки отправлены: %(names)s%(more)s. Дождитесь их или снимите эксперта с причиной, "
                    "затем закройте оценку."
                )
                % {"names": names, "more": more},
                status=409,
            )
        alone = list(unassigned(scoring_round))
        if alone:
            raise Refused(
                _(
                    "У заявок нет ни одного эксперта: %(numbers)s. Нажмите «Назначить экспертов автоматически» или "
                    "назначьте эксперта вручную, дождитесь оценок и закройте оценку."
                )
                % {"numbers": ", ".join(application.number for application in alone)},
                status=409,
            )
        scoring_round.competition = CompetitionPage.objects.get(pk=competition.pk)
        scoring_round.results = snapshot_of(scoring_round, compute(scoring_round))
        scoring_round.status = ScoringRound.Status.CLOSED
        scoring_round.closed_at, scoring_round.closed_by = timezone.now(), user
        scoring_round._history_user = user
        scoring_round.save()
    return scoring_round


def publish(competition, user):
    """Publish the fixed result: the funded applications become winners with their amounts (reports open)."""
    _ensure_secretary(user)
    with transaction.atomic():
        scoring_round = ScoringRound.objects.select_for_update().filter(competition=competition).first()
        if scoring_round is None or scoring_round.status != ScoringRound.Status.CLOSED:
            raise Refused(_("Публикуют итоги после закрытия оценки, и только один раз."), status=409)
        for row in scoring_round.results["rows"]:
            if row["granted"] is None:
                continue
            application = Application.objects.get(pk=row["application_id"])
            if application.status == Application.Status.ADMITTED:
                review.award(application, user, amount=Decimal(row["granted"]))
        scoring_round.status = ScoringRound.Status.PUBLISHED
        scoring_round.published_at, scoring_round.published_by = timezone.now(), user
        scoring_round._history_user = user
        scoring_round.save()
        reindex_after_commit(competition.pk)
    return scoring_round


def published_results(competition):
    """The published snapshot, or None: nobody outside the secretariat sees a result before publication."""
    scoring_round = ScoringRound.objects.filter(competition=competition, status=ScoringRound.Status.PUBLISHED).first()
    return scoring_round.results if scoring_round else None


def score_text(value):
    """A score or total for people, to 2 places half up and without trailing zeros («22,5»); empty when none."""
    return "" if value in (None, "") else format_decimal(ranking.shown(Decimal(value)))


def applicant_feedback(application):
    """What an applicant may see of the review after publication, or None before it.

    Their row of the result, the mean score per criterion and, where the competition allows, the experts'
    comments and written answers (such as a recommendation) under «Эксперт 1», «Эксперт 2»… (in the order the
    sheets were sent), never the experts' names.
    """
    scoring_round = (
        ScoringRound.objects.filter(competition_id=application.competition_id, status=ScoringRound.Status.PUBLISHED)
        .select_related("competition", "sheet_version")
        .first()
    )
    if scoring_round is None:
        return None
    row = next((row for row in scoring_round.results["rows"] if row["application_id"] == application.pk), None)
    if row is None:
        return None
    criteria = []
    for criterion in scoring_round.results["criteria"]:
        if criterion["kind"] == "expert":
            mean = row["criterion_means"].get(criterion["id"])
            shown = None if mean is None else ranking.shown(Fraction(mean))
            criteria.append({**criterion, "mean": shown})
        else:
            computed = row["computed"].get(criterion["id"], {})
            criteria.append({**criterion, "points": computed.get("points"), "value": computed.get("value")})
    comments = []
    if scoring_round.competition.show_comments_to_applicants:
        names = {criterion.id: criterion.name for criterion in scoring_round.criteria}
        sheets = ScoreSheet.objects.filter(
            assignment__application=application,
            assignment__status=ExpertAssignment.Status.ACTIVE,
            status=ScoreSheet.Status.SUBMITTED,
        ).order_by("submitted_at", "pk")
        written = [item for item in scoring_round.sheet.fields if item.kind == "text"]  # e.g. a recommendation
        for position, sheet in enumerate(sheets, start=1):
            remarks = [
                (names[key], value["comment"])
                for key, value in sheet.answers.items()
                if key in names and isinstance(value, dict) and value.get("comment")
            ]
            remarks += [(item.label, sheet.answers[item.id]) for item in written if sheet.answers.get(item.id)]
            comments.append({"expert": _("Эксперт %(number)d") % {"number": position}, "remarks": remarks})
    return {"row": row, "criteria": criteria, "comments": comments, "results": scoring_round.results}
