"""/api/v1/competitions/: live competitions for everyone, an applicant's own applications, the secretary's check.

Every write goes through competitions.applications or competitions.review, so the API and the cabinet keep the same
rules: the deadline in Moscow time at the moment of the write, the draft's revision against a second tab or client,
an idempotent start and submit. Refusals answer ``{"detail": message, "errors": [{"field", "label", "message"}]}``
with Russian messages, like the forms API.
"""

import json
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Locale

from competitions import applications, cofinancing
from competitions.models import (
    AdmissibilityReview,
    ApplicantType,
    Application,
    CofinancingSource,
    CompetitionPage,
    ContributionKind,
    Nomination,
    RequiredDocument,
    StageKind,
)
from competitions.review import can_review, checklist_for, decide
from forms.api import (
    AnswerSerializer,
    AnswersMultipartSerializer,
    ErrorsSerializer,
    ProblemSerializer,
    StepSerializer,
    answers_from,
    describe_steps,
    errors_exception_handler,
)
from forms.api_answers import AnswersRefused, Problem, api_value
from forms.engine import Refusal
from tos.models import TOSProfilePage

TAGS = ["competitions"]
REVIEW_TAGS = ["competitions-review"]
DETAIL_FIELDS = ("title", "nomination", "group_name", "group_size", "requested_amount", "ledger")
PATCH_KEYS = {*DETAIL_FIELDS, "answers", "revision"}
CREATE_KEYS = {"competition", "applicant_type", "tos", "group_name", "group_size", "nomination", "title", "start_key"}
TWO_PLACES = Decimal("0.01")
EXTRA_LABELS = {
    "competition": _("Конкурс"),
    "start_key": _("Ключ идемпотентности (Idempotency-Key)"),
    "answers": _("Ответы на форму заявки"),
    "revision": _("Ревизия черновика"),
    "reason": _("Причина отзыва"),
    "decision": _("Решение"),
    "checklist": _("Проверка документов"),
    "reasons": _("Причины"),
}


# --- Serializers: the documented shapes ---------------------------------------------------------------------------


def money(**kwargs):
    kwargs.setdefault("help_text", _("Рубли, строкой с копейками."))
    return serializers.DecimalField(max_digits=16, decimal_places=2, **kwargs)


def share(**kwargs):
    kwargs.setdefault("help_text", _("Доля, %, строкой до сотых."))
    return serializers.DecimalField(max_digits=6, decimal_places=2, rounding=ROUND_HALF_UP, **kwargs)


class ErrorsWithDetailSerializer(ErrorsSerializer):
    detail = serializers.CharField(help_text=_("Главное сообщение: что не так и что сделать."))


def refusal(description):
    return OpenApiResponse(ErrorsWithDetailSerializer, description=description)


class KindSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    number_prefix = serializers.CharField(help_text=_("Начало номеров заявок, например «ИБ»."))


class StageSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=StageKind.choices)
    kind_display = serializers.CharField()
    title = serializers.CharField(help_text=_("Название этапа; если не задано — по виду этапа."))
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(help_text=_("Для приёма заявок — последний момент, когда заявку примут."))


class NominationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    fund = money(allow_null=True)


class CofinancingRuleSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=CofinancingSource.choices)
    source_display = serializers.CharField()
    min_share = share()
    counted_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=ContributionKind.choices),
        help_text=_("Какие виды вклада засчитываются в долю источника."),
    )


class RequiredDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    applies_to = serializers.ChoiceField(choices=RequiredDocument.AppliesTo.choices)
    applies_to_display = serializers.CharField()


class CompetitionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text=_("Страница конкурса на сайте."))
    kind = KindSerializer()
    year = serializers.IntegerField()
    organiser = serializers.CharField()
    fund = money()
    max_per_project = money()
    accepts_tos = serializers.BooleanField()
    accepts_groups = serializers.BooleanField()
    min_group_size = serializers.IntegerField(help_text=_("Инициативная группа — не меньше стольких человек."))
    current_stage = StageSerializer(allow_null=True, help_text=_("Этап, который идёт сейчас; null — между этапами."))
    stages = StageSerializer(many=True)
    deadline = serializers.DateTimeField(allow_null=True, help_text=_("Окончание приёма заявок."))
    intake_open = serializers.BooleanField()
    intake_message = serializers.CharField(
        allow_blank=True, help_text=_("Почему заявки сейчас не принимаются; пусто — приём открыт.")
    )
    nominations = NominationSerializer(many=True)
    cofinancing_rules = CofinancingRuleSerializer(many=True)
    required_documents = RequiredDocumentSerializer(many=True)


class ApplicationFormSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("Номер версии формы заявки."))
    steps = StepSerializer(many=True)


class CompetitionDetailSerializer(CompetitionSerializer):
    legal_basis = serializers.CharField()
    correction_days = serializers.IntegerField(help_text=_("Срок доработки по умолчанию, дней."))
    application_form = ApplicationFormSerializer(
        help_text=_("Вопросы формы заявки: ответы передаются под id полей (PATCH заявки, ключ answers).")
    )


class BriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class NominationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ApplicationListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text=_("Адрес заявки в API."))
    competition = BriefSerializer()
    number = serializers.CharField(allow_null=True, help_text=_("Номер вида ИБ-2026-0001; null — ещё не подана."))
    title = serializers.CharField()
    applicant_type = serializers.ChoiceField(choices=ApplicantType.choices)
    applicant_name = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=Application.Status.choices)
    status_display = serializers.CharField()
    revision = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True, help_text=_("Когда заявка подана впервые."))
    correction_deadline = serializers.DateTimeField(allow_null=True)


class LedgerLineSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=CofinancingSource.choices)
    source_display = serializers.CharField()
    kind = serializers.ChoiceField(choices=ContributionKind.choices)
    kind_display = serializers.CharField()
    amount = money()
    note = serializers.CharField(allow_blank=True)


class SourceShareSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=CofinancingSource.choices)
    label = serializers.CharField()
    amount = money()
    share = share()


