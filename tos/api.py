"""/api/v1/tos/: the TOS directory for everyone (list, detail, map, coverage) and a leader's edits of their profile.

Reading shows only published, public profiles and their published rows, never a leader's working copy. Writing
goes through the same form and moderation as the personal cabinet: an edit becomes a revision that a moderator
approves. Field errors answer ``{"errors": {field: [message]}}``; other refusals ``{"detail": message}``.
"""

import json

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.images import get_image_model

from tos.directory import (
    SORTS,
    DirectoryFilters,
    apply_filters,
    coverage_by_municipality,
    coverage_totals,
    map_features,
    published_profiles,
)
from tos.forms import ProfileForm
from tos.models import (
    ActivityArea,
    DocumentKind,
    FundingSource,
    LegalForm,
    NewsKind,
    ProjectStatus,
    TOSCouncilMember,
    TOSProfilePage,
)
from tos.moderation import ModerationRefusal, moderation_status, save_draft, submit_for_moderation, working_copy
from tos.permissions import can_edit_profile
from tos.validators import bare_geometry, geometry_centre

TAGS = ["tos"]
IMAGE_SPEC = "width-800"
COUNCIL_KEY = "council"
COUNCIL_FIELDS = ("name", "position", "consent_to_publish")
COUNCIL_PREFIX = "council_members"
NON_FIELD = "non_field_errors"
MODERATION_CODES = _(
    "published — опубликовано, draft — черновик, in_moderation — на модерации, needs_changes — возвращено на доработку."
)

FILTER_PARAMETERS = [
    OpenApiParameter("municipality", int, description=_("id муниципального образования.")),
    OpenApiParameter("area", int, description=_("id направления деятельности.")),
    OpenApiParameter("legal_form", str, enum=LegalForm.values, description=_("Организационно-правовая форма.")),
    OpenApiParameter("has_projects", bool, description=_("Только ТОС, у которых есть проекты.")),
    OpenApiParameter("q", str, description=_("Поиск по названию, территории, проектам и новостям в любой форме.")),
    OpenApiParameter("sort", str, enum=list(SORTS), description=_("Порядок: по умолчанию — по названию.")),
]


# --- Serializers: the documented shapes ---------------------------------------------------------------------------


class MunicipalityBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    short_name = serializers.CharField()


class ActivityAreaBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TOSListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField(help_text=_("Адрес профиля на сайте."))
    municipality = MunicipalityBriefSerializer()
    settlement = serializers.CharField()
    legal_form = serializers.ChoiceField(choices=LegalForm.choices)
    legal_form_display = serializers.CharField(source="get_legal_form_display")
    residents_count = serializers.IntegerField(allow_null=True)
    households_count = serializers.IntegerField(allow_null=True)
    founded_at = serializers.DateField(allow_null=True)
    activity_areas = ActivityAreaBriefSerializer(many=True, source="activity_areas.all")
    has_projects = serializers.BooleanField()
    centre = serializers.SerializerMethodField(help_text=_("Точка для маркера: [долгота, широта]; null — нет карты."))

    def get_url(self, page) -> str:
        return page.get_full_url(self.context["request"])

    def get_centre(self, page) -> list[float] | None:
        return geometry_centre(page.geometry)


class TOSPhotoSerializer(serializers.Serializer):
    url = serializers.CharField(help_text=_("Уменьшенная копия шириной до 800 пикселей."))
    alt = serializers.CharField(allow_blank=True, help_text=_("Что на фотографии; пусто — фотография декоративная."))


class TOSCharterSerializer(serializers.Serializer):
    founded_at = serializers.DateField(allow_null=True)
    charter_registered_at = serializers.DateField(allow_null=True)
    charter_number = serializers.CharField(allow_blank=True)


class TOSPublicCouncilMemberSerializer(serializers.Serializer):
    name = serializers.CharField()
    position = serializers.CharField(allow_blank=True)


