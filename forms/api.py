"""/api/v1/ for forms: a live form's definition for everyone, and the signed-in person's own submissions.

Every refusal answers ``{"errors": [{"field", "label", "message"}]}`` with a Russian message; writes go through the
form engine, so the API and the page keep the same rules.
"""

import json

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler
from wagtail.models import Page

from forms import engine
from forms.api_answers import AnswersRefused, Problem, answer_schema, api_value, save_answers
from forms.blocks import ConditionOperator
from forms.conditions import expected_values
from forms.definition import FORM_BLOCK
from forms.models import AbstractFormPage, Submission

FIELD_TYPES = [
    (name, block.label) for name, block in FORM_BLOCK.child_blocks.items() if getattr(block, "is_field", False)
]
TAGS = ["forms"]


# --- Serializers: the documented shapes ---------------------------------------------------------------------------


class ConditionSerializer(serializers.Serializer):
    field_id = serializers.CharField(allow_null=True, help_text=_("id поля, от ответа на которое зависит это поле."))
    field_code = serializers.CharField()
    operator = serializers.ChoiceField(choices=ConditionOperator.CHOICES)
    values = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        help_text=_("С чем сравнивается ответ: строчными буквами, «ё» как «е»; для «Да / нет» — «да» или «нет»."),
    )


class FieldSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=_("id блока: под ним передаётся и хранится ответ."))
    type = serializers.ChoiceField(choices=FIELD_TYPES)
    label = serializers.CharField()
    help_text = serializers.CharField(allow_blank=True)
    required = serializers.BooleanField()
    code = serializers.CharField(allow_blank=True)
    condition = ConditionSerializer(allow_null=True, help_text=_("Поле показывается, только если условие выполнено."))
    schema = serializers.JSONField(help_text=_("Описание ответа в духе JSON Schema."))


class StepSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    fields = FieldSerializer(many=True)


class FormDefinitionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    version = serializers.IntegerField(
        help_text=_("Номер версии формы; ответы хранятся с версией, по которой заполнены.")
    )
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    is_open = serializers.BooleanField()
    allow_anonymous = serializers.BooleanField()
    one_per_user = serializers.BooleanField()
    steps = StepSerializer(many=True)


class AnswerSerializer(serializers.Serializer):
    label = serializers.CharField()
    type = serializers.ChoiceField(choices=FIELD_TYPES)
    value = serializers.JSONField(allow_null=True, help_text=_("Ответ в том же виде, в каком он передаётся."))
    display = serializers.CharField(allow_blank=True, help_text=_("Ответ текстом, как его видит человек."))


class SubmissionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    form = serializers.IntegerField(help_text=_("id страницы формы."))
    form_title = serializers.CharField()
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Submission.Status.choices)
    status_display = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    answers = serializers.DictField(child=AnswerSerializer(), help_text=_("Ответы по id полей версии формы."))


ANSWERS_HELP = _(
    "Ответы по id полей: строки; числа — числом или строкой («1 500,50»); список — для нескольких вариантов; "
    'true/false — для «Да / нет» и согласия; {"start", "end"} в ГГГГ-ММ-ДД — для периода; {"id"} — для записи '
    'справочника; {"rows": [...]} — для сметы; null — очистить ответ. Поля, которых нет в запросе, не меняются.'
)


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True), required=False, help_text=ANSWERS_HELP
    )


class AnswersMultipartSerializer(serializers.Serializer):
    answers = serializers.CharField(required=False, help_text=_("Ответы JSON-объектом в строке; файлы — под id поля."))


class ProblemSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text=_("id поля; null — если дело не в одном поле."))
    label = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ErrorsSerializer(serializers.Serializer):
    errors = ProblemSerializer(many=True)


def refusal(description):
    return OpenApiResponse(ErrorsSerializer, description=description)


ANSWERS_REQUEST = {"application/json": AnswersSerializer, "multipart/form-data": AnswersMultipartSerializer}
NOT_YOURS = refusal(_("Не выполнен вход или это чужой ответ."))
NOT_FOUND = refusal(_("Нет такого ответа."))


# --- Views --------------------------------------------------------------------------------------------------------


def errors_exception_handler(exc, context):
    """DRF's refusals (no login, no access, not found) in the same ``{"errors": [...]}`` shape as ours."""
    response = exception_handler(exc, context)
    if response is not None:
        detail = response.data.get("detail", response.data) if isinstance(response.data, dict) else response.data
        response.data = {"errors": [Problem(None, "", str(detail)).as_dict()]}
    return response


class FormsAPIView(APIView):
    def get_exception_handler(self):
        return errors_exception_handler