class SummarySerializer(serializers.Serializer):
    requested = money()
    cofinancing = money()
    cost = money(help_text=_("Полная стоимость проекта: запрошенная сумма и всё софинансирование."))
    requested_share = share()
    sources = SourceShareSerializer(many=True)


class FileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    field = serializers.CharField(help_text=_("id поля формы."))
    label = serializers.CharField(allow_blank=True)
    name = serializers.CharField()
    size = serializers.IntegerField(help_text=_("Байт."))
    sha256 = serializers.CharField()
    url = serializers.CharField(help_text=_("Скачать: только заявителю и сотрудникам с доступом к ответам."))


class VersionBriefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    content_hash = serializers.CharField()
    url = serializers.CharField()


class ChecklistRowSerializer(serializers.Serializer):
    document_id = serializers.IntegerField()
    document = serializers.CharField()
    requirements = serializers.CharField(allow_blank=True)
    ok = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)


class ReviewSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("Номер проверенной версии."))
    decision = serializers.ChoiceField(choices=AdmissibilityReview.Decision.choices)
    decision_display = serializers.CharField()
    reasons = serializers.CharField(allow_blank=True)
    correction_deadline = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField()
    checklist = ChecklistRowSerializer(many=True)


class HistoryEntrySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Application.Status.choices)
    status_display = serializers.CharField()
    at = serializers.DateTimeField()
    user = serializers.CharField(allow_blank=True, help_text=_("Кто изменил статус."))


class ApplicationSerializer(ApplicationListItemSerializer):
    tos = BriefSerializer(allow_null=True)
    group_name = serializers.CharField(allow_blank=True)
    group_size = serializers.IntegerField(allow_null=True)
    nomination = NominationBriefSerializer(allow_null=True)
    requested_amount = money(allow_null=True)
    ledger = LedgerLineSerializer(many=True)
    summary = SummarySerializer()
    rule_problems = serializers.ListField(
        child=serializers.CharField(), help_text=_("Правила софинансирования, которым софинансирование не отвечает.")
    )
    form_version = serializers.IntegerField(help_text=_("Версия формы, по которой заполняются ответы."))
    answers = serializers.DictField(child=AnswerSerializer(), help_text=_("Ответы на форму заявки по id полей."))
    files = FileSerializer(many=True)
    can_edit = serializers.BooleanField(help_text=_("Можно ли сейчас менять заявку."))
    edit_message = serializers.CharField(allow_blank=True, help_text=_("Почему менять нельзя; пусто — можно."))
    readiness_problems = ProblemSerializer(
        many=True, help_text=_("Что мешает подать заявку; пусто — можно подавать. Только у черновика и доработки.")
    )
    reasons = serializers.CharField(allow_blank=True, help_text=_("Причины последнего решения секретаря."))
    review = ReviewSerializer(allow_null=True, help_text=_("Последняя проверка допуска."))
    versions = VersionBriefSerializer(many=True)
    history = HistoryEntrySerializer(many=True)


class ApplicationCreateSerializer(serializers.Serializer):
    competition = serializers.IntegerField(help_text=_("id конкурса."))
    applicant_type = serializers.ChoiceField(choices=ApplicantType.choices)
    tos = serializers.IntegerField(required=False, allow_null=True, help_text=_("id ТОС — для заявки от ТОС."))
    group_name = serializers.CharField(required=False, allow_blank=True)
    group_size = serializers.IntegerField(required=False, allow_null=True)
    nomination = serializers.IntegerField(required=False, allow_null=True, help_text=_("id номинации конкурса."))
    title = serializers.CharField()
    start_key = serializers.CharField(
        required=False, help_text=_("Ключ идемпотентности, если нельзя передать заголовок Idempotency-Key.")
    )


class LedgerLineInputSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=CofinancingSource.choices)
    kind = serializers.ChoiceField(choices=ContributionKind.choices)
    amount = serializers.CharField(help_text=_("Рубли: 150000 или «150000,50»."))
    note = serializers.CharField(required=False, allow_blank=True, help_text=_("Для труда — обязательно."))


class ApplicationPatchSerializer(serializers.Serializer):
    title = serializers.CharField(required=False)
    nomination = serializers.IntegerField(required=False, allow_null=True)
    group_name = serializers.CharField(required=False)
    group_size = serializers.IntegerField(required=False)
    requested_amount = serializers.CharField(
        required=False, allow_null=True, help_text=_("Рубли: 970000 или «970000,50».")
    )
    ledger = LedgerLineInputSerializer(many=True, required=False, help_text=_("Весь список строк софинансирования."))
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True), required=False, help_text=_("Ответы по id полей формы заявки.")
    )
    revision = serializers.IntegerField(
        required=False, help_text=_("Ревизия, которую видел клиент; если заявку уже изменили — 409.")
    )


class ApplicationPatchMultipartSerializer(AnswersMultipartSerializer):
    title = serializers.CharField(required=False)
    nomination = serializers.CharField(required=False, allow_blank=True)
    group_name = serializers.CharField(required=False)
    group_size = serializers.CharField(required=False)
    requested_amount = serializers.CharField(required=False, allow_blank=True)
    ledger = serializers.CharField(required=False, help_text=_("Строки софинансирования JSON-списком в строке."))
    revision = serializers.CharField(required=False)


class RevisionSerializer(serializers.Serializer):
    revision = serializers.IntegerField(required=False)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class SubmittedSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("id заявки."))
    number = serializers.CharField()
    version = serializers.IntegerField(help_text=_("Номер поданной версии."))
    status = serializers.ChoiceField(choices=Application.Status.choices)
    status_display = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    content_hash = serializers.CharField()
    version_url = serializers.CharField()


class VersionSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    number = serializers.IntegerField()
    application_number = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    content_hash = serializers.CharField(
        help_text=_("SHA-256 снимка, ответов и файлов: любое изменение было бы видно.")
    )
    form_version = serializers.IntegerField()
    snapshot = serializers.JSONField(help_text=_("Заявка на момент подачи: сумма, софинансирование, доли."))
    answers = serializers.DictField(child=AnswerSerializer())
    files = FileSerializer(many=True)
    review = ReviewSerializer(allow_null=True)


class ApplicantSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)


class ReviewListItemSerializer(ApplicationListItemSerializer):
    versions_count = serializers.IntegerField()
    requested_amount = money(allow_null=True)


class ReviewDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    competition = BriefSerializer()
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=Application.Status.choices)
    status_display = serializers.CharField()
    applicant = ApplicantSerializer()
    applicant_type = serializers.ChoiceField(choices=ApplicantType.choices)
    applicant_name = serializers.CharField(allow_blank=True)
    correction_deadline = serializers.DateTimeField(allow_null=True)
    reasons = serializers.CharField(allow_blank=True)
    latest_version = VersionSerializer(help_text=_("Последняя поданная версия: её и проверяют."))
    checklist = ChecklistRowSerializer(
        many=True, help_text=_("Документы для проверки; ok и note — из прошлой проверки этой версии, если была.")
    )
    can_decide = serializers.BooleanField(help_text=_("Ждёт ли заявка решения о допуске."))
    versions = VersionBriefSerializer(many=True)
    reviews = ReviewSerializer(many=True, help_text=_("Все решения по заявке, последнее первым."))
    history = HistoryEntrySerializer(many=True)


class ChecklistMarkSerializer(serializers.Serializer):
    document_id = serializers.IntegerField()
    ok = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=AdmissibilityReview.Decision.choices)
    checklist = ChecklistMarkSerializer(many=True, required=False)
    reasons = serializers.CharField(required=False, allow_blank=True, help_text=_("Обязательны, если не допускаете."))
    correction_deadline = serializers.CharField(
        required=False,
        allow_null=True,
        help_text=_(
            "Срок доработки (при возврате): ГГГГ-ММ-ДДTЧЧ:ММ по Москве или ГГГГ-ММ-ДД — до 23:59 этого дня; "
            "не задан — по правилам конкурса."
        ),
    )


class DecisionResultSerializer(serializers.Serializer):
    application = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Application.Status.choices)
    status_display = serializers.CharField()
    review = ReviewSerializer()


NOT_SIGNED_IN = refusal(_("Не выполнен вход."))
NOT_YOURS = refusal(_("Не выполнен вход или это чужая заявка."))
NO_APPLICATION = refusal(_("Заявки с таким номером нет."))
NOT_A_SECRETARY = refusal(_("Не выполнен вход или нет роли секретаря конкурса."))
STALE = refusal(_("Заявку уже изменили в другой вкладке или другом клиенте: ничего не сохранено."))
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description=_(
        "Ключ создания (до 64 символов): повтор запроса с тем же ключом вернёт ту же заявку. Нужен он или start_key."
    ),
)
IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, description=_("Ревизия черновика, если её нет в теле (revision).")
)


# --- Views --------------------------------------------------------------------------------------------------------


def exception_handler(exc, context):
    """DRF's refusals (no login, no access, not found) in the shape of ours, with ``detail``."""
    response = errors_exception_handler(exc, context)
    if response is not None:
        response.data = {"detail": response.data["errors"][0]["message"], **response.data}
    return response


