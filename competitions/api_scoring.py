"""/api/v1/competitions/: the expert review — experts' sheets, the secretary's round, published results, feedback.

Every write goes through competitions.scoring or competitions.assignment, so the API keeps the services' rules: the
sheet's owner, the assignment still active and the round still open are checked at the moment of the write, a
sheet is checked against its scale and step at every save and in full at the submit, a stale revision is 409.
Refusals answer ``{"detail": message, "errors": [{"field", "label", "message"}]}`` like the rest of this API;
the field of a score is ``scores.<criterion id>``, of a comment ``comments.<criterion id>``, of a question
``answers.<block id>``.

Nobody but the sheet's own expert sees a score before the round is closed: experts see only their own sheets, and
the secretary's overview shows statuses during the round and totals only from the close on.
"""

from decimal import ROUND_HALF_UP

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from competitions import assignment as assigning
from competitions import declarations, ranking, scoring
from competitions.api import (
    NOT_SIGNED_IN,
    ApplicationsPagination,
    BriefSerializer,
    CompetitionsAPI,
    body_of,
    integer,
    live_competitions,
    own_application,
    refusal,
    revision_from,
)
from competitions.applications import Refused
from competitions.criteria import CommentRule
from competitions.models import (
    ApplicantType,
    Application,
    ApplicationVersion,
    CompetitionPage,
    Expert,
    ExpertAssignment,
    ExpertTie,
    ScoreSheet,
    ScoringRound,
)
from competitions.review import can_review
from forms.api import FIELD_TYPES, FieldSerializer, describe_field
from forms.api_answers import WrongShape, api_value, shape_of

EXPERT_TAGS = ["competitions-expert"]
SCORING_TAGS = ["competitions-scoring"]
SHEET_KEYS = {"revision", "scores", "comments", "answers"}
NOT_STARTED = "not_started"
ROUND_STATUSES = [(NOT_STARTED, _("экспертиза не начата")), *ScoringRound.Status.choices]
SHEET_STATES = [(NOT_STARTED, _("лист не открыт")), *ScoreSheet.Status.choices]
REQUEST_LABELS = {
    "revision": _("Ревизия листа оценки"),
    "scores": _("Баллы"),
    "comments": _("Комментарии"),
    "answers": _("Ответы на вопросы листа"),
    "reason": _("Причина"),
    "reassign": _("Назначить замену"),
    "competition": _("Конкурс"),
    "confirm": _("Подтверждение"),
    "application": _("Заявка"),
    "expert": _("Эксперт"),
}


def total(**kwargs):
    kwargs.setdefault("help_text", _("Сумма баллов × веса, строкой до сотых."))
    return serializers.DecimalField(max_digits=20, decimal_places=2, rounding=ROUND_HALF_UP, **kwargs)


# --- Serializers: the documented shapes ---------------------------------------------------------------------------


class ExpertAssignmentListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("id назначения."))
    competition = BriefSerializer()
    application_number = serializers.CharField()
    title = serializers.CharField(help_text=_("Название проекта, как в поданной версии."))
    applicant = serializers.CharField(
        allow_null=True, help_text=_("Заявитель; null — конкурс скрывает заявителя от экспертов.")
    )
    sheet_status = serializers.ChoiceField(choices=SHEET_STATES)
    sheet_status_display = serializers.CharField()
    my_total = total(allow_null=True, help_text=_("Ваш итог по листу, строкой до сотых; null — баллов ещё нет."))
    review_deadline = serializers.DateTimeField(allow_null=True, help_text=_("Окончание этапа экспертизы (мск)."))


class BandSerializer(serializers.Serializer):
    low = serializers.CharField()
    high = serializers.CharField()
    text = serializers.CharField()


class SheetCriterionSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=_("id критерия: под ним передаются балл и комментарий."))
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    min_score = serializers.CharField(help_text=_("Наименьший балл, строкой."))
    max_score = serializers.CharField(help_text=_("Наибольший балл, строкой."))
    step = serializers.CharField(help_text=_("Шаг баллов, строкой: 1 — целые, 0.5 — половинки."))
    scale = serializers.CharField(help_text=_("Шкала словами, например «0–10, шаг 1»."))
    bands = BandSerializer(many=True, help_text=_("Что означают диапазоны баллов."))
    weight = serializers.CharField(help_text=_("Вес критерия для этой заявки (с учётом номинации и суммы)."))
    comment_rule = serializers.ChoiceField(choices=CommentRule.CHOICES)
    comment_threshold = serializers.CharField(
        allow_null=True, help_text=_("При таком балле и ниже нужен комментарий (для правила at_or_below).")
    )
    comment_rule_text = serializers.CharField()


class SheetDefinitionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("Версия листа оценки, закреплённая при начале экспертизы."))
    criteria = SheetCriterionSerializer(many=True)
    questions = FieldSerializer(many=True, help_text=_("Другие вопросы листа: баллов не дают."))


class ExpertAnswerSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(choices=FIELD_TYPES)
    value = serializers.CharField(allow_blank=True, help_text=_("Ответ текстом, как его видит человек."))


class ExpertVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text=_("Номер оцениваемой версии заявки."))
    submitted_at = serializers.DateTimeField()
    content_hash = serializers.CharField(help_text=_("SHA-256 версии: оценивается ровно она."))
    snapshot = serializers.JSONField(
        help_text=_("Сведения заявки на момент подачи; без заявителя, если конкурс его скрывает.")
    )
    answers = ExpertAnswerSerializer(many=True, help_text=_("Ответы на форму заявки по той версии формы."))


class ExpertAssignmentSerializer(ExpertAssignmentListItemSerializer):
    applicant_type = serializers.ChoiceField(choices=ApplicantType.choices)
    nomination = serializers.CharField(allow_blank=True)
    requested_amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    version = ExpertVersionSerializer()
    sheet = SheetDefinitionSerializer()