class TOSContactsSerializer(serializers.Serializer):
    phone = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    website = serializers.CharField(allow_blank=True)
    social_url = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)
    reception_hours = serializers.CharField(allow_blank=True)


class TOSProjectSerializer(serializers.Serializer):
    title = serializers.CharField()
    year = serializers.IntegerField()
    activity_area = ActivityAreaBriefSerializer(allow_null=True)
    funding_source = serializers.ChoiceField(choices=FundingSource.choices)
    funding_source_display = serializers.CharField(source="get_funding_source_display")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, help_text=_("Рубли."))
    residents_share = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text=_("Вклад жителей, %.")
    )
    status = serializers.ChoiceField(choices=ProjectStatus.choices)
    status_display = serializers.CharField(source="get_status_display")
    description = serializers.CharField(allow_blank=True)
    photos = serializers.SerializerMethodField()

    @extend_schema_field(TOSPhotoSerializer(many=True))
    def get_photos(self, project):
        return stream_photos(project.photos, self.context)


class TOSNewsItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NewsKind.choices)
    kind_display = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    published_on = serializers.DateField()
    event_starts_at = serializers.DateTimeField(allow_null=True)
    place = serializers.CharField(allow_blank=True)
    text = serializers.CharField()
    image = serializers.SerializerMethodField(help_text=_("Адрес фотографии или null."))

    def get_image(self, item) -> str | None:
        image = self.context["images"].get(item.image_id)
        return rendition_url(image, self.context["request"]) if image else None


class TOSDocumentSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    kind_display = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    dated = serializers.DateField(allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, document) -> str:
        return self.context["request"].build_absolute_uri(document.document.url)


class TOSDetailSerializer(TOSListItemSerializer):
    summary = serializers.CharField(allow_blank=True)
    about = serializers.CharField(allow_blank=True)
    boundaries_text = serializers.CharField()
    boundaries_act = serializers.CharField(allow_blank=True)
    geometry = serializers.SerializerMethodField(help_text=_("GeoJSON: Point, Polygon или MultiPolygon; или null."))
    charter = TOSCharterSerializer(source="*")
    inn = serializers.CharField(allow_blank=True)
    ogrn = serializers.CharField(allow_blank=True)
    chair_name = serializers.CharField(allow_blank=True)
    council = TOSPublicCouncilMemberSerializer(
        many=True, source="public_council_members", help_text=_("Только члены совета, согласные на публикацию.")
    )
    apartment_buildings_count = serializers.IntegerField(allow_null=True)
    area_ha = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    contacts = TOSContactsSerializer(source="*")
    gallery = serializers.SerializerMethodField()
    projects = TOSProjectSerializer(many=True, source="projects.all")
    news = TOSNewsItemSerializer(many=True, source="news_items.all")
    documents = TOSDocumentSerializer(many=True, source="documents.all")
    last_published_at = serializers.DateTimeField(allow_null=True)

    def get_geometry(self, page) -> dict | None:
        return bare_geometry(page.geometry)

    @extend_schema_field(TOSPhotoSerializer(many=True))
    def get_gallery(self, page):
        return stream_photos(page.gallery, self.context)


class TOSCouncilMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = TOSCouncilMember
        fields = list(COUNCIL_FIELDS)


class TOSProfileFieldsSerializer(serializers.ModelSerializer):
    """The fields a leader may change: the PATCH body (any of them) and the working copy in /draft/."""

    geometry = serializers.JSONField(
        allow_null=True,
        required=False,
        help_text=_(
            'Объект GeoJSON (Point, Polygon, MultiPolygon), например {"type": "Point", "coordinates": '
            "[36.2612, 54.5138]}; null — убрать с карты."
        ),
    )
    activity_areas = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=ActivityArea.objects.all(),
        help_text=_("Список id направлений деятельности."),
    )
    council = TOSCouncilMemberSerializer(
        many=True,
        required=False,
        source="council_members.all",
        help_text=_("Совет ТОС целиком: переданный список заменяет прежний. Без этого ключа совет не меняется."),
    )

    class Meta:
        model = TOSProfilePage
        fields = [*ProfileForm.editable_fields, COUNCIL_KEY]


class TOSModerationSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=MODERATION_CODES)
    label = serializers.CharField()
    since = serializers.DateTimeField(allow_null=True)
    comment = serializers.CharField(allow_blank=True, help_text=_("Комментарий модератора при возврате на доработку."))
    can_edit = serializers.BooleanField()
    can_submit = serializers.BooleanField()
    can_withdraw = serializers.BooleanField()


class TOSDraftSerializer(TOSProfileFieldsSerializer):
    revision_id = serializers.IntegerField(source="latest_revision_id", allow_null=True)
    moderation = serializers.SerializerMethodField()

    class Meta(TOSProfileFieldsSerializer.Meta):
        fields = ["id", *TOSProfileFieldsSerializer.Meta.fields, "revision_id", "moderation"]

    @extend_schema_field(TOSModerationSerializer)
    def get_moderation(self, page):
        return TOSModerationSerializer(self.context["moderation"]).data


class TOSSavedSerializer(serializers.Serializer):
    status = serializers.CharField(help_text=MODERATION_CODES)
    status_label = serializers.CharField()
    revision_id = serializers.IntegerField(allow_null=True)


class TOSErrorsSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Сообщения по полям; non_field_errors — о профиле в целом."),
    )


class TOSRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TOSCoverageRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="municipality.pk")
    short_name = serializers.CharField(source="municipality.short_name")
    tos_count = serializers.IntegerField()
    residents_covered = serializers.IntegerField()
    population = serializers.IntegerField(allow_null=True)
    population_year = serializers.IntegerField(allow_null=True)
    share = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text=_("Доля населения в ТОС, %; null — нет данных.")
    )


class TOSCoverageTotalsSerializer(serializers.Serializer):
    tos_count = serializers.IntegerField()
    residents_covered = serializers.IntegerField()
    share = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text=_("По муниципалитетам с данными о населении.")
    )


class TOSCoverageSerializer(serializers.Serializer):
    municipalities = TOSCoverageRowSerializer(many=True)
    totals = TOSCoverageTotalsSerializer()


def refusal(description):
    return OpenApiResponse(TOSRefusalSerializer, description=description)


NOT_SIGNED_IN = refusal(_("Не выполнен вход."))
NOT_AN_EDITOR = refusal(_("Править профиль может только председатель ТОС или участник, которому это доверено."))
NO_SUCH_TOS = refusal(_("ТОС с таким номером нет."))


# --- Photos -------------------------------------------------------------------------------------------------------


def stream_image_refs(stream):
    """(image id, alt text or None for the image's own) of each photo block, read without loading the images."""
    refs = []
    for block in stream.raw_data:
        value = block.get("value")
        if isinstance(value, dict):
            if value.get("image"):
                refs.append((value["image"], "" if value.get("decorative") else value.get("alt_text") or None))
        elif value:
            refs.append((value, None))
    return refs


def images_by_id(image_ids):
    """The images with their renditions of IMAGE_SPEC, in two queries whatever their number."""
    if not image_ids:
        return {}
    images = get_image_model().objects.filter(pk__in=set(image_ids)).prefetch_renditions(IMAGE_SPEC)
    return {image.pk: image for image in images}


def rendition_url(image, request):
    return request.build_absolute_uri(image.get_rendition(IMAGE_SPEC).url)


def stream_photos(stream, context):
    photos = []
    for image_id, alt in stream_image_refs(stream):
        image = context["images"].get(image_id)
        if image is not None:
            alt = image.default_alt_text if alt is None else alt
            photos.append({"url": rendition_url(image, context["request"]), "alt": alt})
    return photos


# --- Public views -------------------------------------------------------------------------------------------------


class TOSPagination(LimitOffsetPagination):
    max_limit = 200


def filtered_profiles(request):
    return apply_filters(published_profiles(), DirectoryFilters.from_params(request.query_params))