class CompetitionsAPI:
    """Token first, so that a request without credentials is answered 401 with a WWW-Authenticate header."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]

    def get_exception_handler(self):
        return exception_handler


class ApplicationsPagination(LimitOffsetPagination):
    max_limit = 200


class IsReviewer(permissions.BasePermission):
    message = _("Заявки на допуск проверяет секретарь конкурса: у вашей учётной записи нет этой роли.")

    def has_permission(self, request, view):
        return can_review(request.user)


class CompetitionListView(CompetitionsAPI, APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=TAGS,
        summary=_("Конкурсы"),
        description=_(
            "Опубликованные конкурсы, новые первыми: вид, фонд и предел на проект, этапы с датами (мск), текущий "
            "этап, срок приёма заявок, кто подаёт, номинации, правила софинансирования, обязательные документы. "
            "Доступно всем, без входа."
        ),
        responses={200: CompetitionSerializer(many=True)},
    )
    def get(self, request):
        pages = live_competitions().order_by("-year", "title")
        return Response(CompetitionSerializer([describe_competition(page, request) for page in pages], many=True).data)


class CompetitionDetailView(CompetitionsAPI, APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=TAGS,
        summary=_("Конкурс"),
        description=_(
            "Опубликованный конкурс со всеми правилами и формой заявки: шаги, поля с id и описанием ответа "
            "в духе JSON Schema."
        ),
        responses={200: CompetitionDetailSerializer, 404: refusal(_("Конкурса нет или он не опубликован."))},
    )
    def get(self, request, pk):
        page = live_competitions().filter(pk=pk).first()
        if page is None:
            raise NotFound(_("Конкурса с таким номером нет, или он не опубликован."))
        version = page.application_form_version()
        definition = version.form
        data = {
            **describe_competition(page, request),
            "legal_basis": page.legal_basis,
            "correction_days": page.correction_days,
            "application_form": {
                "version": version.number,
                "steps": describe_steps(definition),
            },
        }
        return Response(CompetitionDetailSerializer(data).data)


class ApplicationListView(CompetitionsAPI, generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = ApplicationsPagination
    serializer_class = ApplicationCreateSerializer  # the browsable API's form; responses are built explicitly

    def get_queryset(self):
        return (
            Application.objects.of_applicant(self.request.user)
            .select_related("competition", "tos")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        tags=TAGS,
        summary=_("Свои заявки"),
        description=_("Заявки вошедшего пользователя, новые первыми, по страницам (limit, offset)."),
        responses={200: ApplicationListItemSerializer(many=True), 401: NOT_SIGNED_IN},
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        items = ApplicationListItemSerializer([describe_brief(item) for item in page], many=True).data
        return self.get_paginated_response(items)

    @extend_schema(
        tags=TAGS,
        summary=_("Начать заявку"),
        description=_(
            "Черновик заявки на конкурс: от ТОС (его председатель или член совета с правом правки) или от "
            "инициативной группы. Повтор запроса с тем же ключом Idempotency-Key (или start_key) не создаёт вторую "
            "заявку: возвращается та же, с кодом 200."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=ApplicationCreateSerializer,
        responses={
            200: OpenApiResponse(ApplicationSerializer, description=_("Заявка с этим ключом уже была: она и есть.")),
            201: OpenApiResponse(ApplicationSerializer, description=_("Начат черновик.")),
            400: refusal(_("Не хватает данных или они не подходят: каждое поле названо, ничего не создано.")),
            401: NOT_SIGNED_IN,
            403: refusal(_("Приём заявок закрыт.")),
        },
    )
    def post(self, request):
        data = body_of(request)
        problems = [unknown_key(key, CREATE_KEYS) for key in sorted(set(data) - CREATE_KEYS)]
        start_key = request.headers.get("Idempotency-Key") or data.get("start_key")
        if not isinstance(start_key, str) or not start_key.strip():
            message = _(
                "Передайте ключ идемпотентности: заголовок Idempotency-Key (или поле start_key) — любую строку до 64 "
                "символов, одну на одну заявку, например UUID. Повтор с тем же ключом вернёт ту же заявку."
            )
            problems.append(problem("start_key", message))
        competition = live_competitions().filter(pk=integer(data.get("competition"))).first()
        if competition is None:
            message = _("Конкурса с id «%(id)s» нет среди опубликованных: возьмите id из GET /api/v1/competitions/.")
            problems.append(problem("competition", message % {"id": data.get("competition")}))
        tos = None
        if data.get("tos") is not None:
            tos = TOSProfilePage.objects.filter(pk=integer(data["tos"])).first()
            if tos is None:
                message = _("ТОС с id «%(id)s» нет: возьмите id из GET /api/v1/tos/.")
                problems.append(problem("tos", message % {"id": data["tos"]}))
        nomination = None
        if data.get("nomination") is not None and competition is not None:
            nomination, nomination_problem = find_nomination(competition, data["nomination"])
            problems += nomination_problem
        group_size = None
        if data.get("group_size") is not None:
            group_size = integer(data["group_size"])
            if group_size is None or group_size < 0:
                problems.append(problem("group_size", _("Укажите число человек в группе целым числом, например 12.")))
        texts = {}
        for name in ("applicant_type", "title", "group_name"):
            value = data.get(name, "")
            if not isinstance(value, str):
                problems.append(problem(name, _("Передайте строку.")))
            texts[name] = value if isinstance(value, str) else ""
        if problems:
            return problems_response(problems)
        try:
            application, created = applications.start(
                competition,
                request.user,
                start_key=start_key,
                applicant_type=texts["applicant_type"],
                title=texts["title"],
                tos=tos,
                group_name=texts["group_name"],
                group_size=group_size,
                nomination=nomination,
            )
        except applications.Refused as refused:
            return refused_response(refused)
        return Response(
            describe_application(application), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class ApplicationDetailView(CompetitionsAPI, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary=_("Своя заявка"),
        description=_(
            "Заявка целиком: статус, номер, ревизия, сведения, софинансирование с долями и проверкой правил, ответы "
            "на форму по id полей, файлы, что мешает подать, версии, решение секретаря и история статусов."
        ),
        responses={200: ApplicationSerializer, 401: NOT_SIGNED_IN, 403: NOT_YOURS, 404: NO_APPLICATION},
    )
    def get(self, request, pk):
        return Response(describe_application(own_application(request, pk)))

    @extend_schema(
        tags=TAGS,
        summary=_("Изменить заявку"),
        description=_(
            "Меняет переданные сведения заявки (название, номинацию, группу, сумму, софинансирование — весь список "
            "строк) и ответы на форму (answers по id полей; файлы — в multipart-запросе под id поля, остальное — "
            "строками, answers и ledger — JSON в строке). Что не передано, остаётся как было. Если передана ревизия "
            "(revision или заголовок If-Match), а заявку уже изменили, — 409. Если хоть что-то не подходит, не "
            "сохраняется ничего."
        ),
        parameters=[IF_MATCH],
        request={
            "application/json": ApplicationPatchSerializer,
            "multipart/form-data": ApplicationPatchMultipartSerializer,
        },
        responses={
            200: ApplicationSerializer,
            400: refusal(_("Поля не подходят: каждое названо, ничего не сохранено.")),
            401: NOT_SIGNED_IN,
            403: refusal(_("Это чужая заявка, или срок приёма (доработки) истёк.")),
            404: NO_APPLICATION,
            409: refusal(_("Заявку изменили в другом месте, или она уже подана.")),
        },
    )
    def patch(self, request, pk):
        application = own_application(request, pk)
        data = body_of(request)
        files = set(request.FILES)
        problems = [unknown_key(key, PATCH_KEYS) for key in sorted(set(data) - PATCH_KEYS - files)]
        revision, revision_problems = revision_from(request, data)
        problems += revision_problems
        answers = {}
        if "answers" in data or files:
            answers = answers_from(request)
            if isinstance(answers, Response):
                answers.data["detail"] = answers.data["errors"][0]["message"]
                return answers
        sent = [name for name in DETAIL_FIELDS if name in data]
        if not sent and not answers and not problems:
            message = _("Передайте хотя бы одно изменение: %(fields)s или answers — ответы на форму по id полей.") % {
                "fields": ", ".join(DETAIL_FIELDS)
            }
            problems.append(problem(None, message))
        parsed, detail_problems = parse_details(application, data, sent)
        problems += detail_problems
        if problems:
            return problems_response(problems, application)
        try:
            with transaction.atomic():
                if sent:
                    current = Application.objects.select_for_update().get(pk=application.pk)
                    values = {
                        "title": current.title,
                        "requested_amount": current.requested_amount,
                        "ledger": current.ledger,
                        "nomination": current.nomination,
                        **parsed,
                    }
                    if {"group_name", "group_size"} & set(sent):  # only a group's (parse_details refuses a TOS's)
                        values.setdefault("group_name", current.group_name)
                        values.setdefault("group_size", current.group_size)
                    applications.update_details(application, request.user, revision=revision, **values)
                    revision = None  # checked under the row lock, which this transaction holds to its end
                if answers:
                    applications.save_answers(application, request.user, answers, revision=revision)
        except AnswersRefused as refused:
            return problems_response(refused.problems, application)
        except Refusal as refused:
            return refused_response(refused, application)
        application.refresh_from_db()
        return Response(describe_application(application))


class ApplicationSubmitView(CompetitionsAPI, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary=_("Подать заявку"),
        description=_(
            "Проверяет заявку целиком и подаёт её: версия замораживается (ответы, файлы, снимок и хеш), заявка "
            "получает номер. Повторный запрос ничего не создаёт и отвечает той же версией. После окончания приёма "
            "(по московскому времени, в момент запроса) — 403."
        ),
        parameters=[IF_MATCH],
        request=RevisionSerializer,
        responses={
            200: SubmittedSerializer,
            400: refusal(_("Заявка не готова: каждое препятствие названо.")),
            401: NOT_SIGNED_IN,
            403: refusal(_("Это чужая заявка, или приём заявок (срок доработки) закончился.")),
            404: NO_APPLICATION,
            409: refusal(_("Заявку изменили в другом месте, или её сейчас нельзя подать (отозвана, уже решена).")),
        },
    )
    def post(self, request, pk):
        application = own_application(request, pk)
        revision, problems = revision_from(request, body_of(request))
        if problems:
            return problems_response(problems)
        try:
            version, _created = applications.submit(application, request.user, revision=revision)
        except Refusal as refused:
            return refused_response(refused, application)
        application.refresh_from_db()
        data = {
            "id": application.pk,
            "number": application.number,
            "version": version.number,
            "status": application.status,
            "status_display": application.get_status_display(),
            "submitted_at": version.submitted_at,
            "content_hash": version.content_hash,
            "version_url": version_url(application, version.number),
        }
        return Response(SubmittedSerializer(data).data)


class ApplicationWithdrawView(CompetitionsAPI, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary=_("Отозвать заявку"),
        description=_(
            "Отзывает черновик, поданную, возвращённую на доработку или допущенную заявку; причина необязательна. "
            "Повторный запрос ничего не меняет. Поданные версии сохраняются."
        ),
        request=WithdrawSerializer,
        responses={
            200: ApplicationSerializer,
            400: refusal(_("Причина — не строка.")),
            401: NOT_SIGNED_IN,
            403: NOT_YOURS,
            404: NO_APPLICATION,
            409: refusal(_("Заявку в этом статусе отозвать нельзя.")),
        },
    )
    def post(self, request, pk):
        application = own_application(request, pk)
        reason = body_of(request).get("reason") or ""
        if not isinstance(reason, str):
            return problems_response([problem("reason", _("Передайте причину строкой."))])
        try:
            applications.withdraw(application, request.user, reason=reason)
        except Refusal as refused:
            return refused_response(refused, application)
        return Response(describe_application(application))


class ApplicationVersionView(CompetitionsAPI, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary=_("Поданная версия заявки"),
        description=_(
            "Версия такой, какой её подали: снимок сведений и софинансирования, ответы, файлы, хеш и решение "
            "секретаря по ней."
        ),
        responses={
            200: VersionSerializer,
            401: NOT_SIGNED_IN,
            403: NOT_YOURS,
            404: refusal(_("Нет такой заявки или такой её версии.")),
        },
    )
    def get(self, request, pk, number):
        application = own_application(request, pk)
        return Response(describe_version(application, find_version(application, number)))


class ReviewListView(CompetitionsAPI, generics.GenericAPIView):
    permission_classes = [IsReviewer]
    pagination_class = ApplicationsPagination
    serializer_class = ReviewListItemSerializer

    def get_queryset(self):
        return Application.objects.filter(number__isnull=False).select_related("competition", "tos")

    @extend_schema(
        tags=REVIEW_TAGS,
        summary=_("Поданные заявки"),
        description=_(
            "Для секретаря конкурса: заявки, которые хоть раз подавали (черновиков здесь нет), в порядке подачи, "
            "по страницам."
        ),
        parameters=[
            OpenApiParameter("competition", int, description=_("id конкурса.")),
            OpenApiParameter("status", str, enum=Application.Status.values, description=_("Статус заявки.")),
        ],
        responses={
            200: ReviewListItemSerializer(many=True),
            400: refusal(_("Неверный фильтр.")),
            401: NOT_SIGNED_IN,
            403: NOT_A_SECRETARY,
        },
    )
    def get(self, request):
        queryset = self.get_queryset()
        problems = []
        competition = request.query_params.get("competition")
        if competition:
            if integer(competition) is None:
                problems.append(problem("competition", _("Фильтр competition — id конкурса, целое число.")))
            else:
                queryset = queryset.filter(competition_id=integer(competition))
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in Application.Status.values:
                message = _("Фильтр status — один из статусов: %(statuses)s.") % {
                    "statuses": ", ".join(Application.Status.values)
                }
                problems.append(problem("status", message))
            queryset = queryset.filter(status=wanted)
        if problems:
            return problems_response(problems)
        queryset = queryset.annotate(versions_count=Count("versions")).order_by("submitted_at", "pk")
        items = [
            {**describe_brief(item), "versions_count": item.versions_count, "requested_amount": item.requested_amount}
            for item in self.paginate_queryset(queryset)
        ]
        return self.get_paginated_response(ReviewListItemSerializer(items, many=True).data)


class ReviewDetailView(CompetitionsAPI, APIView):
    permission_classes = [IsReviewer]

    @extend_schema(
        tags=REVIEW_TAGS,
        summary=_("Заявка на проверке допуска"),
        description=_(
            "Для секретаря конкурса: последняя поданная версия (снимок, ответы, файлы, хеш), список обязательных "
            "документов для проверки, прошлые решения и история статусов."
        ),
        responses={200: ReviewDetailSerializer, 401: NOT_SIGNED_IN, 403: NOT_A_SECRETARY, 404: NO_APPLICATION},
    )
    def get(self, request, pk):
        application = submitted_application(pk)
        latest = application.latest_version
        marks = {}
        previous = AdmissibilityReview.objects.filter(version=latest).first()
        if previous:
            marks = {row["document_id"]: row for row in previous.checklist}
        checklist = [
            {
                **row,
                "ok": bool(marks.get(row["document_id"], {}).get("ok")),
                "note": marks.get(row["document_id"], {}).get("note", ""),
            }
            for row in checklist_for(application)
        ]
        reviews = AdmissibilityReview.objects.filter(version__application=application).select_related("version")
        data = {
            "id": application.pk,
            "competition": {"id": application.competition_id, "title": application.competition.title},
            "number": application.number,
            "status": application.status,
            "status_display": application.get_status_display(),
            "applicant": {"name": application.applicant.get_full_name(), "email": application.applicant.email},
            "applicant_type": application.applicant_type,
            "applicant_name": application.applicant_name,
            "correction_deadline": application.correction_deadline,
            "reasons": application.decision_reason,
            "latest_version": describe_version(application, latest),
            "checklist": checklist,
            "can_decide": application.status == Application.Status.SUBMITTED,
            "versions": versions_of(application),
            "reviews": [describe_review(review) for review in reviews.order_by("-decided_at", "-pk")],
            "history": status_history(application),
        }
        return Response(ReviewDetailSerializer(data).data)


class ReviewDecisionView(CompetitionsAPI, APIView):
    permission_classes = [IsReviewer]

    @extend_schema(
        tags=REVIEW_TAGS,
        summary=_("Решение о допуске"),
        description=_(
            "Допустить (все документы отмечены), не допускать (с причинами) или вернуть на доработку (с причинами и "
            "сроком) последнюю поданную версию. Заявитель получает письмо; при возврате у него появляется новый "
            "черновик, поданная версия остаётся как была."
        ),
        request=DecisionSerializer,
        responses={
            200: DecisionResultSerializer,
            400: refusal(_("Решение не подходит: каждое поле названо, ничего не сохранено.")),
            401: NOT_SIGNED_IN,
            403: NOT_A_SECRETARY,
            404: NO_APPLICATION,
            409: refusal(_("Заявка не ждёт решения: она не подана или решение уже принято.")),
        },
    )
    def post(self, request, pk):
        application = submitted_application(pk)
        data = body_of(request)
        problems = []
        decision = data.get("decision")
        if decision not in AdmissibilityReview.Decision.values:
            message = _("Выберите решение: admit — допустить, return — вернуть на доработку, reject — не допускать.")
            problems.append(problem("decision", message))
        checklist, checklist_problems = parse_checklist(application, data.get("checklist"))
        problems += checklist_problems
        reasons = data.get("reasons") or ""
        if not isinstance(reasons, str):
            problems.append(problem("reasons", _("Передайте причины строкой.")))
        deadline, deadline_problems = parse_moment(data.get("correction_deadline"))
        problems += deadline_problems
        if problems:
            return problems_response(problems)
        try:
            review = decide(
                application,
                request.user,
                decision=decision,
                checklist=checklist,
                reasons=reasons,
                correction_deadline=deadline,
            )
        except Refusal as refused:
            return refused_response(refused)
        application.refresh_from_db()
        data = {
            "application": application.pk,
            "status": application.status,
            "status_display": application.get_status_display(),
            "review": describe_review(review),
        }
        return Response(DecisionResultSerializer(data).data)


# --- Reading ------------------------------------------------------------------------------------------------------


def live_competitions():
    """Published, public competitions in the site's source language (translations share their applications)."""
    return (
        CompetitionPage.objects.live()
        .public()
        .filter(locale=Locale.get_default())
        .select_related("kind")
        .prefetch_related("stages", "nominations", "cofinancing_rules", "required_documents")
    )


