"""/api/v1/search/: the same results and facets as the search page, for integrations and the browser."""

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from search import service
from search.backends.base import FACETS


class HitSerializer(serializers.Serializer):
    title = serializers.CharField(help_text=_("Заголовок; совпадения в <mark>."))
    snippet = serializers.CharField(help_text=_("Фрагмент текста; совпадения в <mark>."))
    url = serializers.CharField()
    type = serializers.CharField()
    type_label = serializers.CharField()
    date = serializers.DateField(allow_null=True)


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    options = FacetOptionSerializer(many=True)


class PromotedSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    description = serializers.CharField(allow_blank=True)


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField(allow_blank=True)
    total = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    hits = HitSerializer(many=True)
    facets = FacetSerializer(many=True)
    promoted = PromotedSerializer(many=True)
    suggestions = serializers.SerializerMethodField()

    def get_suggestions(self, response) -> list[dict]:
        return [{"title": title, "url": url} for title, url in response.suggestions]


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=True)
    page = serializers.IntegerField(required=False, default=1, min_value=1, max_value=1000)
    per_page = serializers.IntegerField(required=False, default=10, min_value=1, max_value=50)


FACET_PARAMETERS = [
    OpenApiParameter(name, str, many=True, description=str(service.FACET_LABELS[name])) for name in FACETS
]
LOCALE_PARAMETER = OpenApiParameter(
    "locale",
    str,
    enum=[code for code, _name in settings.LANGUAGES],
    description=_("Язык материалов; по умолчанию — язык сайта по умолчанию."),
)


class SearchView(APIView):
    """Full-text search over published public content in the language of the request (Accept-Language or /ru/)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[SearchQuerySerializer, LOCALE_PARAMETER, *FACET_PARAMETERS],
        responses=SearchResponseSerializer,
    )
    def get(self, request):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = {name: request.query_params.getlist(name) for name in FACETS}
        response = service.search(
            params.validated_data["q"],
            request.query_params.get("locale") or get_language(),
            filters,
            page=params.validated_data["page"],
            per_page=params.validated_data["per_page"],
        )
        if response.unavailable:
            return Response({"detail": _("Поиск временно недоступен. Повторите запрос позже.")}, status=503)
        return Response(SearchResponseSerializer(response).data)


class SuggestionSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()


class SuggestView(APIView):
    """Title suggestions as the reader types."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[OpenApiParameter("q", str), LOCALE_PARAMETER], responses=SuggestionSerializer(many=True))
    def get(self, request):
        prefix = request.query_params.get("q", "")
        locale = request.query_params.get("locale") or get_language()
        return Response([{"title": title, "url": url} for title, url in service.suggest(prefix, locale)])