class TOSListView(generics.ListAPIView):
    """Published TOS with the directory's filters, a page at a time (limit, offset)."""

    permission_classes = [permissions.AllowAny]
    serializer_class = TOSListItemSerializer
    pagination_class = TOSPagination

    def get_queryset(self):
        return filtered_profiles(self.request).prefetch_related("activity_areas")

    @extend_schema(
        tags=TAGS,
        summary=_("Реестр ТОС"),
        description=_(
            "Опубликованные ТОС с фильтрами реестра. Неизвестные и неверные значения фильтров не учитываются."
        ),
        parameters=FILTER_PARAMETERS,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EditorAPIView(APIView):
    """Token first, so that a request without credentials is answered 401 with a WWW-Authenticate header."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]

    def editable_page(self, request, pk):
        page = get_object_or_404(TOSProfilePage, pk=pk)
        if not can_edit_profile(request.user, page):
            raise PermissionDenied(
                _(
                    "Править профиль этого ТОС может только его председатель или участник, "
                    "которому модератор доверил правку."
                )
            )
        return page


class TOSDetailView(EditorAPIView):
    """A published TOS for everyone; its editor changes it with PATCH (the change waits for the moderator)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    parser_classes = [JSONParser]

    @extend_schema(
        tags=TAGS,
        summary=_("Профиль ТОС"),
        description=_(
            "Опубликованный профиль: совет — только согласные на публикацию, проекты, новости, документы. "
            "Неопубликованные правки здесь не видны."
        ),
        responses={200: TOSDetailSerializer, 404: NO_SUCH_TOS},
    )
    def get(self, request, pk):
        page = (
            published_profiles()
            .filter(pk=pk)
            .prefetch_related(
                "activity_areas",
                "council_members",
                "projects__activity_area",
                "news_items",
                "documents__document",
            )
            .first()
        )
        if page is None:
            raise NotFound(_("ТОС с таким номером нет в реестре, или его профиль ещё не опубликован."))
        image_ids = [image_id for image_id, _alt in stream_image_refs(page.gallery)]
        for project in page.projects.all():
            image_ids += [image_id for image_id, _alt in stream_image_refs(project.photos)]
        image_ids += [item.image_id for item in page.news_items.all() if item.image_id]
        context = {"request": request, "images": images_by_id(image_ids)}
        return Response(TOSDetailSerializer(page, context=context).data)

    @extend_schema(
        tags=TAGS,
        summary=_("Изменить профиль"),
        description=_(
            "Меняет переданные поля черновика профиля, остальные остаются как были. Изменения видны всем после "
            "отправки на модерацию и одобрения модератором. Если хоть одно поле не подходит, не сохраняется ничего. "
            "Даты — ГГГГ-ММ-ДД."
        ),
        request=TOSProfileFieldsSerializer,
        responses={
            200: TOSSavedSerializer,
            400: OpenApiResponse(TOSErrorsSerializer, description=_("Поля не подходят: ничего не сохранено.")),
            401: NOT_SIGNED_IN,
            403: NOT_AN_EDITOR,
            404: NO_SUCH_TOS,
            409: refusal(_("Изменения на модерации: править можно после решения модератора.")),
        },
    )
    def patch(self, request, pk):
        page = self.editable_page(request, pk)
        patch = request.data
        if not isinstance(patch, dict) or not patch:
            message = _('Передайте изменения JSON-объектом хотя бы с одним полем: {"residents_count": 1500}.')
            return errors_response({NON_FIELD: [message]})
        unknown = sorted(set(patch) - {*ProfileForm.editable_fields, COUNCIL_KEY})
        if unknown:
            return errors_response(
                {
                    name: [
                        _("Поля «%(field)s» нет среди полей профиля, которые можно изменить: уберите его из запроса.")
                        % {"field": name}
                    ]
                    for name in unknown
                }
            )
        if not moderation_status(page).can_edit:
            return refusal_response(
                _(
                    "Изменения профиля на модерации: править его можно после решения модератора "
                    "или после отзыва изменений с модерации."
                ),
                status.HTTP_409_CONFLICT,
            )
        copy = working_copy(page)
        data, errors = form_data(copy, patch)
        if errors:
            return errors_response(errors)
        form = ProfileForm(data, instance=copy)
        if not form.is_valid():
            return errors_response(form_errors(form))
        try:
            revision = save_draft(page, form.save(commit=False), request.user)
        except ModerationRefusal as refused:
            return refusal_response(refused.message, refused.status)
        return saved_response(page, revision.pk)


class TOSDraftView(EditorAPIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary=_("Черновик профиля"),
        description=_(
            "Профиль таким, каким его последним сохранил редактор (с неопубликованными правками и всем советом), "
            "и состояние модерации. Только для председателя ТОС и участников, которым доверена правка."
        ),
        responses={200: TOSDraftSerializer, 401: NOT_SIGNED_IN, 403: NOT_AN_EDITOR, 404: NO_SUCH_TOS},
    )
    def get(self, request, pk):
        page = self.editable_page(request, pk)
        copy = working_copy(page)
        copy.latest_revision_id = page.latest_revision_id
        return Response(TOSDraftSerializer(copy, context={"moderation": moderation_status(page)}).data)


class TOSSubmitView(EditorAPIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary=_("Отправить на модерацию"),
        description=_("Отправляет сохранённый черновик профиля модератору."),
        request=None,
        responses={
            200: TOSSavedSerializer,
            400: refusal(_("Отправлять нечего: черновик совпадает с опубликованным профилем.")),
            401: NOT_SIGNED_IN,
            403: NOT_AN_EDITOR,
            404: NO_SUCH_TOS,
            409: refusal(_("Изменения уже на модерации, или для раздела не назначено согласование.")),
        },
    )
    def post(self, request, pk):
        page = self.editable_page(request, pk)
        try:
            submit_for_moderation(page, request.user)
        except ModerationRefusal as refused:
            return refusal_response(refused.message, refused.status)
        return saved_response(page, page.latest_revision_id)


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class TOSMapView(APIView):
    permission_classes = [permissions.AllowAny]
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(
        tags=TAGS,
        summary=_("Карта ТОС (GeoJSON)"),
        description=_(
            "FeatureCollection опубликованных ТОС, у которых есть границы на карте, с теми же фильтрами, что и реестр. "
            "У каждого объекта: название, муниципалитет, число жителей, точка для маркера и адрес профиля."
        ),
        parameters=FILTER_PARAMETERS,
        responses={(200, "application/geo+json"): OpenApiResponse(description=_("GeoJSON FeatureCollection."))},
    )
    def get(self, request):
        return Response(map_features(filtered_profiles(request), request))


class TOSCoverageView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=TAGS,
        summary=_("Охват жителей по муниципалитетам"),
        description=_(
            "Для каждого муниципального образования: число опубликованных ТОС, жителей на их территории, "
            "население и доля жителей в ТОС (%, до десятых; null — нет данных о населении). Муниципалитеты без ТОС "
            "тоже в списке, с нулями."
        ),
        responses=TOSCoverageSerializer,
    )
    def get(self, request):
        rows = coverage_by_municipality()
        return Response(TOSCoverageSerializer({"municipalities": rows, "totals": coverage_totals(rows)}).data)