def describe_stage(stage):
    return {
        "kind": stage.kind,
        "kind_display": stage.get_kind_display(),
        "title": stage.name,
        "starts_at": stage.starts_at,
        "ends_at": stage.ends_at,
    }


def describe_competition(page, request):
    now = timezone.now()
    current = page.current_stage(now)
    closed = page.intake_closed_message(now)
    return {
        "id": page.pk,
        "title": page.title,
        "url": page.get_full_url(request),
        "kind": {"id": page.kind_id, "name": page.kind.name, "number_prefix": page.kind.number_prefix},
        "year": page.year,
        "organiser": page.organiser,
        "fund": page.fund,
        "max_per_project": page.max_per_project,
        "accepts_tos": page.accepts_tos,
        "accepts_groups": page.accepts_groups,
        "min_group_size": page.min_group_size,
        "current_stage": describe_stage(current) if current else None,
        "stages": [describe_stage(stage) for stage in page.stages.all()],
        "deadline": page.deadline,
        "intake_open": closed is None,
        "intake_message": closed or "",
        "nominations": [
            {"id": item.pk, "name": item.name, "description": item.description, "fund": item.fund}
            for item in page.nominations.all()
        ],
        "cofinancing_rules": [
            {
                "source": rule.source,
                "source_display": rule.get_source_display(),
                "min_share": rule.min_share,
                "counted_kinds": [kind for kind in ContributionKind.values if kind in rule.counted_kinds],
            }
            for rule in page.cofinancing_rules.all()
        ],
        "required_documents": [
            {
                "id": document.pk,
                "title": document.title,
                "description": document.description,
                "applies_to": document.applies_to,
                "applies_to_display": document.get_applies_to_display(),
            }
            for document in page.required_documents.all()
        ],
    }


