"""The platform's REST API (v1, DRF) and the Wagtail pages API (v2)."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from accounts.roles import user_role_names
from website.models import Municipality


class MunicipalitySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Municipality
        fields = ["id", "short_name", "official_name", "kind", "kind_display", "centre", "oktmo"]


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """Municipalities of Kaluga oblast: the reference list every other record points to."""

    queryset = Municipality.objects.all()
    serializer_class = MunicipalitySerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None


class CurrentUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class CurrentUserView(APIView):
    """The signed-in user and their roles."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=CurrentUserSerializer)
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "email": user.email,
            "full_name": user.get_full_name(),
            "roles": user_role_names(user),
        }
        return Response(CurrentUserSerializer(data).data)


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(label=_("Электронная почта"))
    password = serializers.CharField(label=_("Пароль"), style={"input_type": "password"}, trim_whitespace=False)

    def validate(self, attrs):
        user = authenticate(self.context["request"], email=attrs["email"], password=attrs["password"])
        if user is None or not user.emailaddress_set.filter(verified=True).exists():
            raise serializers.ValidationError(
                _("Неверная электронная почта или пароль, либо адрес ещё не подтверждён."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class ObtainTokenView(APIView):
    """Exchange e-mail and password for an API token (send it as «Authorization: Token …»)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=TokenRequestSerializer, responses=TokenResponseSerializer)
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


wagtail_api_router = WagtailAPIRouter("wagtailapi")
wagtail_api_router.register_endpoint("pages", PagesAPIViewSet)
wagtail_api_router.register_endpoint("images", ImagesAPIViewSet)
wagtail_api_router.register_endpoint("documents", DocumentsAPIViewSet)


def only_platform_api(endpoints, **kwargs):
    """drf-spectacular hook: the OpenAPI document describes /api/v1/ only (Wagtail's APIs have their own)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