# --- Helpers ------------------------------------------------------------------------------------------------------


def errors_response(errors):
    return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)


def refusal_response(message, status_code):
    return Response({"detail": str(message)}, status=status_code)


def saved_response(page, revision_id):
    page = TOSProfilePage.objects.get(pk=page.pk)
    current = moderation_status(page)
    return Response({"status": current.code, "status_label": str(current.label), "revision_id": revision_id})


def form_data(copy, patch):
    """The profile form's data: the working copy's current values overlaid with the patch; and the patch's errors.

    The council formset always gets its management data: the current members unchanged without a "council" key,
    or the current ones deleted and the given ones added with it.
    """
    current = ProfileForm(instance=copy)
    data = {name: current[name].value() for name in ProfileForm.editable_fields}
    errors = {}
    for name in ProfileForm.editable_fields:
        if name not in patch:
            continue
        value = patch[name]
        label = str(current.fields[name].label)
        if name == "geometry":
            data[name] = value if isinstance(value, str) else "" if value is None else json.dumps(value)
        elif name == "activity_areas":
            if not isinstance(value, list) or not all(isinstance(item, int | str) for item in value):
                errors[name] = [_("«%(field)s»: передайте список id направлений, например [1, 3].") % {"field": label}]
            else:
                data[name] = [str(item) for item in value]
        elif value is None:
            data[name] = ""
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            errors[name] = [_("«%(field)s»: передайте строку или число.") % {"field": label}]
        else:
            data[name] = value
    members = list(copy.council_members.all())
    replacement = patch.get(COUNCIL_KEY)
    if COUNCIL_KEY in patch:
        problem = council_problem(replacement)
        if problem:
            errors[COUNCIL_KEY] = [problem]
            replacement = []
    rows = [(member, COUNCIL_KEY in patch) for member in members]
    rows += [(TOSCouncilMember(**row), False) for row in replacement or []]
    data[f"{COUNCIL_PREFIX}-TOTAL_FORMS"] = len(rows)
    data[f"{COUNCIL_PREFIX}-INITIAL_FORMS"] = len(members)
    for index, (member, delete) in enumerate(rows):
        prefix = f"{COUNCIL_PREFIX}-{index}"
        if index < len(members):
            data[f"{prefix}-id"] = member.pk or ""
        data[f"{prefix}-name"] = member.name or ""
        data[f"{prefix}-position"] = member.position or ""
        data[f"{prefix}-consent_to_publish"] = bool(member.consent_to_publish)
        data[f"{prefix}-ORDER"] = index + 1
        data[f"{prefix}-DELETE"] = delete
    return data, errors