def application_url(application):
    return reverse("competitions_api:application-detail", args=[application.pk])


def version_url(application, number):
    return reverse("competitions_api:application-version", args=[application.pk, number])


def describe_brief(application):
    return {
        "id": application.pk,
        "url": application_url(application),
        "competition": {"id": application.competition_id, "title": application.competition.title},
        "number": application.number,
        "title": application.title,
        "applicant_type": application.applicant_type,
        "applicant_name": application.applicant_name,
        "status": application.status,
        "status_display": application.get_status_display(),
        "revision": application.revision,
        "created_at": application.created_at,
        "updated_at": application.updated_at,
        "submitted_at": application.submitted_at,
        "correction_deadline": application.correction_deadline,
    }


def answers_of(submission):
    return {
        item.id: {"label": item.label, "type": item.block_type, "value": api_value(item, stored), "display": text}
        for item, stored, text in submission.answers()
    }


def files_of(submission):
    definition = submission.version.form
    return [
        {
            "id": stored.pk,
            "field": stored.field_id,
            "label": definition.by_id[stored.field_id].label if stored.field_id in definition.by_id else "",
            "name": stored.original_name,
            "size": stored.size,
            "sha256": stored.sha256,
            "url": reverse("forms:download_file", args=[stored.pk]),
        }
        for stored in submission.files.order_by("pk")
    ]


