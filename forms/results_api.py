"""/api/v1/forms/<id>/results/: the same survey results as the results page, for integrations and widgets."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from forms.models import SurveyPage
from forms.permissions import can_view_submissions
from forms.results import results_unavailable_message, results_visible_to, survey_results


class ChartRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.FloatField(help_text=_("Доля от ответивших на вопрос, %, до десятых."))


class OptionSerializer(ChartRowSerializer):
    offered = serializers.BooleanField(help_text=_("false — вариант встречается в ответах, но из опроса убран."))


class BinSerializer(ChartRowSerializer):
    start = serializers.CharField(help_text=_("Нижняя граница, включительно."))
    end = serializers.CharField(help_text=_("Верхняя граница, включительно."))


class MonthSerializer(ChartRowSerializer):
    month = serializers.CharField(help_text=_("ГГГГ-ММ"))


class NumberStatsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    mean = serializers.CharField(help_text=_("Десятичное число строкой, до сотых."))
    median = serializers.CharField()
    min = serializers.CharField()
    max = serializers.CharField()


class TextAnswerSerializer(serializers.Serializer):
    text = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class QuestionResultSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=_("Id блока вопроса: по нему хранятся ответы."))
    label = serializers.CharField()
    code = serializers.CharField(allow_blank=True)
    type = serializers.CharField(help_text=_("Тип блока: single_choice, multiple_choice, yes_no, number…"))
    answered = serializers.IntegerField(help_text=_("Сколько человек ответили на вопрос."))
    chart = serializers.ChoiceField(choices=["options", "histogram", "months", "count"])
    multiple = serializers.BooleanField(
        required=False, help_text=_("Несколько вариантов: доли считаются от ответивших и в сумме могут быть > 100 %.")
    )
    options = OptionSerializer(many=True, required=False)
    unit = serializers.CharField(required=False)
    stats = NumberStatsSerializer(required=False, allow_null=True)
    histogram = BinSerializer(many=True, required=False)
    months = MonthSerializer(many=True, required=False)
    answers = TextAnswerSerializer(
        many=True, required=False, help_text=_("Последние текстовые ответы — только для сотрудников платформы.")
    )


class SurveySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    closes_at = serializers.DateTimeField(allow_null=True)
    results_visibility = serializers.ChoiceField(choices=SurveyPage.ResultsVisibility.choices)


class SurveyResultsSerializer(serializers.Serializer):
    survey = SurveySerializer()
    respondents = serializers.IntegerField(help_text=_("Отправленных ответов (черновики не считаются)."))
    last_submitted_at = serializers.DateTimeField(allow_null=True)
    questions = QuestionResultSerializer(many=True)


class SurveyResultsView(APIView):
    """Results of a survey: counts and shares per option, number statistics with a histogram, dates by month.

    Seen by everyone, by everyone once the survey has closed, or only by staff — as the survey says.
    """

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary=_("Итоги опроса"),
        description=_(
            "Итоги опроса по каждому вопросу: число ответов и доля по вариантам (в вопросах с несколькими "
            "вариантами — от ответивших на вопрос), для чисел — среднее, медиана, наименьшее, наибольшее и "
            "гистограмма, для дат — ответы по месяцам. Считаются только отправленные ответы. Кому видны итоги, "
            "задаёт опрос: всем, всем после закрытия или только сотрудникам платформы."
        ),
        responses={
            200: SurveyResultsSerializer,
            403: OpenApiResponse(
                description=_("Итоги пока не открыты (опрос не закрыт или итоги только для сотрудников).")
            ),
            404: OpenApiResponse(description=_("Опроса с таким номером нет или он не опубликован.")),
        },
    )
    def get(self, request, page_id):
        staff = can_view_submissions(request.user)
        surveys = SurveyPage.objects.all() if staff else SurveyPage.objects.live()
        page = surveys.filter(pk=page_id).first()
        if page is None:
            raise NotFound(_("Опроса с номером %(id)d нет или он не опубликован.") % {"id": page_id})
        if not results_visible_to(page, request.user):
            raise PermissionDenied(results_unavailable_message(page))
        return Response(survey_results(page, include_text=staff))