class SheetSerializer(serializers.Serializer):
    assignment = serializers.IntegerField(help_text=_("id назначения."))
    sheet_status = serializers.ChoiceField(choices=SHEET_STATES)
    sheet_status_display = serializers.CharField()
    revision = serializers.IntegerField(help_text=_("Передайте её при сохранении: иначе правки из другой вкладки."))
    version = serializers.IntegerField(help_text=_("Номер оцениваемой версии заявки."))
    scores = serializers.DictField(
        child=serializers.CharField(), help_text=_("Баллы по id критериев, строкой с точкой, например «7.5».")
    )
    comments = serializers.DictField(child=serializers.CharField(), help_text=_("Комментарии по id критериев."))
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True), help_text=_("Ответы на другие вопросы листа по id блоков.")
    )
    expert_total = total(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    can_edit = serializers.BooleanField()
    edit_message = serializers.CharField(allow_blank=True, help_text=_("Почему лист менять нельзя; пусто — можно."))


class SheetInputSerializer(serializers.Serializer):
    revision = serializers.IntegerField(help_text=_("Ревизия листа из GET: если лист уже изменили — 409."))
    scores = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        help_text=_("Баллы по id критериев: числом или строкой «7,5»; null или пусто — без балла."),
    )
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, help_text=_("Комментарии по id критериев.")
    )
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        help_text=_("Ответы на другие вопросы листа по id блоков, как в API форм."),
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class AssignmentStateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    assignment_status = serializers.ChoiceField(choices=ExpertAssignment.Status.choices)
    assignment_status_display = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)


class DeclarationInputSerializer(serializers.Serializer):
    competition = serializers.IntegerField(help_text=_("id конкурса."))
    confirm = serializers.BooleanField(help_text=_("true — эксперт подтверждает текст декларации."))


class TieSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExpertTie.Kind.choices)
    kind_label = serializers.CharField()
    tos_id = serializers.IntegerField(allow_null=True)
    tos = serializers.CharField(allow_blank=True, help_text=_("Название ТОС на момент подписи."))
    municipality_id = serializers.IntegerField(allow_null=True)
    municipality = serializers.CharField(allow_blank=True)
    organisation = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    declared_at = serializers.CharField(help_text=_("Когда связь заявлена, ISO 8601."))


class DeclarationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    competition = BriefSerializer()
    statement = serializers.CharField(help_text=_("Текст, который подписал эксперт."))
    ties_declared = TieSerializer(many=True, help_text=_("Связи эксперта на момент подписи."))
    signed_at = serializers.DateTimeField()


class ExpertBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ApplicationNumberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()


class RoundAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    expert = ExpertBriefSerializer()
    assignment_status = serializers.ChoiceField(choices=ExpertAssignment.Status.choices)
    assignment_status_display = serializers.CharField()
    origin = serializers.ChoiceField(choices=ExpertAssignment.Origin.choices)
    origin_display = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    sheet_status = serializers.ChoiceField(choices=SHEET_STATES)
    sheet_status_display = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    total = total(allow_null=True, help_text=_("Итог эксперта, строкой до сотых; до закрытия оценки — null."))


class RoundApplicationSerializer(ApplicationNumberSerializer):
    applicant = serializers.CharField(allow_blank=True)
    assignments = RoundAssignmentSerializer(many=True, help_text=_("Все назначения, и завершённые тоже."))


class ProgressSerializer(serializers.Serializer):
    applications = serializers.IntegerField(help_text=_("Заявок в экспертизе."))
    active_assignments = serializers.IntegerField()
    submitted = serializers.IntegerField(help_text=_("Листов отправлено."))
    drafts = serializers.IntegerField(help_text=_("Листов в черновике."))
    not_started = serializers.IntegerField(help_text=_("Назначений, где лист ещё не открыт."))
    overdue = serializers.IntegerField(help_text=_("Не отправлено, а этап экспертизы закончился."))
    recused = serializers.IntegerField()
    removed = serializers.IntegerField()


class DivergenceSerializer(serializers.Serializer):
    application = ApplicationNumberSerializer()
    totals = serializers.ListField(
        child=total(), help_text=_("Итоги первых двух отправленных листов; до закрытия оценки — пусто.")
    )
    extra_assigned = serializers.BooleanField(help_text=_("Назначен ли дополнительный эксперт."))


class ScoringOverviewSerializer(serializers.Serializer):
    competition = BriefSerializer()
    round_status = serializers.ChoiceField(choices=ROUND_STATUSES)
    round_status_display = serializers.CharField()
    seed = serializers.CharField(allow_null=True, help_text=_("Зерно случайного назначения: повторяет распределение."))
    sheet_version = serializers.IntegerField(allow_null=True)
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    review_deadline = serializers.DateTimeField(allow_null=True)
    experts_per_application = serializers.IntegerField()
    divergence_threshold = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    progress = ProgressSerializer()
    applications = RoundApplicationSerializer(many=True)
    divergences = DivergenceSerializer(many=True)


class CreatedAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = ApplicationNumberSerializer()
    expert = ExpertBriefSerializer()
    origin = serializers.ChoiceField(choices=ExpertAssignment.Origin.choices)
    origin_display = serializers.CharField()


class AutomaticAssignmentSerializer(serializers.Serializer):
    round_status = serializers.ChoiceField(choices=ROUND_STATUSES)
    seed = serializers.CharField()
    created = CreatedAssignmentSerializer(many=True, help_text=_("Пары «заявка — эксперт», добавленные сейчас."))


class ManualAssignmentInputSerializer(serializers.Serializer):
    application = serializers.IntegerField(help_text=_("id допущенной заявки этого конкурса."))
    expert = serializers.IntegerField(help_text=_("id эксперта."))
    reason = serializers.CharField(help_text=_("Почему назначаете вручную."))


class RemoveInputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    reassign = serializers.BooleanField(required=False, default=True, help_text=_("Назначить замену (по умолчанию)."))


class RemovedSerializer(serializers.Serializer):
    removed = RoundAssignmentSerializer()
    replacement = CreatedAssignmentSerializer(allow_null=True, help_text=_("Кто назначен взамен; null — никто."))


class WeightRuleSerializer(serializers.Serializer):
    nomination = serializers.CharField(allow_blank=True)
    amount_from = serializers.CharField(allow_null=True)
    amount_to = serializers.CharField(allow_null=True)
    weight = serializers.CharField()


class ResultCriterionSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.CharField(help_text=_("expert — оценивают эксперты, computed — по данным заявки."))
    name = serializers.CharField()
    code = serializers.CharField(allow_blank=True)
    weight = serializers.CharField()
    weight_rules = WeightRuleSerializer(many=True)
    min_score = serializers.CharField(allow_null=True)
    max_score = serializers.CharField(allow_null=True)
    source = serializers.CharField(allow_null=True, help_text=_("Откуда значение расчётного критерия."))


class ResultRulesSerializer(serializers.Serializer):
    passing_score = serializers.CharField()
    fund = serializers.CharField()
    max_per_project = serializers.CharField()
    allocation_rule = serializers.ChoiceField(choices=ranking.ALLOCATION_RULES)
    tie_breaks = serializers.ListField(child=serializers.ChoiceField(choices=ranking.TIE_BREAKS))
    experts_per_application = serializers.IntegerField()
    divergence_threshold = serializers.CharField(allow_null=True)
    sheet_version = serializers.IntegerField()


class PoolSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField(allow_blank=True, help_text=_("Номинация со своим фондом; пусто — общий фонд."))
    fund = serializers.CharField()
    granted = serializers.CharField()
    remaining = serializers.CharField()


class ComputedValueSerializer(serializers.Serializer):
    value = serializers.CharField(allow_null=True)
    points = serializers.CharField()
    weighted = serializers.CharField()


class ResultRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    application_id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    applicant = serializers.CharField(allow_blank=True)
    nomination = serializers.CharField(allow_blank=True)
    requested_amount = serializers.CharField()
    residents_share = serializers.CharField(allow_blank=True)
    submitted_at = serializers.CharField(allow_null=True)
    expert_totals = serializers.ListField(
        child=serializers.CharField(), help_text=_("Итоги листов, без имён экспертов.")
    )
    expert_mean = serializers.CharField(allow_null=True, help_text=_("Точное среднее: десятичная дробь или «p/q»."))
    computed = serializers.DictField(child=ComputedValueSerializer(), help_text=_("Расчётные критерии по id."))
    criterion_means = serializers.DictField(child=serializers.CharField(allow_null=True))
    final_score = serializers.CharField(allow_null=True)
    final_score_shown = serializers.CharField(allow_null=True, help_text=_("Итоговый балл до сотых."))
    eligible = serializers.BooleanField(help_text=_("Прошла ли заявка проходной балл."))
    pool = serializers.CharField()
    granted = serializers.CharField(allow_null=True, help_text=_("Выделено, ₽; null — не поддержана."))
    standing = serializers.ChoiceField(choices=list(ranking.Standing.LABELS.items()))
    standing_display = serializers.CharField()


class ResultsSerializer(serializers.Serializer):
    competition = BriefSerializer()
    round_status = serializers.ChoiceField(choices=ROUND_STATUSES)
    closed_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    computed_at = serializers.CharField()
    rules = ResultRulesSerializer()
    criteria = ResultCriterionSerializer(many=True)
    pools = PoolSerializer(many=True)
    passing_line_after = serializers.IntegerField(help_text=_("Ранг последней заявки выше проходного балла."))
    rows = ResultRowSerializer(many=True)


class FeedbackCriterionSerializer(ResultCriterionSerializer):
    mean = serializers.CharField(allow_null=True, help_text=_("Средний балл экспертов до сотых (для expert)."))
    points = serializers.CharField(allow_null=True, help_text=_("Баллы расчётного критерия (для computed)."))
    value = serializers.CharField(allow_null=True, help_text=_("Значение из заявки (для computed)."))


class RemarkSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    comment = serializers.CharField()


class ExpertCommentsSerializer(serializers.Serializer):
    expert = serializers.CharField(help_text=_("«Эксперт 1», «Эксперт 2»… — без имён."))
    remarks = RemarkSerializer(many=True)


class FeedbackSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    competition = BriefSerializer()
    row = ResultRowSerializer(help_text=_("Строка заявки в итогах."))
    criteria = FeedbackCriterionSerializer(many=True)
    comments_shown = serializers.BooleanField(help_text=_("Показывает ли конкурс заявителям комментарии экспертов."))
    comments = ExpertCommentsSerializer(many=True)


NOT_AN_EXPERT = refusal(_("Не выполнен вход или нет профиля эксперта."))
NOT_YOUR_ASSIGNMENT = refusal(_("Это назначение другого эксперта, или вы больше не назначены на заявку."))
NO_ASSIGNMENT = refusal(_("Назначения с таким номером нет."))
NOT_A_SECRETARY = refusal(_("Не выполнен вход или нет роли секретаря конкурса."))
NO_COMPETITION = refusal(_("Конкурса с таким номером нет."))


# --- Permissions and lookups ----------------------------------------------------------------------------------------


class IsExpert(permissions.BasePermission):
    message = _("Здесь работают эксперты конкурсов: у вашей учётной записи нет профиля эксперта.")

    def has_permission(self, request, view):
        return bool(
            request.user and request.user.is_authenticated and Expert.objects.filter(user=request.user).exists()
        )


class IsSecretary(permissions.BasePermission):
    message = _("Экспертизу ведёт секретарь конкурса: у вашей учётной записи нет этой роли.")

    def has_permission(self, request, view):
        return can_review(request.user)