def versions_of(application):
    return [
        {
            "number": version.number,
            "submitted_at": version.submitted_at,
            "content_hash": version.content_hash,
            "url": version_url(application, version.number),
        }
        for version in application.versions.order_by("number")
    ]


def describe_review(review):
    return {
        "version": review.version.number,
        "decision": review.decision,
        "decision_display": review.get_decision_display(),
        "reasons": review.reasons,
        "correction_deadline": review.correction_deadline,
        "decided_at": review.decided_at,
        "checklist": [
            {
                "document_id": row.get("document_id"),
                "document": row.get("document", ""),
                "requirements": row.get("requirements", ""),
                "ok": bool(row.get("ok")),
                "note": row.get("note", ""),
            }
            for row in review.checklist
        ],
    }


def status_history(application):
    """The moments the status changed, oldest first, with who changed it."""
    records = application.history.order_by("history_date", "history_id").select_related("history_user")
    entries, previous = [], None
    for record in records:
        if record.status == previous:
            continue
        previous = record.status
        user = record.history_user
        entries.append(
            {
                "status": record.status,
                "status_display": Application.Status(record.status).label,
                "at": record.history_date,
                "user": (user.get_full_name() or user.email) if user else "",
            }
        )
    return entries


def describe_application(application):
    application = (
        Application.objects.select_related("competition", "tos", "nomination", "submission__version")
        .filter(pk=application.pk)
        .get()
    )
    competition = application.competition
    lines = cofinancing.parse_ledger(application.ledger)
    totals = cofinancing.summary(application.requested_amount, lines)
    rule_problems = []
    if application.requested_amount is not None:
        rule_problems = cofinancing.rule_problems(
            competition.cofinancing_rules.all(), application.requested_amount, lines
        )
    submission = application.submission
    edit_message = applications.writable_message(application)
    readiness = []
    if application.is_editable:
        readiness = [
            labelled(field, message, application) for field, message in applications.readiness_problems(application)
        ]
    latest = application.latest_version
    review = AdmissibilityReview.objects.filter(version=latest).first() if latest else None
    data = {
        **describe_brief(application),
        "tos": {"id": application.tos_id, "title": application.tos.title} if application.tos_id else None,
        "group_name": application.group_name,
        "group_size": application.group_size,
        "nomination": (
            {"id": application.nomination_id, "name": application.nomination.name}
            if application.nomination_id
            else None
        ),
        "requested_amount": application.requested_amount,
        "ledger": [
            {
                "source": line.source,
                "source_display": line.source_label,
                "kind": line.kind,
                "kind_display": line.kind_label,
                "amount": line.amount,
                "note": line.note,
            }
            for line in lines
        ],
        "summary": totals,
        "rule_problems": rule_problems,
        "form_version": submission.version.number,
        "answers": answers_of(submission),
        "files": files_of(submission),
        "can_edit": edit_message is None,
        "edit_message": edit_message or "",
        "readiness_problems": [item.as_dict() for item in readiness],
        "reasons": application.decision_reason,
        "review": describe_review(review) if review else None,
        "versions": versions_of(application),
        "history": status_history(application),
    }
    return ApplicationSerializer(data).data


def describe_version(application, version):
    submission = version.submission
    review = AdmissibilityReview.objects.filter(version=version).first()
    data = {
        "application": application.pk,
        "number": version.number,
        "application_number": application.number,
        "submitted_at": version.submitted_at,
        "content_hash": version.content_hash,
        "form_version": submission.version.number,
        "snapshot": version.snapshot,
        "answers": answers_of(submission),
        "files": files_of(submission),
        "review": describe_review(review) if review else None,
    }
    return VersionSerializer(data).data


def own_application(request, pk):
    application = Application.objects.select_related("competition").filter(pk=pk).first()
    if application is None:
        raise NotFound(_("Заявки с таким номером нет."))
    if application.applicant_id != request.user.pk:
        raise PermissionDenied(_("Это чужая заявка: открыть и изменить её может только заявитель."))
    return application


def submitted_application(pk):
    """An application that has been submitted at least once (drafts are the applicant's own business)."""
    application = (
        Application.objects.select_related("competition", "applicant", "tos")
        .filter(pk=pk, number__isnull=False)
        .first()
    )
    if application is None:
        raise NotFound(_("Поданной заявки с таким номером нет."))
    return application


def find_version(application, number):
    version = application.versions.select_related("submission__version").filter(number=number).first()
    if version is None:
        raise NotFound(
            _("У этой заявки нет версии %(number)s: номера версий — в списке versions заявки.") % {"number": number}
        )
    return version


# --- Parsing requests ---------------------------------------------------------------------------------------------


def body_of(request):
    return request.data if isinstance(request.data, dict) else {}


def label_of(field, application=None):
    if field in EXTRA_LABELS:
        return str(EXTRA_LABELS[field])
    model_fields = {model_field.name: model_field for model_field in Application._meta.concrete_fields}
    if field in model_fields:
        return str(capfirst(model_fields[field].verbose_name))
    if field and application is not None:
        item = application.submission.version.form.by_id.get(field)
        if item:
            return item.label
    return ""