class FormDefinitionView(FormsAPIView):
    """A published form: its steps and fields, each with a JSON-Schema-like description of the answer."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=TAGS,
        summary=_("Описание формы"),
        description=_(
            "Опубликованная форма: шаги, поля и для каждого поля — описание ответа в духе JSON Schema. "
            "Доступно всем, без входа."
        ),
        responses={200: FormDefinitionSerializer, 404: refusal(_("Формы нет или она не опубликована."))},
    )
    def get(self, request, page_id):
        page = live_form(request, page_id)
        version = page.current_version()
        definition = version.form
        data = {
            "id": page.pk,
            "title": page.title,
            "url": page.get_full_url(request),
            "version": version.number,
            "opens_at": page.opens_at,
            "closes_at": page.closes_at,
            "is_open": page.closed_message() is None,
            "allow_anonymous": page.allow_anonymous,
            "one_per_user": page.one_per_user,
            "steps": describe_steps(definition),
        }
        return Response(FormDefinitionSerializer(data).data)


class SubmissionCreateView(FormsAPIView):
    """Start the signed-in person's draft of a form, or return the draft they already have."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary=_("Начать черновик"),
        description=_(
            "Черновик ответа вошедшего пользователя на форму; если черновик уже есть, возвращается он. "
            "Ответы в теле необязательны и сохраняются как при сохранении черновика: проверяются значения, "
            "но не обязательность."
        ),
        request=ANSWERS_REQUEST,
        responses={
            200: OpenApiResponse(SubmissionSerializer, description=_("Черновик уже был: он и возвращается.")),
            201: OpenApiResponse(SubmissionSerializer, description=_("Начат новый черновик.")),
            400: refusal(_("Ответы не подходят: ничего не сохранено.")),
            403: refusal(_("Не выполнен вход или приём ответов закрыт.")),
            404: refusal(_("Формы нет или она не опубликована.")),
            409: refusal(_("Ответ на эту форму уже отправлен, а второй не принимается.")),
        },
    )
    def post(self, request, page_id):
        page = live_form(request, page_id)
        answers = answers_from(request)
        if isinstance(answers, Response):
            return answers
        closed = page.closed_message()
        if closed:
            return errors_response([Problem(None, "", closed)], status.HTTP_403_FORBIDDEN)
        mine = Submission.objects.filter(page_id=page.pk, user=request.user)
        if page.one_per_user and mine.submitted().exists():
            message = _("Вы уже отправили ответ на эту форму: второй ответ не принимается.")
            return errors_response([Problem(None, "", message)], status.HTTP_409_CONFLICT)
        existed = mine.drafts().exists()
        try:
            with transaction.atomic():
                draft = engine.start_draft(page, user=request.user, respondent_key="")
                if answers:
                    save_answers(page, draft, answers, user=request.user)
        except AnswersRefused as refused:
            return errors_response(refused.problems, status.HTTP_400_BAD_REQUEST)
        except engine.Refusal as refused:
            return errors_response([Problem(None, "", refused.message)], refused.status)
        draft.refresh_from_db()
        return Response(describe_submission(draft), status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class SubmissionView(FormsAPIView):
    """The signed-in person's own submission; a draft takes changed answers."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary=_("Свой ответ"),
        description=_("Ответ вошедшего пользователя: статус, версия формы, ответы по id полей с подписями и текстом."),
        responses={200: SubmissionSerializer, 403: NOT_YOURS, 404: NOT_FOUND},
    )
    def get(self, request, pk):
        return Response(describe_submission(own_submission(request, pk)))

    @extend_schema(
        tags=TAGS,
        summary=_("Изменить черновик"),
        description=_(
            "Меняет переданные ответы черновика, остальные остаются. Файлы — в multipart-запросе под id поля. "
            "Если хоть один ответ не подходит, не сохраняется ничего."
        ),
        request=ANSWERS_REQUEST,
        responses={
            200: SubmissionSerializer,
            400: refusal(_("Ответы не подходят: ничего не сохранено.")),
            403: refusal(_("Не выполнен вход, это чужой ответ или приём ответов закрыт.")),
            404: NOT_FOUND,
            409: refusal(_("Ответ уже отправлен: изменить его нельзя.")),
        },
    )
    def patch(self, request, pk):
        submission = own_submission(request, pk)
        answers = answers_from(request)
        if isinstance(answers, Response):
            return answers
        try:
            page = writable_form(submission)
            save_answers(page, submission, answers, user=request.user)
        except AnswersRefused as refused:
            return errors_response(refused.problems, status.HTTP_400_BAD_REQUEST)
        except engine.Refusal as refused:
            return errors_response([Problem(None, "", refused.message)], refused.status)
        submission.refresh_from_db()
        return Response(describe_submission(submission))


class SubmitView(FormsAPIView):
    """Send the draft: the whole form is checked again, then the answer is frozen."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary=_("Отправить ответ"),
        description=_("Проверяет всю форму и отправляет ответ; после отправки ответ изменить нельзя."),
        request=None,
        responses={
            200: SubmissionSerializer,
            400: refusal(_("Не заполнены обязательные поля: каждое названо.")),
            403: refusal(_("Не выполнен вход, это чужой ответ или приём ответов закрыт.")),
            404: NOT_FOUND,
            409: refusal(_("Ответ уже отправлен, или на эту форму можно ответить только один раз.")),
        },
    )
    def post(self, request, pk):
        submission = own_submission(request, pk)
        try:
            page = writable_form(submission)
            missing = engine.submit(page, submission, user=request.user)
        except engine.Refusal as refused:
            return errors_response([Problem(None, "", refused.message)], refused.status)
        if missing:
            problems = [
                Problem(
                    item.id, item.label, _("Отметьте согласие.") if item.kind == "consent" else _("Заполните это поле.")
                )
                for item in missing
            ]
            return errors_response(problems, status.HTTP_400_BAD_REQUEST)
        return Response(describe_submission(submission))