def own_assignment(request, pk, *, active=True):
    """The signed-in expert's assignment: 404 when there is none, 403 when it is another expert's (or ended)."""
    found = (
        ExpertAssignment.objects.select_related(
            "expert", "scoring_round__sheet_version", "application__competition", "application__nomination"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("Назначения с таким номером нет."))
    if found.expert.user_id != request.user.pk:
        raise PermissionDenied(_("Это назначение другого эксперта: открыть его может только он."))
    if active and not found.is_active:
        raise PermissionDenied(
            _("Вы больше не назначены на эту заявку (%(status)s).") % {"status": found.get_status_display()}
        )
    return found


def find_competition(pk):
    competition = CompetitionPage.objects.filter(pk=pk).first()
    if competition is None:
        raise NotFound(_("Конкурса с таким номером нет."))
    return competition


def round_of(competition):
    return ScoringRound.objects.filter(competition=competition).select_related("sheet_version").first()


def sheet_of(assignment):
    return ScoreSheet.objects.filter(assignment=assignment).first()


# --- Errors ------------------------------------------------------------------------------------------------------


def problem(field, message, label=""):
    if not label and field in REQUEST_LABELS:
        label = str(REQUEST_LABELS[field])
    return {"field": field, "label": label, "message": str(message)}


def problems_response(problems, status_code=status.HTTP_400_BAD_REQUEST, detail=None):
    return Response({"detail": str(detail or problems[0]["message"]), "errors": problems}, status=status_code)


def sheet_field(scoring_round, key):
    """A service's problem key (criterion id, ``<id>-comment``, question id) as the request's field and its label."""
    criteria = {criterion.id: criterion for criterion in scoring_round.criteria}
    questions = scoring_round.sheet.by_id
    if key in criteria:
        return f"scores.{key}", criteria[key].name
    if key and key.endswith("-comment") and key.removesuffix("-comment") in criteria:
        criterion = criteria[key.removesuffix("-comment")]
        return f"comments.{criterion.id}", criterion.name
    if key in questions:
        return f"answers.{key}", questions[key].label
    return key, ""


def refused_response(refused, scoring_round=None):
    """A service's Refused as our error body: the Russian message, every problem with the request's field."""
    problems = []
    for key, message in refused.problems:
        field, label = sheet_field(scoring_round, key) if scoring_round is not None else (key, "")
        problems.append(problem(field, message or refused.message, label))
    return problems_response(problems or [problem(None, refused.message)], refused.status, refused.message)


# --- Describing -----------------------------------------------------------------------------------------------------


def decimal_text(value):
    return None if value is None else format(value, "f")


def state_of(sheet):
    if sheet is None:
        return NOT_STARTED, str(SHEET_STATES[0][1])
    return sheet.status, sheet.get_status_display()


def describe_assignment_brief(assignment, sheet, version):
    application = assignment.application
    competition = application.competition
    snapshot = version.snapshot if version else {}
    sheet_status, sheet_display = state_of(sheet)
    return {
        "id": assignment.pk,
        "competition": {"id": competition.pk, "title": competition.title},
        "application_number": application.number,
        "title": snapshot.get("title", application.title),
        "applicant": None
        if competition.hide_applicant_from_experts
        else snapshot.get("applicant", application.applicant_name),
        "sheet_status": sheet_status,
        "sheet_status_display": sheet_display,
        "my_total": sheet.expert_total if sheet else None,
        "review_deadline": competition.review_deadline,
    }


def describe_version_for_expert(version, competition):
    snapshot, answers = scoring.version_for_expert(competition, version)
    return {
        "number": version.number,
        "submitted_at": version.submitted_at,
        "content_hash": version.content_hash,
        "snapshot": snapshot,
        "answers": [
            {"id": item.id, "label": item.label, "type": item.block_type, "value": text or ""}
            for item, _stored, text in answers
        ],
    }


def describe_criterion(criterion, application):
    nomination = application.nomination.name if application.nomination_id else ""
    return {
        "id": criterion.id,
        "name": criterion.name,
        "description": criterion.description,
        "min_score": decimal_text(criterion.min_score),
        "max_score": decimal_text(criterion.max_score),
        "step": decimal_text(criterion.step),
        "scale": criterion.scale_text(),
        "bands": [
            {"low": decimal_text(low), "high": decimal_text(high), "text": text} for low, high, text in criterion.bands
        ],
        "weight": decimal_text(criterion.weight_for(nomination, application.requested_amount)),
        "comment_rule": criterion.comment_rule,
        "comment_threshold": decimal_text(criterion.comment_threshold),
        "comment_rule_text": criterion.comment_rule_text(),
    }


def describe_sheet_definition(scoring_round, application):
    definition = scoring_round.sheet
    return {
        "version": scoring_round.sheet_version.number,
        "criteria": [
            describe_criterion(criterion, application) for criterion in scoring_round.criteria if criterion.is_expert
        ],
        "questions": [describe_field(definition, item) for item in definition.fields],
    }


def describe_assignment(assignment):
    application = assignment.application
    sheet = sheet_of(assignment)
    version = scoring.scored_version(assignment, sheet)
    data = {
        **describe_assignment_brief(assignment, sheet, version),
        "applicant_type": application.applicant_type,
        "nomination": application.nomination.name if application.nomination_id else "",
        "requested_amount": application.requested_amount,
        "version": describe_version_for_expert(version, application.competition),
        "sheet": describe_sheet_definition(assignment.scoring_round, application),
    }
    return ExpertAssignmentSerializer(data).data


def edit_message(assignment, sheet):
    if not assignment.is_active:
        return str(_("Вы больше не назначены на эту заявку."))
    if not assignment.scoring_round.is_open:
        return str(_("Оценка закрыта секретарём: лист изменить нельзя."))
    if sheet.is_submitted:
        return str(_("Лист оценки отправлен и заблокирован."))
    return ""


def describe_sheet(assignment, sheet):
    scoring_round = assignment.scoring_round
    criteria_ids = {criterion.id for criterion in scoring_round.criteria if criterion.is_expert}
    questions = scoring_round.sheet.by_id
    scores, comments, answers = {}, {}, {}
    for key, stored in sheet.answers.items():
        if key in criteria_ids and isinstance(stored, dict):
            if stored.get("score") not in (None, ""):
                scores[key] = stored["score"]
            if stored.get("comment"):
                comments[key] = stored["comment"]
        elif key in questions:
            answers[key] = api_value(questions[key], stored)
    message = edit_message(assignment, sheet)
    data = {
        "assignment": assignment.pk,
        "sheet_status": sheet.status,
        "sheet_status_display": sheet.get_status_display(),
        "revision": sheet.revision,
        "version": sheet.version.number,
        "scores": scores,
        "comments": comments,
        "answers": answers,
        "expert_total": sheet.expert_total,
        "submitted_at": sheet.submitted_at,
        "can_edit": not message,
        "edit_message": message,
    }
    return SheetSerializer(data).data


def describe_declaration(declaration):
    competition = declaration.competition
    data = {
        "id": declaration.pk,
        "competition": {"id": competition.pk, "title": competition.title},
        "statement": declaration.statement,
        "ties_declared": declaration.ties_declared,
        "signed_at": declaration.signed_at,
    }
    return DeclarationSerializer(data).data


def application_brief(application):
    return {"id": application.pk, "number": application.number or "", "title": application.title}


def expert_brief(expert):
    return {"id": expert.pk, "name": expert.full_name}


def describe_created(assignment):
    return {
        "id": assignment.pk,
        "application": application_brief(assignment.application),
        "expert": expert_brief(assignment.expert),
        "origin": assignment.origin,
        "origin_display": assignment.get_origin_display(),
    }


def describe_round_assignment(assignment):
    sheet = getattr(assignment, "sheet", None)
    sheet_status, sheet_display = state_of(sheet)
    return {
        "id": assignment.pk,
        "expert": expert_brief(assignment.expert),
        "assignment_status": assignment.status,
        "assignment_status_display": assignment.get_status_display(),
        "origin": assignment.origin,
        "origin_display": assignment.get_origin_display(),
        "reason": assignment.reason,
        "created_at": assignment.created_at,
        "ended_at": assignment.ended_at,
        "sheet_status": sheet_status,
        "sheet_status_display": sheet_display,
        "submitted_at": sheet.submitted_at if sheet else None,
        "total": sheet.expert_total if sheet and sheet.is_submitted else None,
    }


def describe_overview(competition):
    """The round for the secretary: statuses and the totals of sent sheets (experts never see each other's)."""
    scoring_round = round_of(competition)
    assignments = []
    if scoring_round:
        assignments = list(
            scoring_round.assignments.select_related("expert", "sheet").order_by("application_id", "created_at", "pk")
        )
    by_application = {}
    for item in assignments:
        by_application.setdefault(item.application_id, []).append(item)
    applications = (
        Application.objects.filter(competition=competition)
        .filter(Q(status__in=scoring.IN_COMPETITION) | Q(pk__in=list(by_application)))
        .order_by("number", "pk")
    )
    now = timezone.now()
    deadline = competition.review_deadline
    active = [item for item in assignments if item.is_active]
    sheets = [getattr(item, "sheet", None) for item in active]
    progress = {
        "applications": len(applications),
        "active_assignments": len(active),
        "submitted": sum(1 for sheet in sheets if sheet and sheet.is_submitted),
        "drafts": sum(1 for sheet in sheets if sheet and not sheet.is_submitted),
        "not_started": sum(1 for sheet in sheets if sheet is None),
        "overdue": sum(1 for sheet in sheets if not (sheet and sheet.is_submitted))
        if deadline and now >= deadline
        else 0,
        "recused": sum(1 for item in assignments if item.status == ExpertAssignment.Status.RECUSED),
        "removed": sum(1 for item in assignments if item.status == ExpertAssignment.Status.REMOVED),
    }
    divergences = [
        {
            "application": application_brief(application),
            "totals": list(totals[:2]),
            "extra_assigned": extra,
        }
        for application, totals, extra in (assigning.divergences(scoring_round) if scoring_round else [])
    ]
    round_status = scoring_round.status if scoring_round else NOT_STARTED
    data = {
        "competition": {"id": competition.pk, "title": competition.title},
        "round_status": round_status,
        "round_status_display": str(dict(ROUND_STATUSES)[round_status]),
        "seed": scoring_round.seed if scoring_round else None,
        "sheet_version": scoring_round.sheet_version.number if scoring_round else None,
        "opened_at": scoring_round.opened_at if scoring_round else None,
        "closed_at": scoring_round.closed_at if scoring_round else None,
        "published_at": scoring_round.published_at if scoring_round else None,
        "review_deadline": deadline,
        "experts_per_application": competition.experts_per_application,
        "divergence_threshold": competition.divergence_threshold,
        "progress": progress,
        "applications": [
            {
                **application_brief(application),
                "applicant": application.applicant_name,
                "assignments": [describe_round_assignment(item) for item in by_application.get(application.pk, [])],
            }
            for application in applications
        ],
        "divergences": divergences,
    }
    return ScoringOverviewSerializer(data).data


def describe_rows(rows):
    return [{**row, "standing_display": str(ranking.Standing.LABELS.get(row["standing"], ""))} for row in rows]


def describe_results(competition, scoring_round):
    snapshot = scoring_round.results
    data = {
        **snapshot,
        "competition": {"id": competition.pk, "title": competition.title},
        "round_status": scoring_round.status,
        "closed_at": scoring_round.closed_at,
        "published_at": scoring_round.published_at,
        "rows": describe_rows(snapshot["rows"]),
    }
    return ResultsSerializer(data).data


# --- Parsing the sheet ------------------------------------------------------------------------------------------


def revision_of(request, data):
    """The sheet's revision, required here: a save replaces the whole draft and must not overwrite another tab's."""
    invalid = _("Ревизия — целое число из поля revision листа, например 3.")
    revision, problems = revision_from(request, data, invalid=invalid)
    if revision is None and not problems:
        message = _(
            "Передайте ревизию листа — поле revision из GET листа: так сохранение не затрёт правки из другой вкладки."
        )
        problems = [problem("revision", message)]
    return revision, problems


def object_of(data, key, example):
    value = data.get(key)
    if value is None:
        return {}, []
    if not isinstance(value, dict):
        return {}, [problem(key, _("Передайте объект: %(example)s.") % {"example": example})]
    return value, []


def question_value(item, value):
    """An API answer to a sheet question as the value check_answers posts to the engine's field."""
    form_field = item.form_field()
    data, _files = shape_of(item).form_data(item, form_field, value)
    posted = data.get(item.id, [])
    if getattr(form_field.widget, "allow_multiple_selected", False):
        return posted
    return posted[0] if posted else ""


def posted_sheet(scoring_round, data):
    """The request body as scoring.save_sheet takes it, and the problems with it (named by the request's fields)."""
    problems = [
        problem(
            key,
            _("Поля «%(field)s» в листе нет: можно передать %(allowed)s.")
            % {"field": key, "allowed": ", ".join(sorted(SHEET_KEYS))},
        )
        for key in sorted(set(data) - SHEET_KEYS)
    ]
    criteria = {criterion.id: criterion for criterion in scoring_round.criteria if criterion.is_expert}
    questions = scoring_round.sheet.by_id
    posted = {}
    scores, found = object_of(data, "scores", '{"<id критерия>": "7,5"}')
    problems += found
    for key, value in scores.items():
        if key not in criteria:
            message = _("В листе нет критерия «%(id)s»: id критериев — в описании назначения (sheet.criteria).")
            problems.append(problem(f"scores.{key}", message % {"id": key}))
        elif isinstance(value, bool) or not isinstance(value, int | float | str | None):
            message = _("«%(name)s»: балл — число или строка, например 7 или «7,5».")
            problems.append(problem(f"scores.{key}", message % {"name": criteria[key].name}, criteria[key].name))
        else:
            posted[key] = "" if value is None else str(value)
    comments, found = object_of(data, "comments", '{"<id критерия>": "текст"}')
    problems += found
    for key, value in comments.items():
        if key not in criteria:
            message = _("В листе нет критерия «%(id)s»: id критериев — в описании назначения (sheet.criteria).")
            problems.append(problem(f"comments.{key}", message % {"id": key}))
        elif not isinstance(value, str | None):
            message = _("«%(name)s»: комментарий — строка текста.") % {"name": criteria[key].name}
            problems.append(problem(f"comments.{key}", message, criteria[key].name))
        else:
            posted[f"{key}-comment"] = value or ""
    answers, found = object_of(data, "answers", '{"<id вопроса>": ответ}')
    problems += found
    for key, value in answers.items():
        item = questions.get(key)
        if item is None or not item.is_field or key in criteria:
            message = _("В листе нет вопроса «%(id)s»: id вопросов — в описании назначения (sheet.questions).")
            problems.append(problem(f"answers.{key}", message % {"id": key}))
            continue
        try:
            posted[key] = question_value(item, value)
        except WrongShape as wrong:
            problems.append(problem(f"answers.{key}", f"«{item.label}»: {wrong}", item.label))
    return posted, problems


def save(request, pk, *, submit):
    assignment = own_assignment(request, pk, active=False)
    scoring_round = assignment.scoring_round
    data = body_of(request)
    revision, problems = revision_of(request, data)
    posted, sheet_problems = posted_sheet(scoring_round, data)
    problems += sheet_problems
    if problems:
        return problems_response(problems)
    try:
        sheet = scoring.sheet_for(assignment, request.user)
        sheet = scoring.save_sheet(sheet, request.user, posted, revision=revision, submit=submit)
    except Refused as refused:
        return refused_response(refused, scoring_round)
    return Response(describe_sheet(assignment, sheet))


# --- Views: the expert --------------------------------------------------------------------------------------------


class ExpertAssignmentListView(CompetitionsAPI, generics.GenericAPIView):
    permission_classes = [IsExpert]
    pagination_class = ApplicationsPagination
    serializer_class = ExpertAssignmentListItemSerializer

    def get_queryset(self):
        return (
            ExpertAssignment.objects.of_expert_user(self.request.user)
            .active()
            .select_related("application__competition", "sheet__version")
            .order_by("application__competition_id", "application__number", "pk")
        )

    @extend_schema(
        tags=EXPERT_TAGS,
        summary=_("Мои назначения"),
        description=_(
            "Для эксперта: заявки, назначенные ему сейчас (без самоотводов и снятий), по страницам. Заявитель не "
            "показывается, если конкурс скрывает его от экспертов. Итог — только по своему листу."
        ),
        responses={200: ExpertAssignmentListItemSerializer(many=True), 401: NOT_SIGNED_IN, 403: NOT_AN_EXPERT},
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        versions = {  # the latest version of each application: later numbers overwrite earlier ones
            version.application_id: version
            for version in ApplicationVersion.objects.filter(
                application_id__in=[item.application_id for item in page]
            ).order_by("number")
        }
        items = []
        for item in page:
            sheet = getattr(item, "sheet", None)
            version = sheet.version if sheet else versions.get(item.application_id)
            items.append(describe_assignment_brief(item, sheet, version))
        return self.get_paginated_response(ExpertAssignmentListItemSerializer(items, many=True).data)


class ExpertAssignmentDetailView(CompetitionsAPI, APIView):
    permission_classes = [IsExpert]

    @extend_schema(
        tags=EXPERT_TAGS,
        summary=_("Назначение эксперта"),
        description=_(
            "Заявка в той поданной версии, которую оценивает эксперт (сведения на момент подачи и ответы на форму "
            "по той версии формы), и лист оценки: критерии со шкалой, шагом, описанием диапазонов, весом для этой "
            "заявки и правилом комментария, а также другие вопросы листа. Оценок других экспертов здесь нет."
        ),
        responses={
            200: ExpertAssignmentSerializer,
            401: NOT_SIGNED_IN,
            403: NOT_YOUR_ASSIGNMENT,
            404: NO_ASSIGNMENT,
        },
    )
    def get(self, request, pk):
        return Response(describe_assignment(own_assignment(request, pk)))


class ExpertSheetView(CompetitionsAPI, APIView):
    permission_classes = [IsExpert]

    @extend_schema(
        tags=EXPERT_TAGS,
        summary=_("Мой лист оценки"),
        description=_(
            "Лист оценки эксперта по назначению (при первом открытии создаётся пустой черновик): баллы и "
            "комментарии по id критериев, ответы на другие вопросы, статус, ревизия и свой итог."
        ),
        responses={200: SheetSerializer, 401: NOT_SIGNED_IN, 403: NOT_YOUR_ASSIGNMENT, 404: NO_ASSIGNMENT},
    )
    def get(self, request, pk):
        assignment = own_assignment(request, pk)
        try:
            sheet = scoring.sheet_for(assignment, request.user)
        except Refused as refused:
            return refused_response(refused)
        return Response(describe_sheet(assignment, sheet))

    @extend_schema(
        tags=EXPERT_TAGS,
        summary=_("Сохранить черновик листа"),
        description=_(
            "Сохраняет лист целиком (что не передано — стирается): баллы проверяются по шкале и шагу, полнота — "
            "только при отправке. Нужна ревизия листа (revision или заголовок If-Match): если лист уже изменили — "
            "409. Если хоть что-то не подходит, не сохраняется ничего."
        ),
        request=SheetInputSerializer,
        responses={
            200: SheetSerializer,
            400: refusal(_("Балл вне шкалы или не по шагу, неизвестный критерий или вопрос: каждое поле названо.")),
            401: NOT_SIGNED_IN,
            403: NOT_YOUR_ASSIGNMENT,
            404: NO_ASSIGNMENT,
            409: refusal(
                _("Лист уже отправлен, оценка закрыта, назначение завершено или лист изменён в другом месте.")
            ),
        },
    )
    def put(self, request, pk):
        return save(request, pk, submit=False)


class ExpertSheetSubmitView(CompetitionsAPI, APIView):
    permission_classes = [IsExpert]

    @extend_schema(
        tags=EXPERT_TAGS,
        summary=_("Отправить лист оценки"),
        description=_(
            "Сохраняет и отправляет лист: все критерии должны быть оценены, комментарии — где их требует правило, "
            "обязательные вопросы — отвечены. Отправленный лист заблокирован; повторная отправка — 409."
        ),
        request=SheetInputSerializer,
        responses={
            200: SheetSerializer,
            400: refusal(_("Лист не заполнен или балл не подходит: каждое поле названо, ничего не сохранено.")),
            401: NOT_SIGNED_IN,
            403: NOT_YOUR_ASSIGNMENT,
            404: NO_ASSIGNMENT,
            409: refusal(
                _("Лист уже отправлен, оценка закрыта, назначение завершено или лист изменён в другом месте.")
            ),
        },
    )
    def post(self, request, pk):
        return save(request, pk, submit=True)


class ExpertRecuseView(CompetitionsAPI, APIView):
    permission_classes = [IsExpert]

    @extend_schema(
        tags=EXPERT_TAGS,
        summary=_("Самоотвод"),
        description=_(
            "Эксперт отказывается оценивать заявку (например, из-за знакомства с заявителем) с причиной — до "
            "отправки листа. Заявке назначается другой эксперт."
        ),
        request=ReasonSerializer,
        responses={
            200: AssignmentStateSerializer,
            400: refusal(_("Нет причины самоотвода.")),
            401: NOT_SIGNED_IN,
            403: NOT_YOUR_ASSIGNMENT,
            404: NO_ASSIGNMENT,
            409: refusal(_("Лист уже отправлен, оценка закрыта или назначение уже завершено.")),
        },
    )
    def post(self, request, pk):
        assignment = own_assignment(request, pk, active=False)
        reason = body_of(request).get("reason") or ""
        if not isinstance(reason, str):
            return problems_response([problem("reason", _("Передайте причину строкой."))])
        try:
            ended, _replacement = assigning.recuse(assignment, request.user, reason=reason)
        except Refused as refused:
            return refused_response(refused)
        data = {
            "id": ended.pk,
            "assignment_status": ended.status,
            "assignment_status_display": ended.get_status_display(),
            "reason": ended.reason,
        }
        return Response(AssignmentStateSerializer(data).data)


class ExpertDeclarationView(CompetitionsAPI, APIView):
    permission_classes = [IsExpert]

    @extend_schema(
        tags=EXPERT_TAGS,
        summary=_("Подписать декларацию"),
        description=_(
            "Декларация об отсутствии конфликта интересов по конкурсу: без неё эксперта не назначают. В ней "
            "сохраняются текст и связи эксперта на момент подписи. Повторная подпись ничего не меняет (200)."
        ),
        request=DeclarationInputSerializer,
        responses={
            200: OpenApiResponse(DeclarationSerializer, description=_("Декларация уже была подписана.")),
            201: OpenApiResponse(DeclarationSerializer, description=_("Декларация подписана.")),
            400: refusal(_("Нет подтверждения или конкурса: каждое поле названо.")),
            401: NOT_SIGNED_IN,
            403: NOT_AN_EXPERT,
            409: refusal(_("Оценка по конкурсу уже закрыта.")),
        },
    )
    def post(self, request):
        data = body_of(request)
        problems = []
        competition = live_competitions().filter(pk=integer(data.get("competition"))).first()
        if competition is None:
            message = _("Конкурса с id «%(id)s» нет среди опубликованных: возьмите id из GET /api/v1/competitions/.")
            problems.append(problem("competition", message % {"id": data.get("competition")}))
        if data.get("confirm") is not True:
            message = _("Подтвердите декларацию: передайте confirm: true, если конфликта интересов нет.")
            problems.append(problem("confirm", message))
        if problems:
            return problems_response(problems)
        try:
            declaration, created = declarations.sign(request.user.expert, competition, request.user)
        except Refused as refused:
            return refused_response(refused)
        return Response(
            describe_declaration(declaration), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


# --- Views: the secretary -----------------------------------------------------------------------------------------


class ScoringOverviewView(CompetitionsAPI, APIView):
    permission_classes = [IsSecretary]

    @extend_schema(
        tags=SCORING_TAGS,
        summary=_("Ход экспертизы"),
        description=_(
            "Для секретаря конкурса: статус оценки, зерно назначения, счётчики (отправлено, черновики, не начато, "
            "просрочено), по каждой заявке — эксперты с тем, как назначены, статусом назначения и листа, и "
            "расхождения оценок с итогами отправленных листов (эксперты чужих оценок не видят)."
        ),
        responses={200: ScoringOverviewSerializer, 401: NOT_SIGNED_IN, 403: NOT_A_SECRETARY, 404: NO_COMPETITION},
    )
    def get(self, request, pk):
        return Response(describe_overview(find_competition(pk)))


class AutomaticAssignmentView(CompetitionsAPI, APIView):
    permission_classes = [IsSecretary]

    @extend_schema(
        tags=SCORING_TAGS,
        summary=_("Назначить экспертов автоматически"),
        description=_(
            "Начинает экспертизу (если не начата) и даёт каждой допущенной заявке нужное число экспертов без "
            "конфликта интересов, поровну по нагрузке; повтор только дополняет. Всё или ничего."
        ),
        request=None,
        responses={
            200: AutomaticAssignmentSerializer,
            401: NOT_SIGNED_IN,
            403: NOT_A_SECRETARY,
            404: NO_COMPETITION,
            409: refusal(_("Нет допущенных заявок, не хватает экспертов, нет критериев или оценка закрыта.")),
        },
    )
    def post(self, request, pk):
        competition = find_competition(pk)
        try:
            scoring_round, created = assigning.assign_automatically(competition, request.user)
        except Refused as refused:
            return refused_response(refused)
        data = {
            "round_status": scoring_round.status,
            "seed": scoring_round.seed,
            "created": [describe_created(item) for item in created],
        }
        return Response(AutomaticAssignmentSerializer(data).data)


class ManualAssignmentView(CompetitionsAPI, APIView):
    permission_classes = [IsSecretary]

    @extend_schema(
        tags=SCORING_TAGS,
        summary=_("Назначить эксперта вручную"),
        description=_(
            "Назначает выбранного эксперта на допущенную заявку с причиной. Конфликт интересов, неподписанная "
            "декларация и повторное назначение отклоняются."
        ),
        request=ManualAssignmentInputSerializer,
        responses={
            201: CreatedAssignmentSerializer,
            400: refusal(_("Нет причины, заявки или эксперта, или у эксперта конфликт: каждое поле названо.")),
            401: NOT_SIGNED_IN,
            403: NOT_A_SECRETARY,
            404: NO_COMPETITION,
            409: refusal(_("Экспертиза не начата или закрыта, или заявка не допущена.")),
        },
    )
    def post(self, request, pk):
        competition = find_competition(pk)
        data = body_of(request)
        problems = []
        application = Application.objects.filter(pk=integer(data.get("application")), competition=competition).first()
        if application is None:
            message = _("В этом конкурсе нет заявки с id «%(id)s»: возьмите id из хода экспертизы.")
            problems.append(problem("application", message % {"id": data.get("application")}))
        expert = Expert.objects.filter(pk=integer(data.get("expert"))).first()
        if expert is None:
            problems.append(problem("expert", _("Эксперта с id «%(id)s» нет.") % {"id": data.get("expert")}))
        reason = data.get("reason") or ""
        if not isinstance(reason, str):
            problems.append(problem("reason", _("Передайте причину строкой.")))
        if problems:
            return problems_response(problems)
        try:
            created = assigning.assign_manually(
                competition, request.user, application=application, expert=expert, reason=reason
            )
        except Refused as refused:
            return refused_response(refused)
        return Response(CreatedAssignmentSerializer(describe_created(created)).data, status=status.HTTP_201_CREATED)


class RemoveAssignmentView(CompetitionsAPI, APIView):
    permission_classes = [IsSecretary]

    @extend_schema(
        tags=SCORING_TAGS,
        summary=_("Снять эксперта"),
        description=_(
            "Снимает эксперта с заявки с причиной; его лист больше не учитывается. По умолчанию назначается замена "
            "(reassign: false — без замены)."
        ),
        request=RemoveInputSerializer,
        responses={
            200: RemovedSerializer,
            400: refusal(_("Нет причины.")),
            401: NOT_SIGNED_IN,
            403: NOT_A_SECRETARY,
            404: NO_ASSIGNMENT,
            409: refusal(_("Назначение уже завершено или оценка закрыта.")),
        },
    )
    def post(self, request, pk):
        assignment = ExpertAssignment.objects.select_related("scoring_round").filter(pk=pk).first()
        if assignment is None:
            raise NotFound(_("Назначения с таким номером нет."))
        data = body_of(request)
        problems = []
        reason = data.get("reason") or ""
        if not isinstance(reason, str):
            problems.append(problem("reason", _("Передайте причину строкой.")))
        reassign = data.get("reassign", True)
        if not isinstance(reassign, bool):
            problems.append(problem("reassign", _("reassign — true (назначить замену) или false.")))
        if problems:
            return problems_response(problems)
        try:
            ended, replacement = assigning.remove(assignment, request.user, reason=reason, reassign=reassign)
        except Refused as refused:
            return refused_response(refused)
        ended = ExpertAssignment.objects.select_related("expert", "sheet", "scoring_round").get(pk=ended.pk)
        data = {
            "removed": describe_round_assignment(ended),
            "replacement": describe_created(replacement) if replacement else None,
        }
        return Response(RemovedSerializer(data).data)


class CloseScoringView(CompetitionsAPI, APIView):
    permission_classes = [IsSecretary]

    @extend_schema(
        tags=SCORING_TAGS,
        summary=_("Закрыть оценку"),
        description=_(
            "Закрывает оценку и один раз рассчитывает итоги (рейтинг, проходной балл, распределение фонда); они "
            "сохраняются и дальше не меняются. Пока хоть один лист не отправлен — 409 со списком."
        ),
        request=None,
        responses={
            200: ResultsSerializer,
            401: NOT_SIGNED_IN,
            403: NOT_A_SECRETARY,
            404: NO_COMPETITION,
            409: refusal(_("Экспертиза не начата, оценка уже закрыта или не все листы отправлены.")),
        },
    )
    def post(self, request, pk):
        competition = find_competition(pk)
        try:
            scoring_round = scoring.close(competition, request.user)
        except Refused as refused:
            return refused_response(refused)
        return Response(describe_results(competition, scoring_round))


class PublishScoringView(CompetitionsAPI, APIView):
    permission_classes = [IsSecretary]

    @extend_schema(
        tags=SCORING_TAGS,
        summary=_("Опубликовать итоги"),
        description=_(
            "Публикует закрытые итоги: они видны всем, поддержанные заявки становятся победителями с суммами, "
            "заявители видят отзыв экспертов. Один раз."
        ),
        request=None,
        responses={
            200: ResultsSerializer,
            401: NOT_SIGNED_IN,
            403: NOT_A_SECRETARY,
            404: NO_COMPETITION,
            409: refusal(_("Оценка не закрыта или итоги уже опубликованы.")),
        },
    )
    def post(self, request, pk):
        competition = find_competition(pk)
        try:
            scoring_round = scoring.publish(competition, request.user)
        except Refused as refused:
            return refused_response(refused)
        return Response(describe_results(competition, scoring_round))


class ScoringResultsView(CompetitionsAPI, APIView):
    permission_classes = [IsSecretary]

    @extend_schema(
        tags=SCORING_TAGS,
        summary=_("Итоги экспертизы (для секретаря)"),
        description=_("Итоги, зафиксированные при закрытии оценки, — и до публикации тоже."),
        responses={
            200: ResultsSerializer,
            401: NOT_SIGNED_IN,
            403: NOT_A_SECRETARY,
            404: refusal(_("Конкурса нет или оценка ещё не закрыта.")),
        },
    )
    def get(self, request, pk):
        competition = find_competition(pk)
        scoring_round = round_of(competition)
        if scoring_round is None or scoring_round.is_open:
            raise NotFound(_("Итогов ещё нет: они рассчитываются при закрытии оценки."))
        return Response(describe_results(competition, scoring_round))


# --- Views: everyone and the applicant ----------------------------------------------------------------------------


class PublishedResultsView(CompetitionsAPI, APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["competitions"],
        summary=_("Итоги конкурса"),
        description=_(
            "Опубликованные итоги: правила расчёта, критерии, фонды, рейтинг заявок с баллами, проходным баллом и "
            "суммами. Без имён экспертов. Доступно всем, без входа."
        ),
        responses={200: ResultsSerializer, 404: refusal(_("Конкурса нет, или итоги ещё не опубликованы."))},
    )
    def get(self, request, pk):
        competition = live_competitions().filter(pk=pk).first()
        if competition is None:
            raise NotFound(_("Конкурса с таким номером нет, или он не опубликован."))
        scoring_round = round_of(competition)
        if scoring_round is None or not scoring_round.is_published:
            raise NotFound(_("Итоги конкурса ещё не опубликованы."))
        return Response(describe_results(competition, scoring_round))


class ApplicationFeedbackView(CompetitionsAPI, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["competitions"],
        summary=_("Отзыв экспертов по своей заявке"),
        description=_(
            "После публикации итогов: строка заявки в рейтинге, средний балл по каждому критерию и, если конкурс "
            "это разрешает, комментарии экспертов под «Эксперт 1», «Эксперт 2»… — без имён."
        ),
        responses={
            200: FeedbackSerializer,
            401: NOT_SIGNED_IN,
            403: refusal(_("Не выполнен вход или это чужая заявка.")),
            404: refusal(_("Заявки нет, итоги ещё не опубликованы или заявка не оценивалась.")),
        },
    )
    def get(self, request, pk):
        application = own_application(request, pk)
        feedback = scoring.applicant_feedback(application)
        if feedback is None:
            if scoring.published_results(application.competition) is None:
                raise NotFound(_("Итоги конкурса ещё не опубликованы: отзыв экспертов появится после публикации."))
            raise NotFound(_("Заявка не оценивалась экспертами: её нет в итогах конкурса."))
        competition = application.competition
        data = {
            "application": application.pk,
            "competition": {"id": competition.pk, "title": competition.title},
            "row": describe_rows([feedback["row"]])[0],
            "criteria": [
                {**criterion, "mean": decimal_text(criterion.get("mean")), "points": criterion.get("points")}
                for criterion in feedback["criteria"]
            ],
            "comments_shown": competition.show_comments_to_applicants,
            "comments": [
                {
                    "expert": item["expert"],
                    "remarks": [{"criterion": name, "comment": text} for name, text in item["remarks"]],
                }
                for item in feedback["comments"]
            ],
        }
        return Response(FeedbackSerializer(data).data)
