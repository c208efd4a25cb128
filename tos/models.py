"""TOS profiles (pages with revisions and moderation), memberships with history, invitations, registration requests."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, PageManager, RevisionMixin
from wagtail.query import PageQuerySet
from wagtail.search import index

from tos.validators import validate_geojson, validate_inn, validate_ogrn
from website.models import BasePage, Municipality

PHOTO_BLOCKS = [("photo", ImageBlock(label=_("Фотография")))]


class ActivityArea(RevisionMixin, index.Indexed, models.Model):
    """An area of TOS activity (благоустройство, ЗОЖ и спорт, …): a taxonomy methodologists edit in the admin."""

    name = models.CharField(_("название"), max_length=100, unique=True)
    description = models.CharField(_("пояснение"), max_length=255, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("порядок"), default=100)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="tos_activity_area")

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("направление деятельности ТОС")
        verbose_name_plural = _("направления деятельности ТОС")

    def __str__(self):
        return self.name

    @property
    def revisions(self):
        return self._revisions


class LegalForm(models.TextChoices):
    NO_LEGAL_ENTITY = "no_legal_entity", _("без образования юридического лица")
    LEGAL_ENTITY = "legal_entity", _("юридическое лицо (некоммерческая организация)")


def founding_date_errors(founded_at, charter_registered_at):
    """The founding and charter dates checked against today and each other: {field: message}."""
    errors = {}
    today = timezone.localdate()
    if founded_at and founded_at > today:
        errors["founded_at"] = _("Дата учреждения не может быть в будущем: укажите дату учредительного собрания.")
    if charter_registered_at and charter_registered_at > today:
        errors["charter_registered_at"] = _("Дата регистрации устава не может быть в будущем.")
    elif charter_registered_at and founded_at and charter_registered_at < founded_at:
        errors["charter_registered_at"] = _(
            "Устав регистрируют после учредительного собрания: дата регистрации раньше даты учреждения."
        )
    return errors


class TOSIndexPage(BasePage):
    """The TOS directory: list with filters, the map, counts and coverage by municipality."""

    intro = RichTextField(_("вступление"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    api_fields = [*BasePage.api_fields, APIField("intro")]

    parent_page_types = ["website.HomePage"]
    subpage_types = ["tos.TOSProfilePage"]
    max_count_per_parent = 1
    page_description = _("Реестр ТОС: список с фильтрами, карта, число ТОС и охват жителей по муниципалитетам.")

    class Meta:
        verbose_name = _("реестр ТОС")
        verbose_name_plural = _("реестры ТОС")

    def get_context(self, request, *args, **kwargs):
        from tos.public import directory_context  # tos.public builds on tos.directory, which imports this module

        context = super().get_context(request, *args, **kwargs)
        context.update(directory_context(self, request))
        return context


class TOSProfileQuerySet(PageQuerySet):
    def with_project_flag(self):
        return self.annotate(has_projects=Exists(TOSProject.objects.filter(page=OuterRef("pk"))))


class TOSProfilePage(BasePage):
    """One TOS: its territory, charter, bodies, people covered, projects, news, documents and contacts.

    A leader edits it from the personal cabinet; every change is a revision that a moderator approves.
    """

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("муниципальное образование"),
        on_delete=models.PROTECT,
        related_name="tos_profiles",
    )
    settlement = models.CharField(
        _("поселение, населённый пункт"),
        max_length=200,
        blank=True,
        help_text=_("Например: «сельское поселение «Село Перемышль», д. Липки». Для городского округа — пусто."),
    )
    about = models.TextField(
        _("о ТОС"),
        blank=True,
        help_text=_("Чем занимается ТОС, чего добился, как в него вступить. Абзацы — с пустой строки."),
    )
    boundaries_text = models.TextField(
        _("границы"), help_text=_("Улицы и дома, как в решении представительного органа об установлении границ.")
    )
    boundaries_act = models.CharField(
        _("решение об установлении границ"),
        max_length=255,
        blank=True,
        help_text=_("Например: «решение Городской Думы г. Калуги от 20.02.2019 № 45»."),
    )
    geometry = models.JSONField(
        _("границы на карте (GeoJSON)"),
        null=True,
        blank=True,
        validators=[validate_geojson],
        help_text=_(
            "Точка или многоугольник в формате GeoJSON, координаты — долгота, широта. "
            'Например: {"type": "Point", "coordinates": [36.2612, 54.5138]}.'
        ),
    )
    founded_at = models.DateField(
        _("дата учреждения"), null=True, blank=True, help_text=_("Дата учредительного собрания (конференции).")
    )
    charter_registered_at = models.DateField(_("дата регистрации устава"), null=True, blank=True)
    charter_number = models.CharField(_("регистрационный номер устава"), max_length=50, blank=True)
    legal_form = models.CharField(
        _("организационно-правовая форма"), max_length=20, choices=LegalForm.choices, default=LegalForm.NO_LEGAL_ENTITY
    )
    inn = models.CharField(
        _("ИНН"),
        max_length=10,
        blank=True,
        validators=[validate_inn],
        help_text=_("Только для ТОС — юридического лица: 10 цифр."),
    )
    ogrn = models.CharField(
        _("ОГРН"),
        max_length=13,
        blank=True,
        validators=[validate_ogrn],
        help_text=_("Только для ТОС — юридического лица: 13 цифр."),
    )
    chair_name = models.CharField(_("председатель"), max_length=200, blank=True, help_text=_("Фамилия, имя, отчество."))
    residents_count = models.PositiveIntegerField(_("жителей на территории"), null=True, blank=True)
    households_count = models.PositiveIntegerField(_("домохозяйств"), null=True, blank=True)
    apartment_buildings_count = models.PositiveIntegerField(_("многоквартирных домов"), null=True, blank=True)
    area_ha = models.DecimalField(
        _("площадь, га"), max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    activity_areas = ParentalManyToManyField(ActivityArea, verbose_name=_("направления деятельности"), blank=True)
    phone = models.CharField(_("телефон"), max_length=32, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    website = models.URLField(_("сайт"), blank=True)
    social_url = models.URLField(
        _("группа в соцсети"), blank=True, help_text=_("ВКонтакте, Одноклассники или Telegram.")
    )
    address = models.CharField(_("адрес для обращений"), max_length=255, blank=True)
    reception_hours = models.CharField(
        _("приём жителей"), max_length=255, blank=True, help_text=_("Например: «вторник, 18:00–20:00».")
    )
    gallery = StreamField(PHOTO_BLOCKS, verbose_name=_("фотографии"), blank=True)

    objects = PageManager.from_queryset(TOSProfileQuerySet)()

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("about"),
        index.SearchField("boundaries_text"),
        index.SearchField("settlement"),
        index.SearchField("chair_name"),
        index.FilterField("municipality"),
        index.FilterField("legal_form"),
    ]
    api_fields = [*BasePage.api_fields, APIField("settlement"), APIField("boundaries_text")]

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("municipality"), FieldPanel("settlement"), FieldPanel("about"), FieldPanel("activity_areas")],
            heading=_("Основное"),
        ),
        MultiFieldPanel(
            [FieldPanel("boundaries_text"), FieldPanel("boundaries_act"), FieldPanel("geometry")],
            heading=_("Территория"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("residents_count"), FieldPanel("households_count")]),
                FieldRowPanel([FieldPanel("apartment_buildings_count"), FieldPanel("area_ha")]),
            ],
            heading=_("Охват"),
        ),
    ]
    charter_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("founded_at"), FieldPanel("charter_registered_at")]),
                FieldPanel("charter_number"),
                FieldPanel("legal_form"),
                FieldRowPanel([FieldPanel("inn"), FieldPanel("ogrn")]),
            ],
            heading=_("Устав и правовая форма"),
        ),
        FieldPanel("chair_name"),
        InlinePanel("council_members", heading=_("Совет ТОС"), label=_("Член совета")),
        InlinePanel("documents", heading=_("Документы"), label=_("Документ")),
    ]
    activity_panels = [
        InlinePanel("projects", heading=_("Проекты"), label=_("Проект")),
        InlinePanel("news_items", heading=_("Новости и события"), label=_("Новость или событие")),
        FieldPanel("gallery"),
    ]
    contact_panels = [
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("website"),
        FieldPanel("social_url"),
        FieldPanel("address"),
        FieldPanel("reception_hours"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Профиль")),
            ObjectList(charter_panels, heading=_("Устав и совет")),
            ObjectList(activity_panels, heading=_("Проекты и новости")),
            ObjectList(contact_panels, heading=_("Контакты")),
            ObjectList(BasePage.promote_panels, heading=_("Продвижение")),
        ]
    )

    parent_page_types = ["tos.TOSIndexPage"]
    subpage_types = []
    page_description = _("Профиль ТОС. Лидер ТОС правит его из личного кабинета, модератор согласует изменения.")

    class Meta:
        verbose_name = _("профиль ТОС")
        verbose_name_plural = _("профили ТОС")

    def clean(self):
        super().clean()
        errors = founding_date_errors(self.founded_at, self.charter_registered_at)
        if self.legal_form == LegalForm.NO_LEGAL_ENTITY:
            for field in ("inn", "ogrn"):
                if getattr(self, field):
                    errors[field] = _(
                        "ИНН и ОГРН есть только у ТОС — юридического лица: очистите поле или смените правовую форму."
                    )
        if self.residents_count is not None and self.households_count and self.households_count > self.residents_count:
            errors["households_count"] = _("Домохозяйств не может быть больше, чем жителей: проверьте оба числа.")
        if errors:
            raise ValidationError(errors)

    @property
    def public_council_members(self):
        return [member for member in self.council_members.all() if member.consent_to_publish]


class TOSCouncilMember(Orderable):
    page = ParentalKey(TOSProfilePage, related_name="council_members", on_delete=models.CASCADE)
    name = models.CharField(_("фамилия, имя, отчество"), max_length=200)
    position = models.CharField(
        _("роль в совете"), max_length=100, blank=True, help_text=_("Например: «заместитель председателя».")
    )
    consent_to_publish = models.BooleanField(
        _("согласие на публикацию получено"),
        default=False,
        help_text=_("Без письменного согласия (152-ФЗ) имя видно только модераторам и лидерам ТОС."),
    )

    panels = [FieldPanel("name"), FieldPanel("position"), FieldPanel("consent_to_publish")]

    class Meta(Orderable.Meta):
        verbose_name = _("член совета ТОС")
        verbose_name_plural = _("совет ТОС")

    def __str__(self):
        return self.name


class FundingSource(models.TextChoices):
    TOS_COMPETITION = "tos_competition", _("региональный конкурс ТОС")
    INITIATIVE_BUDGETING = "initiative_budgeting", _("инициативное бюджетирование")
    PRESIDENTIAL_GRANT = "presidential_grant", _("грант (ФПГ, ПФКИ)")
    MUNICIPAL_PROGRAMME = "municipal_programme", _("муниципальная программа")
    OWN_FUNDS = "own_funds", _("собственные средства и спонсоры")
    OTHER = "other", _("другое")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("задуман")
    APPLIED = "applied", _("подана заявка")
    SUPPORTED = "supported", _("поддержан")
    IN_PROGRESS = "in_progress", _("реализуется")
    COMPLETED = "completed", _("реализован")
    NOT_SUPPORTED = "not_supported", _("не поддержан")


def max_project_year():
    return timezone.localdate().year + 3


class TOSProject(Orderable):
    """A project of the TOS. ``uid`` names the row across revisions, before a publication gives it a primary key."""

    page = ParentalKey(TOSProfilePage, related_name="projects", on_delete=models.CASCADE)
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    title = models.CharField(_("название проекта"), max_length=255)
    year = models.PositiveSmallIntegerField(
        _("год"), validators=[MinValueValidator(1990, _("Год проекта — не раньше 1990.")), MaxValueValidator(2100)]
    )
    activity_area = models.ForeignKey(
        ActivityArea, verbose_name=_("направление"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    funding_source = models.CharField(_("источник финансирования"), max_length=32, choices=FundingSource.choices)
    amount = models.DecimalField(
        _("стоимость, ₽"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("Стоимость не может быть отрицательной."))],
    )
    residents_share = models.DecimalField(
        _("вклад жителей, %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100, _("Доля не может быть больше 100 %."))],
    )
    status = models.CharField(_("статус"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    description = models.TextField(_("описание"), blank=True)
    photos = StreamField(PHOTO_BLOCKS, verbose_name=_("фотографии"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("status")]),
        FieldPanel("activity_area"),
        FieldRowPanel([FieldPanel("funding_source"), FieldPanel("amount"), FieldPanel("residents_share")]),
        FieldPanel("description"),
        FieldPanel("photos"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("проект ТОС")
        verbose_name_plural = _("проекты ТОС")

    def __str__(self):
        return f"{self.title} ({self.year})"

    def clean(self):
        super().clean()
        if self.year and self.year > max_project_year():
            raise ValidationError({"year": _("Год проекта — не позже %(year)s.") % {"year": max_project_year()}})


class NewsKind(models.TextChoices):
    NEWS = "news", _("новость")
    EVENT = "event", _("событие")


class TOSNewsItem(Orderable):
    page = ParentalKey(TOSProfilePage, related_name="news_items", on_delete=models.CASCADE)
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    kind = models.CharField(_("вид"), max_length=10, choices=NewsKind.choices, default=NewsKind.NEWS)
    title = models.CharField(_("заголовок"), max_length=255)
    published_on = models.DateField(_("дата публикации"), default=timezone.localdate)
    event_starts_at = models.DateTimeField(_("начало события"), null=True, blank=True, help_text=_("Московское время."))
    place = models.CharField(_("место"), max_length=255, blank=True)
    text = models.TextField(_("текст"))
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("фотография"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("published_on")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("event_starts_at"), FieldPanel("place")]),
        FieldPanel("text"),
        FieldPanel("image"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("новость или событие ТОС")
        verbose_name_plural = _("новости и события ТОС")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.kind == NewsKind.EVENT and not self.event_starts_at:
            raise ValidationError({"event_starts_at": _("Для события укажите дату и время начала.")})


class DocumentKind(models.TextChoices):
    CHARTER = "charter", _("устав")
    BOUNDARIES = "boundaries", _("решение об установлении границ")
    MINUTES = "minutes", _("протокол собрания (конференции)")
    REPORT = "report", _("отчёт")
    OTHER = "other", _("другой документ")


class TOSDocument(Orderable):
    page = ParentalKey(TOSProfilePage, related_name="documents", on_delete=models.CASCADE)
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    kind = models.CharField(_("вид"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("название"), max_length=255)
    dated = models.DateField(_("дата документа"), null=True, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("файл"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("dated")]), FieldPanel("title"), FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("документ ТОС")
        verbose_name_plural = _("документы ТОС")

    def __str__(self):
        return self.title


class MembershipRole(models.TextChoices):
    CHAIR = "chair", _("председатель")
    COUNCIL = "council", _("член совета")
    MEMBER = "member", _("член ТОС")


class TOSMembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=timezone.localdate()), user__is_active=True)

    def editors(self):
        """Memberships that let their user edit the profile: the chair, and anyone the moderator allowed."""
        return self.active().filter(Q(role=MembershipRole.CHAIR) | Q(can_edit_profile=True))


class TOSMembership(models.Model):
    """A person's role in a TOS. Memberships end (``ended_on``) rather than disappear; every change is in history."""

    tos = models.ForeignKey(TOSProfilePage, verbose_name=_("ТОС"), on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        on_delete=models.CASCADE,
        related_name="tos_memberships",
    )
    role = models.CharField(_("роль"), max_length=10, choices=MembershipRole.choices)
    can_edit_profile = models.BooleanField(
        _("может править профиль"),
        default=False,
        help_text=_("Председатель правит профиль всегда; отметьте, чтобы доверить это и другому участнику."),
    )
    started_on = models.DateField(_("с"), default=timezone.localdate)
    ended_on = models.DateField(_("по"), null=True, blank=True, help_text=_("Пусто — участие продолжается."))
    note = models.CharField(_("примечание"), max_length=255, blank=True)
    history = HistoricalRecords()

    objects = TOSMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["tos__title", "role", "user__last_name"]
        verbose_name = _("участие в ТОС")
        verbose_name_plural = _("участие в ТОС")
        constraints = [
            models.UniqueConstraint(
                fields=["tos", "user"], condition=Q(ended_on__isnull=True), name="tos_one_open_membership_per_user"
            )
        ]

    def __str__(self):
        return f"{self.user.display_name} — {self.get_role_display()} ({self.tos})"

    def clean(self):
        super().clean()
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("Участие не может закончиться раньше, чем началось.")})
        if (
            self.ended_on is None
            and self.tos_id
            and self.user_id
            and TOSMembership.objects.filter(tos_id=self.tos_id, user_id=self.user_id, ended_on__isnull=True)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {"user": _("Этот человек уже состоит в ТОС: измените его текущую запись или завершите её.")}
            )

    @property
    def is_active(self):
        return self.ended_on is None or self.ended_on > timezone.localdate()

    @property
    def lets_edit(self):
        return self.is_active and (self.role == MembershipRole.CHAIR or self.can_edit_profile)