def labelled(field, message, application=None):
    return Problem(field, label_of(field, application), message)


def problem(field, message):
    return labelled(field, message)


def unknown_key(key, allowed):
    message = _("Поля «%(field)s» здесь нет: уберите его из запроса. Можно передать: %(allowed)s.") % {
        "field": key,
        "allowed": ", ".join(sorted(allowed)),
    }
    return problem(key, message)


def problems_response(problems, application=None, status_code=status.HTTP_400_BAD_REQUEST):
    errors = [(item if isinstance(item, Problem) else labelled(*item, application)).as_dict() for item in problems]
    for error in errors:
        if error["field"] and not error["label"]:
            error["label"] = label_of(error["field"], application)
    return Response({"detail": errors[0]["message"], "errors": errors}, status=status_code)


def refused_response(refused, application=None):
    """An applications.Refused (or the form engine's Refusal) as our error body, every problem labelled."""
    problems = [(field, message or refused.message) for field, message in getattr(refused, "problems", [])]
    problems = problems or [(None, refused.message)]
    response = problems_response(problems, application, refused.status)
    response.data["detail"] = str(refused.message)
    return response


def integer(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def revision_from(request, data, *, invalid=None):
    """The revision the client saw: ``revision`` in the body or the If-Match header; None when neither is given.

    ``invalid`` says what to write instead when the value is not a revision (the default names the application's)."""
    raw = data.get("revision")
    if raw in (None, ""):
        raw = (request.headers.get("If-Match") or "").removeprefix("W/").strip('" ') or None
    if raw is None:
        return None, []
    revision = integer(raw)
    if revision is None or revision < 0:
        message = invalid or _("Ревизия — целое число из поля revision заявки, например 3.")
        return None, [problem("revision", message)]
    return revision, []


def find_nomination(competition, raw):
    nomination = Nomination.objects.filter(pk=integer(raw), page_id=competition.pk).first() if integer(raw) else None
    if nomination is None:
        message = _("В этом конкурсе нет номинации с id «%(id)s»: возьмите id из описания конкурса.") % {"id": raw}
        return None, [problem("nomination", message)]
    return nomination, []


def amount_of(raw):
    """Rubles from a JSON number or a string («970000», «970 000,50»); None when it is not an amount."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return None
    text = str(raw).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount != amount.quantize(TWO_PLACES):
        return None
    return amount


def parse_details(application, data, sent):
    """The details a PATCH sends, as update_details takes them, and the problems with them."""
    parsed, problems = {}, []
    if application.applicant_type == ApplicantType.TOS:
        for name in {"group_name", "group_size"} & set(sent):
            problems.append(problem(name, _("Заявка подана от имени ТОС: у неё нет инициативной группы.")))
        sent = [name for name in sent if name not in {"group_name", "group_size"}]
    for name in ("title", "group_name"):
        if name in sent:
            if isinstance(data[name], str):
                parsed[name] = data[name]
            else:
                problems.append(problem(name, _("Передайте строку.")))
    if "nomination" in sent:
        if data["nomination"] in (None, ""):
            parsed["nomination"] = None
        else:
            parsed["nomination"], nomination_problems = find_nomination(application.competition, data["nomination"])
            problems += nomination_problems
    if "group_size" in sent:
        size = integer(data["group_size"])
        if size is None or size < 0:
            problems.append(problem("group_size", _("Укажите число человек в группе целым числом, например 12.")))
        parsed["group_size"] = size
    if "requested_amount" in sent:
        raw = data["requested_amount"]
        if raw in (None, ""):
            parsed["requested_amount"] = None
        else:
            parsed["requested_amount"] = amount_of(raw)
            if parsed["requested_amount"] is None:
                message = _(
                    "Укажите сумму в рублях числом, не больше двух знаков после запятой: 970000 или «970000,50»."
                )
                problems.append(problem("requested_amount", message))
    if "ledger" in sent:
        ledger = data["ledger"]
        if isinstance(ledger, str):
            try:
                ledger = json.loads(ledger)
            except ValueError:
                ledger = None
        if not isinstance(ledger, list):
            message = _(
                'Передайте софинансирование списком строк: [{"source": "residents", "kind": "money", '
                '"amount": "30000", "note": ""}].'
            )
            problems.append(problem("ledger", message))
        parsed["ledger"] = ledger
    return parsed, problems


def parse_checklist(application, raw):
    """The secretary's marks as review.decide takes them: {document_id: {"ok", "note"}}."""
    if raw is None:
        return {}, []
    example = '[{"document_id": 1, "ok": true, "note": ""}]'
    if not isinstance(raw, list) or not all(isinstance(row, dict) for row in raw):
        return {}, [
            problem("checklist", _("Передайте проверку документов списком: %(example)s.") % {"example": example})
        ]
    known = {row["document_id"] for row in checklist_for(application)}
    marks, problems = {}, []
    for row in raw:
        document_id = integer(row.get("document_id"))
        if document_id not in known:
            message = _(
                "Документа с id «%(id)s» нет в списке проверки этой заявки: возьмите document_id из checklist."
            ) % {"id": row.get("document_id")}
            problems.append(problem("checklist", message))
            continue
        if not isinstance(row.get("ok"), bool) or not isinstance(row.get("note", ""), str):
            message = _("Документ %(id)s: ok — true или false, note — строка.") % {"id": document_id}
            problems.append(problem("checklist", message))
            continue
        marks[document_id] = {"ok": row["ok"], "note": row.get("note", "")}
    return marks, problems


def parse_moment(raw):
    """A moment from ISO text; without a zone it is Moscow time, a bare date means 23:59 of that day."""
    if raw in (None, ""):
        return None, []
    value = None
    if isinstance(raw, str):
        try:
            value = parse_datetime(raw)
            day = None if value else parse_date(raw)
        except ValueError:
            day = None
        if day:
            value = datetime.combine(day, time(23, 59))
    if value is None:
        message = _("Срок доработки — дата и время по Москве: «2026-04-15T18:00» или дата «2026-04-15».")
        return None, [problem("correction_deadline", message)]
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value, []