def council_problem(value):
    example = '[{"name": "Иванова Анна Петровна", "position": "секретарь", "consent_to_publish": true}]'
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        return _("«Совет ТОС»: передайте список членов совета, например %(example)s.") % {"example": example}
    for number, row in enumerate(value, start=1):
        unknown = sorted(set(row) - set(COUNCIL_FIELDS))
        if unknown:
            return _(
                "«Совет ТОС», член совета %(number)s: лишние поля %(fields)s; допустимы name, position, "
                "consent_to_publish."
            ) % {"number": number, "fields": ", ".join(unknown)}
        if not isinstance(row.get("consent_to_publish", False), bool):
            return _("«Совет ТОС», член совета %(number)s: consent_to_publish — true или false.") % {"number": number}
        for name in ("name", "position"):
            if not isinstance(row.get(name, ""), str):
                return _("«Совет ТОС», член совета %(number)s: %(field)s — строка.") % {"number": number, "field": name}
    return None


def named(message, label):
    """The message, prefixed with the field's label unless it already names the field."""
    name = label.split(" (")[0]
    return message if name.lower() in message.lower() else f"«{label}»: {message}"


def form_errors(form):
    errors = {}
    for name, messages in form.errors.items():
        if name == "__all__":
            errors[NON_FIELD] = list(messages)
        else:
            label = str(form.fields[name].label)
            errors[name] = [named(message, label) for message in messages]
    formset = form.formsets[COUNCIL_PREFIX]
    council = [str(message) for message in formset.non_form_errors()]
    kept = [row for row in formset.forms if not row.cleaned_data.get("DELETE")]
    for number, row in enumerate(kept, start=1):
        for name, messages in row.errors.items():
            label = str(row.fields[name].label) if name in row.fields else ""
            for message in messages:
                text = named(message, label) if label else message
                council.append(_("Член совета %(number)s: %(message)s") % {"number": number, "message": text})
    if council:
        errors[COUNCIL_KEY] = council
    return errors