class TOSInvitation(models.Model):
    """An invitation to join a TOS by e-mail: applied once the person has an account with that address confirmed."""

    tos = models.ForeignKey(TOSProfilePage, verbose_name=_("ТОС"), on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("электронная почта"))
    role = models.CharField(_("роль"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.CHAIR)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("пригласил"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("принято"), null=True, blank=True)
    membership = models.ForeignKey(TOSMembership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("приглашение в ТОС")
        verbose_name_plural = _("приглашения в ТОС")

    def __str__(self):
        return f"{self.email} → {self.tos}"


class RegistrationRequest(models.Model):
    """A resident's request to register a new TOS in the directory; a moderator turns it into a profile."""

    class Status(models.TextChoices):
        NEW = "new", _("на рассмотрении")
        ACCEPTED = "accepted", _("принята: профиль создан")
        REJECTED = "rejected", _("отклонена")

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("заявитель"), on_delete=models.PROTECT, related_name="tos_requests"
    )
    name = models.CharField(_("название ТОС"), max_length=255, help_text=_("Например: «ТОС «Солнечный квартал»»."))
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("муниципальное образование"), on_delete=models.PROTECT
    )
    settlement = models.CharField(_("поселение, населённый пункт"), max_length=200, blank=True)
    boundaries_text = models.TextField(_("границы"), help_text=_("Улицы и дома, которые входят в ТОС."))
    founded_at = models.DateField(_("дата учреждения"), null=True, blank=True)
    charter_registered_at = models.DateField(_("дата регистрации устава"), null=True, blank=True)
    residents_count = models.PositiveIntegerField(_("жителей на территории"), null=True, blank=True)
    leader_name = models.CharField(_("председатель"), max_length=200)
    leader_email = models.EmailField(
        _("электронная почта председателя"), help_text=_("На этот адрес придёт приглашение вести профиль ТОС.")
    )
    leader_phone = models.CharField(_("телефон председателя"), max_length=32, blank=True)
    comment = models.TextField(_("комментарий"), blank=True)
    status = models.CharField(_("статус"), max_length=10, choices=Status.choices, default=Status.NEW)
    decision_comment = models.TextField(_("комментарий модератора"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("рассмотрел"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("рассмотрена"), null=True, blank=True)
    profile = models.ForeignKey(
        TOSProfilePage,
        verbose_name=_("профиль ТОС"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("подана"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["status", "-created_at"]
        verbose_name = _("заявка на регистрацию ТОС")
        verbose_name_plural = _("заявки на регистрацию ТОС")

    def __str__(self):
        return f"{self.name} ({self.municipality})"

    def clean(self):
        super().clean()
        errors = founding_date_errors(self.founded_at, self.charter_registered_at)
        if errors:
            raise ValidationError(errors)