# --- Helpers ------------------------------------------------------------------------------------------------------


def live_form(request, page_id):
    """A published form page this request may see; otherwise 404."""
    page = Page.objects.live().filter(pk=page_id).specific().first()
    if not isinstance(page, AbstractFormPage) or not all(
        restriction.accept_request(request) for restriction in page.get_view_restrictions()
    ):
        raise NotFound(_("Формы с таким номером нет, или она не опубликована."))
    return page


def own_submission(request, pk):
    submission = Submission.objects.standalone().select_related("page", "version").filter(pk=pk).first()
    if submission is None:
        raise NotFound(_("Ответа с таким номером нет."))
    if submission.user_id != request.user.pk:
        raise PermissionDenied(_("Это чужой ответ: открыть и изменить его может только автор."))
    return submission


def writable_form(submission):
    """The form of a draft that may still be written to, moved to the form's current version like on the page."""
    page = submission.page.specific
    if not submission.is_draft:
        raise engine.Refusal(_("Этот ответ уже отправлен, изменить его нельзя."), status=409)
    if not page.live:
        raise engine.Refusal(_("Форма снята с публикации: ответы на неё не принимаются."), status=403)
    engine.move_to_version(submission, page.current_version())
    return page


def answers_from(request):
    """The request's answers as a dict keyed by field id (uploads included), or a 400 response."""
    raw = request.data.get("answers") if isinstance(request.data, dict) else None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = []
    if raw is None:
        raw = {}
    if not isinstance(raw, dict) or not isinstance(request.data, dict):
        message = _('Передайте ответы объектом: {"answers": {"<id поля>": ответ}}.')
        return errors_response([Problem(None, "", message)], status.HTTP_400_BAD_REQUEST)
    return {**raw, **request.FILES.dict()}


def describe_steps(definition):
    return [
        {
            "number": step.number,
            "title": definition.step_title(step),
            "description": step.description,
            "fields": [describe_field(definition, item) for item in step.fields],
        }
        for step in definition.steps
    ]


def describe_field(definition, item):
    condition = item.condition
    if condition:
        target = definition.by_code.get(condition["field_code"])
        operator = condition.get("operator") or ConditionOperator.EQUALS
        condition = {
            "field_id": target.id if target else None,
            "field_code": condition["field_code"],
            "operator": operator,
            "values": [] if operator == ConditionOperator.ANSWERED else expected_values(condition),
        }
    return {
        "id": item.id,
        "type": item.block_type,
        "label": item.label,
        "help_text": item.value.get("help_text") or "",
        "required": item.required,
        "code": item.code,
        "condition": condition,
        "schema": answer_schema(item),
    }


def describe_submission(submission):
    data = {
        "id": submission.pk,
        "form": submission.page_id,
        "form_title": submission.page.title,
        "version": submission.version.number,
        "status": submission.status,
        "status_display": submission.get_status_display(),
        "created_at": submission.created_at,
        "updated_at": submission.updated_at,
        "submitted_at": submission.submitted_at,
        "answers": {
            item.id: {"label": item.label, "type": item.block_type, "value": api_value(item, stored), "display": text}
            for item, stored, text in submission.answers()
        },
    }
    return SubmissionSerializer(data).data


def errors_response(problems, status_code):
    return Response({"errors": [problem.as_dict() for problem in problems]}, status=status_code)
