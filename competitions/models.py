"""Competitions (pages with stages, nominations, documents, co-financing rules and report forms) and applications.

An application's answers live on the form engine: each version is a ``forms.Submission`` marked as managed by
this app, so the engine's field checks, private files and history serve applications too. The application
record holds what the engine does not know: the applicant, the co-financing ledger, the status and the frozen
versions with their hashes.
"""

import json
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index

from competitions.criteria import ScoringSheetBlock, criteria_of, sheet_definition, sheet_signature
from competitions.ranking import ALLOCATION_RULES, SKIP, TIE_BREAKS
from forms.blocks import FormFieldsBlock
from forms.definition import FormDefinition
from forms.models import FormVersion
from website.models import BasePage

MANAGED_BY_APPLICATION = "competitions.application"
MANAGED_BY_REPORT = "competitions.report"
MONEY = {"max_digits": 14, "decimal_places": 2}


def moment(value):
    """A moment as Kaluga reads it: «31.03.2026 23:59»."""
    return date_format(localtime(value), "d.m.Y H:i")


class CompetitionKind(RevisionMixin, models.Model):
    """A kind of competition (initiative budgeting, TOS development, …) that methodologists define in the admin."""

    name = models.CharField(_("название"), max_length=150, unique=True)
    number_prefix = models.CharField(
        _("префикс номера заявки"),
        max_length=10,
        unique=True,
        help_text=_("Начало номера заявки: «ИБ» даст номера ИБ-2026-0001, ИБ-2026-0002…"),
    )
    description = models.TextField(_("пояснение"), blank=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="competition_kind")

    panels = [FieldPanel("name"), FieldPanel("number_prefix"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("вид конкурса")
        verbose_name_plural = _("виды конкурсов")

    def __str__(self):
        return self.name

    @property
    def revisions(self):
        return self._revisions


class CompetitionIndexPage(RoutablePageMixin, BasePage):
    """«Конкурсы»: current competitions first, then past ones."""

    intro = RichTextField(_("вступление"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    subpage_types = ["competitions.CompetitionPage"]
    max_count = 1
    template = "competitions/competition_index_page.html"

    class Meta:
        verbose_name = _("список конкурсов")
        verbose_name_plural = _("списки конкурсов")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        competitions = CompetitionPage.objects.child_of(self).live().specific().order_by("-year", "title")
        context["competitions"] = competitions
        return context


class StageKind(models.TextChoices):
    INTAKE = "intake", _("приём заявок")
    DOCUMENT_CHECK = "document_check", _("проверка документов")
    EXPERT_REVIEW = "expert_review", _("экспертиза")
    RESULTS = "results", _("подведение итогов")
    IMPLEMENTATION = "implementation", _("реализация")
    REPORTING = "reporting", _("отчётность")
    OTHER = "other", _("другой этап")


class CofinancingSource(models.TextChoices):
    RESIDENTS = "residents", _("жители")
    BUSINESS = "business", _("бизнес (ИП и юрлица)")
    MUNICIPALITY = "municipality", _("бюджет муниципального образования")
    OTHER = "other", _("другие источники")


class ContributionKind(models.TextChoices):
    MONEY = "money", _("деньги")
    IN_KIND = "in_kind", _("материалы, техника (в натуральной форме)")
    LABOUR = "labour", _("трудовое участие")


class CompetitionPage(RoutablePageMixin, BasePage):
    """A competition: rules, stages, money, the application form, required documents and report forms."""

    kind = models.ForeignKey(CompetitionKind, verbose_name=_("вид конкурса"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(
        _("год"), validators=[MinValueValidator(2000), MaxValueValidator(2100)], help_text=_("Входит в номера заявок.")
    )
    organiser = models.CharField(_("организатор"), max_length=255)
    legal_basis = models.TextField(_("правовое основание"), help_text=_("Акт, которым утверждён порядок конкурса."))
    description = RichTextField(
        _("о конкурсе"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"]
    )
    how_to_apply = RichTextField(
        _("как подать заявку"), blank=True, features=["h3", "bold", "italic", "link", "ol", "ul", "document-link"]
    )
    fund = models.DecimalField(_("призовой фонд, ₽"), **MONEY, validators=[MinValueValidator(Decimal("0"))])
    max_per_project = models.DecimalField(
        _("не больше на один проект, ₽"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    accepts_tos = models.BooleanField(_("подают ТОС"), default=True)
    accepts_groups = models.BooleanField(_("подают инициативные группы"), default=True)
    min_group_size = models.PositiveSmallIntegerField(
        _("инициативная группа — не меньше, человек"),
        default=10,
        help_text=_("По ст. 26.1 131-ФЗ — не меньше 10 граждан старше 16 лет, если акт МО не снижает."),
    )
    correction_days = models.PositiveSmallIntegerField(
        _("срок доработки по умолчанию, дней"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Секретарь может назначить другой срок, возвращая заявку."),
    )
    application_form = StreamField(
        FormFieldsBlock(),
        verbose_name=_("форма заявки"),
        blank=True,
        help_text=_(
            "Вопросы к заявителю. Название проекта, заявитель, запрашиваемая сумма и софинансирование уже есть в "
            "заявке — их добавлять не нужно."
        ),
    )

    scoring_sheet = StreamField(
        ScoringSheetBlock(),
        verbose_name=_("лист оценки"),
        blank=True,
        help_text=_(
            "Критерии, которые оценивают эксперты, расчётные критерии и любые другие вопросы к эксперту "
            "(рекомендация, замечания). Менять можно, пока экспертиза не началась."
        ),
    )
    experts_per_application = models.PositiveSmallIntegerField(
        _("экспертов на заявку"), default=2, validators=[MinValueValidator(2), MaxValueValidator(9)]
    )
    divergence_threshold = models.DecimalField(
        _("порог расхождения оценок"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_(
            "Если итоги первых двух экспертов по заявке расходятся больше чем на это число баллов, платформа "
            "назначит ещё одного эксперта. Пусто — не проверять."
        ),
    )
    passing_score = models.DecimalField(
        _("проходной балл"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("Заявка с итоговым баллом ниже проходного не получает поддержку."),
    )
    allocation_rule = models.CharField(
        _("если проект не помещается в остаток фонда"), max_length=10, choices=ALLOCATION_RULES, default=SKIP
    )
    exclude_same_municipality = models.BooleanField(
        _("не назначать экспертов из того же муниципалитета"),
        default=False,
        help_text=_("Эксперт, указавший муниципалитет заявителя как свой, не получит эту заявку."),
    )
    hide_applicant_from_experts = models.BooleanField(
        _("скрыть заявителя от экспертов"),
        default=False,
        help_text=_("Эксперт видит номер и проект, но не название ТОС или группы."),
    )
    show_comments_to_applicants = models.BooleanField(
        _("показать заявителям комментарии экспертов"),
        default=False,
        help_text=_("После публикации итогов заявитель увидит комментарии без имён: «Эксперт 1», «Эксперт 2»."),
    )

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("description"),
        index.SearchField("how_to_apply"),
        index.SearchField("organiser"),
        index.FilterField("year"),
    ]
    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("year"), FieldPanel("organiser"), FieldPanel("legal_basis")],
            heading=_("Конкурс"),
        ),
        FieldPanel("description"),
        FieldPanel("how_to_apply"),
        InlinePanel("stages", heading=_("Этапы"), label=_("Этап"), min_num=1),
        InlinePanel("documents", heading=_("Документы для сайта"), label=_("Документ")),
    ]
    rules_panels = [
        MultiFieldPanel([FieldRowPanel([FieldPanel("fund"), FieldPanel("max_per_project")])], heading=_("Деньги")),
        InlinePanel("nominations", heading=_("Номинации"), label=_("Номинация")),
        MultiFieldPanel(
            [FieldPanel("accepts_tos"), FieldPanel("accepts_groups"), FieldPanel("min_group_size")],
            heading=_("Кто подаёт"),
        ),
        InlinePanel("cofinancing_rules", heading=_("Правила софинансирования"), label=_("Правило")),
        InlinePanel("required_documents", heading=_("Обязательные документы заявки"), label=_("Документ")),
        FieldPanel("correction_days"),
    ]
    form_panels = [FieldPanel("application_form")]
    report_panels = [InlinePanel("report_forms", heading=_("Отчёты победителей"), label=_("Отчёт"))]
    scoring_panels = [
        FieldPanel("scoring_sheet"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("experts_per_application"), FieldPanel("divergence_threshold")]),
                FieldPanel("exclude_same_municipality"),
                FieldPanel("hide_applicant_from_experts"),
            ],
            heading=_("Эксперты"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("passing_score"),
                FieldPanel("allocation_rule"),
                InlinePanel("tie_breaks", heading=_("Равенство баллов"), label=_("Правило")),
                FieldPanel("show_comments_to_applicants"),
            ],
            heading=_("Итоги"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Содержание")),
            ObjectList(rules_panels, heading=_("Правила")),
            ObjectList(form_panels, heading=_("Форма заявки")),
            ObjectList(report_panels, heading=_("Отчёты")),
            ObjectList(scoring_panels, heading=_("Экспертиза")),
            ObjectList(BasePage.promote_panels, heading=_("Продвижение")),
            ObjectList(BasePage.settings_panels, heading=_("Настройки")),
        ]
    )
    parent_page_types = ["competitions.CompetitionIndexPage"]
    subpage_types = []
    template = "competitions/competition_page.html"
    page_description = _("Конкурс: этапы и сроки, фонд, номинации, форма заявки, документы, софинансирование, отчёты.")

    class Meta:
        verbose_name = _("конкурс")
        verbose_name_plural = _("конкурсы")

    @path("")
    def competition_view(self, request):
        from competitions.public import competition_page

        return competition_page(self, request)

    @path("projects/<str:number>/", name="project")
    def project_view(self, request, number):
        from competitions.public import project_card

        return project_card(self, request, number)

    @path("results/", name="results")
    def results_view(self, request):
        from competitions.results_views import results_page

        return results_page(self, request)

    @path("results/protocol/", name="results_protocol")
    def results_protocol_view(self, request):
        from competitions.results_views import results_protocol

        return results_protocol(self, request)

    @path("results/export/<str:fmt>/", name="results_export")
    def results_export_view(self, request, fmt):
        from competitions.results_views import results_export

        return results_export(self, request, fmt)

    # --- Stages and the deadline -----------------------------------------------------------------------------

    def stage(self, kind):
        return next((stage for stage in self.stages.all() if stage.kind == kind), None)

    @property
    def intake(self):
        return self.stage(StageKind.INTAKE)

    @property
    def deadline(self):
        intake = self.intake
        return intake.ends_at if intake else None

    def current_stage(self, at=None):
        at = at or timezone.now()
        return next((stage for stage in self.stages.all() if stage.starts_at <= at < stage.ends_at), None)

    def intake_closed_message(self, at=None):
        """Why applications are not accepted at this moment (Moscow time), or None when they are."""
        at = at or timezone.now()
        intake = self.intake
        if intake is None:
            return _("У конкурса не задан этап «приём заявок»: подать заявку пока нельзя.")
        if at < intake.starts_at:
            return _("Приём заявок начнётся %(when)s (мск).") % {"when": moment(intake.starts_at)}
        if at >= intake.ends_at:
            return _("Приём заявок закрыт %(when)s (мск). Черновик сохранён, но подать его уже нельзя.") % {
                "when": moment(intake.ends_at)
            }
        return None

    # --- The application form ---------------------------------------------------------------------------------

    def application_form_version(self):
        return FormVersion.for_definition(
            self, self.application_form.stream_block.get_prep_value(self.application_form)
        )

    @property
    def application_definition(self):
        return FormDefinition(self.application_form.raw_data)

    # --- Expert review --------------------------------------------------------------------------------------

    def scoring_sheet_data(self):
        """The sheet as stored JSON (normalised the way form versions are), for hashing and freezing."""
        raw = self.scoring_sheet.stream_block.get_prep_value(self.scoring_sheet)
        return json.loads(json.dumps(list(raw), cls=DjangoJSONEncoder))

    def scoring_sheet_version(self):
        return FormVersion.for_definition(self, self.scoring_sheet_data())

    @property
    def criteria(self):
        return criteria_of(sheet_definition(self.scoring_sheet.raw_data))

    @property
    def review_deadline(self):
        stage = self.stage(StageKind.EXPERT_REVIEW)
        return stage.ends_at if stage else None

    @property
    def tie_break_rules(self):
        return tuple(rule.rule for rule in self.tie_breaks.all())

    def clean(self):
        """The sheet is locked once scoring has begun: a changed criterion would make earlier scores mean
        something else. Changes before that are kept as page revisions."""
        super().clean()
        if not self.pk:
            return
        scoring_round = ScoringRound.objects.filter(competition_id=self.pk).select_related("sheet_version").first()
        if scoring_round and sheet_signature(self.scoring_sheet_data()) != sheet_signature(
            scoring_round.sheet_version.definition
        ):
            raise ValidationError(
                {
                    "scoring_sheet": _(
                        "Экспертиза началась %(when)s: лист оценки заблокирован, чтобы баллы экспертов сохранили "
                        "смысл. Верните лист к прежнему виду (кнопка «История» у страницы)."
                    )
                    % {"when": moment(scoring_round.opened_at)}
                }
            )


class CompetitionStage(Orderable):
    page = ParentalKey(CompetitionPage, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("вид этапа"), max_length=20, choices=StageKind.choices)
    title = models.CharField(_("название"), max_length=255, blank=True, help_text=_("Пусто — по виду этапа."))
    starts_at = models.DateTimeField(_("начало"), help_text=_("Московское время."))
    ends_at = models.DateTimeField(
        _("окончание"), help_text=_("Московское время. Для приёма заявок — последняя минута, когда заявку примут.")
    )
    description = models.TextField(_("что происходит"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("title")]),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("этап")
        verbose_name_plural = _("этапы")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="stage_ends_after_start")
        ]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.title or self.get_kind_display()

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Окончание этапа должно быть позже начала.")})


class TieBreakRule(Orderable):
    """One rule that orders applications with equal final scores; rules apply in their order."""

    page = ParentalKey(CompetitionPage, on_delete=models.CASCADE, related_name="tie_breaks")
    rule = models.CharField(_("при равенстве баллов выше та, у которой"), max_length=30, choices=TIE_BREAKS)

    panels = [FieldPanel("rule")]

    class Meta(Orderable.Meta):
        verbose_name = _("правило равенства баллов")
        verbose_name_plural = _("правила равенства баллов")

    def __str__(self):
        return self.get_rule_display()


class CompetitionDocument(Orderable):
    """A document published with the competition: the regulation, templates, the order announcing it."""

    page = ParentalKey(CompetitionPage, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("название"), max_length=255)
    document = models.ForeignKey("wagtaildocs.Document", verbose_name=_("файл"), on_delete=models.PROTECT)

    panels = [FieldPanel("title"), FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("документ конкурса")
        verbose_name_plural = _("документы конкурса")


class Nomination(Orderable):
    page = ParentalKey(CompetitionPage, on_delete=models.CASCADE, related_name="nominations")
    name = models.CharField(_("название"), max_length=255)
    description = models.TextField(_("пояснение"), blank=True)
    fund = models.DecimalField(
        _("фонд номинации, ₽"), **MONEY, null=True, blank=True, help_text=_("Пусто — общий фонд конкурса.")
    )

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("fund")]

    class Meta(Orderable.Meta):
        verbose_name = _("номинация")
        verbose_name_plural = _("номинации")

    def __str__(self):
        return self.name


class CofinancingRule(Orderable):
    """The least share of the project's cost that one source must bring, counting the kinds of contribution given."""

    page = ParentalKey(CompetitionPage, on_delete=models.CASCADE, related_name="cofinancing_rules")
    source = models.CharField(_("источник"), max_length=20, choices=CofinancingSource.choices)
    min_share = models.DecimalField(
        _("доля не меньше, %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Доля от полной стоимости проекта: запрошенная сумма плюс всё софинансирование."),
    )
    counts_money = models.BooleanField(_("засчитываются деньги"), default=True)
    counts_in_kind = models.BooleanField(_("засчитываются материалы и техника"), default=False)
    counts_labour = models.BooleanField(_("засчитывается труд"), default=False)

    panels = [
        FieldRowPanel([FieldPanel("source"), FieldPanel("min_share")]),
        FieldRowPanel([FieldPanel("counts_money"), FieldPanel("counts_in_kind"), FieldPanel("counts_labour")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("правило софинансирования")
        verbose_name_plural = _("правила софинансирования")

    def __str__(self):
        return f"{self.get_source_display()} ≥ {self.min_share} %"

    @property
    def counted_kinds(self):
        kinds = {
            ContributionKind.MONEY: self.counts_money,
            ContributionKind.IN_KIND: self.counts_in_kind,
            ContributionKind.LABOUR: self.counts_labour,
        }
        return {kind for kind, counted in kinds.items() if counted}


class RequiredDocument(Orderable):
    """A document the secretary checks in every application (the admissibility checklist)."""

    class AppliesTo(models.TextChoices):
        ALL = "all", _("все заявители")
        TOS = "tos", _("только ТОС")
        GROUP = "group", _("только инициативные группы")

    page = ParentalKey(CompetitionPage, on_delete=models.CASCADE, related_name="required_documents")
    title = models.CharField(_("документ"), max_length=255)
    description = models.CharField(_("требования"), max_length=500, blank=True)
    applies_to = models.CharField(_("для кого"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.ALL)

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("applies_to")]

    class Meta(Orderable.Meta):
        verbose_name = _("обязательный документ")
        verbose_name_plural = _("обязательные документы")

    def __str__(self):
        return self.title

    def applies(self, applicant_type):
        return self.applies_to == self.AppliesTo.ALL or self.applies_to == applicant_type


class ReportForm(Orderable):
    """A report winners owe: its kind, due moment and the form they fill (blocks of the form engine)."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("промежуточный отчёт о ходе реализации")
        FINANCIAL = "financial", _("финансовый отчёт")
        FINAL = "final", _("итоговый отчёт")

    page = ParentalKey(CompetitionPage, on_delete=models.CASCADE, related_name="report_forms")
    kind = models.CharField(_("вид отчёта"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("название"), max_length=255)
    due_at = models.DateTimeField(_("сдать до"), help_text=_("Московское время."))
    fields = StreamField(FormFieldsBlock(), verbose_name=_("поля отчёта"))

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("due_at")]), FieldPanel("title"), FieldPanel("fields")]

    class Meta(Orderable.Meta):
        verbose_name = _("форма отчёта")
        verbose_name_plural = _("формы отчётов")

    def __str__(self):
        return self.title

    def form_version(self):
        return FormVersion.for_definition(self.page, self.fields.stream_block.get_prep_value(self.fields))


# --- Applications -----------------------------------------------------------------------------------------------


class ApplicantType(models.TextChoices):
    TOS = "tos", _("ТОС")
    GROUP = "group", _("инициативная группа")


class ApplicationQuerySet(models.QuerySet):
    def of_applicant(self, user):
        if not (user and user.is_authenticated):
            return self.none()
        return self.filter(applicant=user)


class Application(models.Model):
    """An application to a competition: a draft, then frozen versions with a number, decisions and reports."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("подана, на проверке")
        CORRECTION = "correction", _("возвращена на доработку")
        ADMITTED = "admitted", _("допущена к конкурсу")
        REJECTED = "rejected", _("не допущена")
        WITHDRAWN = "withdrawn", _("отозвана заявителем")
        AWARDED = "awarded", _("победитель")

    competition = models.ForeignKey(
        CompetitionPage, verbose_name=_("конкурс"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("заявитель"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant_type = models.CharField(_("кто подаёт"), max_length=10, choices=ApplicantType.choices)
    tos = models.ForeignKey(
        "tos.TOSProfilePage",
        verbose_name=_("ТОС"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    group_name = models.CharField(_("инициативная группа"), max_length=255, blank=True)
    group_size = models.PositiveSmallIntegerField(_("человек в группе"), null=True, blank=True)
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("номинация"), on_delete=models.SET_NULL, null=True, blank=True
    )
    title = models.CharField(_("название проекта"), max_length=255)
    requested_amount = models.DecimalField(_("запрашиваемая сумма, ₽"), **MONEY, null=True, blank=True)
    ledger = models.JSONField(
        _("софинансирование"),
        default=list,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_("Строки: источник, вид вклада, сумма, пояснение."),
    )
    submission = models.OneToOneField(
        "forms.Submission",
        verbose_name=_("ответы на форму (текущие)"),
        on_delete=models.PROTECT,
        related_name="application",
    )
    status = models.CharField(_("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField(_("номер"), max_length=30, unique=True, null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    revision = models.PositiveIntegerField(
        _("ревизия черновика"),
        default=0,
        help_text=_("Растёт с каждым сохранением: так видно правку из другой вкладки."),
    )
    start_key = models.CharField(max_length=64, editable=False, help_text=_("Ключ идемпотентности создания."))
    correction_deadline = models.DateTimeField(_("доработать до"), null=True, blank=True)
    decision_reason = models.TextField(_("причины решения"), blank=True)
    award_amount = models.DecimalField(_("присуждено, ₽"), **MONEY, null=True, blank=True)
    created_at = models.DateTimeField(_("создана"), default=timezone.now)
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)
    submitted_at = models.DateTimeField(_("впервые подана"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("заявка")
        verbose_name_plural = _("заявки")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "start_key"], name="application_started_once"),
            models.CheckConstraint(
                condition=Q(applicant_type="tos", tos__isnull=False) | Q(applicant_type="group") & ~Q(group_name=""),
                name="application_applicant_named",
            ),
        ]
        permissions = [("review_application", _("Проверяет допуск заявок и принимает отчёты"))]

    def __str__(self):
        return self.number or _("Черновик «%(title)s»") % {"title": self.title}

    @property
    def applicant_name(self):
        return self.tos.title if self.applicant_type == ApplicantType.TOS and self.tos_id else self.group_name

    @property
    def is_editable(self):
        """Whether the applicant may change the working copy now (the deadline is checked at the write)."""
        return self.status in {self.Status.DRAFT, self.Status.CORRECTION}

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()


class NumberCounter(models.Model):
    """The last number given under one prefix and year (ИБ-2026-…), whichever competition of that kind it was in.

    Its row stays locked from the increment until the submit commits, so numbers are gapless and never repeat.
    """

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("счётчик номеров заявок")
        verbose_name_plural = _("счётчики номеров заявок")
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="number_counter_unique")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class ApplicationVersion(models.Model):
    """A submitted version, frozen: its answers (a submitted Submission), its files and a snapshot, with a hash."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("версия"))
    submission = models.OneToOneField(
        "forms.Submission", on_delete=models.PROTECT, related_name="application_version", verbose_name=_("ответы")
    )
    snapshot = models.JSONField(_("заявка на момент подачи"), encoder=DjangoJSONEncoder)
    content_hash = models.CharField(_("SHA-256 содержимого"), max_length=64)
    submitted_at = models.DateTimeField(_("подана"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("кем подана"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("версия заявки")
        verbose_name_plural = _("версии заявок")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="application_version_unique")]

    def __str__(self):
        return _("%(number)s, версия %(version)d") % {"number": self.application.number, "version": self.number}


class AdmissibilityReview(models.Model):
    """The secretary's check of one submitted version: the documents checklist and the decision with reasons."""

    class Decision(models.TextChoices):
        ADMIT = "admit", _("допустить")
        RETURN = "return", _("вернуть на доработку")
        REJECT = "reject", _("не допускать")

    version = models.OneToOneField(ApplicationVersion, on_delete=models.PROTECT, related_name="review")
    checklist = models.JSONField(
        _("проверка документов"), default=list, help_text=_("Строки: документ, в порядке ли, замечание.")
    )
    decision = models.CharField(_("решение"), max_length=10, choices=Decision.choices)
    reasons = models.TextField(_("причины"), blank=True)
    correction_deadline = models.DateTimeField(_("доработать до"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("кто решил"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("когда"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("проверка допуска")
        verbose_name_plural = _("проверки допуска")
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.version}: {self.get_decision_display()}"


class ApplicationReport(models.Model):
    """A report a winner owes on one report form; its answers are a managed Submission, one per sending."""

    class Status(models.TextChoices):
        DUE = "due", _("ожидается")
        SUBMITTED = "submitted", _("сдан, на проверке")
        RETURNED = "returned", _("возвращён с замечаниями")
        ACCEPTED = "accepted", _("принят")

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="reports")
    report_form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="reports")
    due_at = models.DateTimeField(_("сдать до"))
    status = models.CharField(_("статус"), max_length=20, choices=Status.choices, default=Status.DUE)
    submission = models.OneToOneField(
        "forms.Submission", on_delete=models.PROTECT, related_name="application_report", verbose_name=_("ответы")
    )
    remarks = models.TextField(_("замечания секретаря"), blank=True)
    submitted_at = models.DateTimeField(_("сдан"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто проверил"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("проверен"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("отчёт победителя")
        verbose_name_plural = _("отчёты победителей")
        ordering = ["due_at"]
        constraints = [models.UniqueConstraint(fields=["application", "report_form"], name="application_report_unique")]

    def __str__(self):
        return f"{self.application}: {self.report_form}"

    @property
    def is_editable(self):
        return self.status in {self.Status.DUE, self.Status.RETURNED}


class NotificationTemplate(RevisionMixin, models.Model):
    """The text of one kind of e-mail; secretaries edit it in the admin. ``{placeholders}`` are filled on sending."""

    class Event(models.TextChoices):
        RECEIVED = "received", _("заявка принята (с номером)")
        ADMITTED = "admitted", _("заявка допущена")
        RETURNED = "returned", _("заявка возвращена на доработку")
        REJECTED = "rejected", _("заявка не допущена")
        CORRECTION_DUE = "correction_due", _("скоро истекает срок доработки")
        AWARDED = "awarded", _("заявка победила")
        REPORT_DUE = "report_due", _("скоро срок отчёта")
        REPORT_ACCEPTED = "report_accepted", _("отчёт принят")
        REPORT_RETURNED = "report_returned", _("отчёт возвращён с замечаниями")

    event = models.CharField(_("событие"), max_length=30, choices=Event.choices, unique=True)
    subject = models.CharField(_("тема письма"), max_length=255)
    body = models.TextField(
        _("текст письма"),
        help_text=_(
            "Можно вставлять: {number} — номер заявки, {title} — проект, {competition} — конкурс, {status} — статус, "
            "{reasons} — причины, {deadline} — срок, {report} — отчёт, {link} — ссылка в личный кабинет."
        ),
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="competition_notification")

    panels = [FieldPanel("event", read_only=True), FieldPanel("subject"), FieldPanel("body")]

    class Meta:
        ordering = ["event"]
        verbose_name = _("шаблон письма")
        verbose_name_plural = _("шаблоны писем")

    def __str__(self):
        return self.get_event_display()

    @property
    def revisions(self):
        return self._revisions


class SentReminder(models.Model):
    """A reminder that went out, so that the daily run never sends it twice."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("отправленное напоминание")
        verbose_name_plural = _("отправленные напоминания")

    def __str__(self):
        return self.key


# --- Expert review ----------------------------------------------------------------------------------------------


class Expert(models.Model):
    """A member of the expert pool. Ties are declared once and checked against every application."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("пользователь"), on_delete=models.PROTECT, related_name="expert"
    )
    full_name = models.CharField(_("ФИО"), max_length=255)
    organisation = models.CharField(_("место работы"), max_length=255, blank=True)
    position = models.CharField(_("должность"), max_length=255, blank=True)
    municipality = models.ForeignKey(
        "website.Municipality",
        verbose_name=_("муниципалитет эксперта"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Где эксперт живёт или работает: учитывается, если конкурс не назначает «своих» экспертов."),
    )
    expertise = models.TextField(_("область экспертизы"), blank=True)
    is_active = models.BooleanField(_("в пуле экспертов"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("эксперт")
        verbose_name_plural = _("эксперты")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name


class ExpertTie(models.Model):
    """A declared tie that makes an expert conflicted for some applicants."""

    class Kind(models.TextChoices):
        TOS = "tos", _("состою в ТОС / связан с ТОС")
        ORGANISATION = "organisation", _("работаю или состою в организации")
        MUNICIPALITY = "municipality", _("связан с муниципалитетом (все его заявители)")
        RELATIVE = "relative", _("родственник в организации заявителя")
        OTHER = "other", _("другое")

    expert = models.ForeignKey(Expert, verbose_name=_("эксперт"), on_delete=models.CASCADE, related_name="ties")
    kind = models.CharField(_("вид связи"), max_length=20, choices=Kind.choices)
    tos = models.ForeignKey(
        "tos.TOSProfilePage", verbose_name=_("ТОС"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    municipality = models.ForeignKey(
        "website.Municipality",
        verbose_name=_("муниципалитет"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.CharField(
        _("организация или заявитель"),
        max_length=255,
        blank=True,
        help_text=_("Как называется организация, инициативная группа или ТОС — сравнивается с названием заявителя."),
    )
    description = models.TextField(_("пояснение"), blank=True)
    declared_at = models.DateTimeField(_("заявлена"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("связь эксперта")
        verbose_name_plural = _("связи эксперта")
        ordering = ["expert", "kind", "pk"]

    def __str__(self):
        target = self.tos or self.municipality or self.organisation or self.description
        return f"{self.get_kind_display()}: {target}"

    def clean(self):
        needed = {
            self.Kind.TOS: ("tos", _("Выберите ТОС.")),
            self.Kind.MUNICIPALITY: ("municipality", _("Выберите муниципалитет.")),
            self.Kind.ORGANISATION: ("organisation", _("Напишите название организации.")),
            self.Kind.RELATIVE: ("organisation", _("Напишите, в какой организации или группе заявителя родственник.")),
            self.Kind.OTHER: ("description", _("Опишите связь.")),
        }.get(self.kind)
        if needed and not getattr(self, needed[0] + ("_id" if needed[0] in {"tos", "municipality"} else "")):
            raise ValidationError({needed[0]: needed[1]})


class ConflictDeclaration(models.Model):
    """An expert's signed declaration of no conflict of interest for one competition, with the text they signed."""

    expert = models.ForeignKey(Expert, verbose_name=_("эксперт"), on_delete=models.PROTECT, related_name="declarations")
    competition = models.ForeignKey(
        CompetitionPage, verbose_name=_("конкурс"), on_delete=models.PROTECT, related_name="conflict_declarations"
    )
    statement = models.TextField(_("текст декларации"))
    ties_declared = models.JSONField(_("заявленные связи на момент подписи"), default=list, encoder=DjangoJSONEncoder)
    signed_at = models.DateTimeField(_("подписана"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("декларация об отсутствии конфликта интересов")
        verbose_name_plural = _("декларации об отсутствии конфликта интересов")
        constraints = [models.UniqueConstraint(fields=["expert", "competition"], name="conflict_declaration_once")]

    def __str__(self):
        return f"{self.expert} — {self.competition}"


class ScoringRound(models.Model):
    """The expert review of one competition: opened by the first assignment, closed, then published.

    It holds the sheet version every score is read against, the seed that reproduces the automatic assignment,
    and, from the close on, the computed result (a snapshot: the published page never changes afterwards).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("идёт экспертиза")
        CLOSED = "closed", _("оценка закрыта, итоги не опубликованы")
        PUBLISHED = "published", _("итоги опубликованы")

    competition = models.OneToOneField(
        CompetitionPage, verbose_name=_("конкурс"), on_delete=models.PROTECT, related_name="scoring_round"
    )
    status = models.CharField(_("статус"), max_length=20, choices=Status.choices, default=Status.OPEN)
    seed = models.CharField(_("зерно случайного назначения"), max_length=64)
    sheet_version = models.ForeignKey(
        FormVersion, verbose_name=_("версия листа оценки"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("экспертиза начата"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("кто начал"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("оценка закрыта"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто закрыл"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("итоги опубликованы"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто опубликовал"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    results = models.JSONField(_("итоги"), null=True, blank=True, encoder=DjangoJSONEncoder)

    history = HistoricalRecords(excluded_fields=["results"])

    class Meta:
        verbose_name = _("экспертиза конкурса")
        verbose_name_plural = _("экспертизы конкурсов")

    def __str__(self):
        return f"{self.competition}: {self.get_status_display()}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @cached_property
    def criteria(self):
        return criteria_of(sheet_definition(self.sheet_version.definition))

    @cached_property
    def sheet(self):
        return sheet_definition(self.sheet_version.definition)


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ExpertAssignment.Status.ACTIVE)

    def of_expert_user(self, user):
        if not (user and user.is_authenticated):
            return self.none()
        return self.filter(expert__user=user)


class ExpertAssignment(models.Model):
    """An expert assigned to an application. Never deleted: recusal, removal and the applicant's withdrawal end it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("назначен")
        RECUSED = "recused", _("самоотвод")
        REMOVED = "removed", _("снят секретарём")
        WITHDRAWN = "withdrawn", _("заявка отозвана заявителем")

    class Origin(models.TextChoices):
        AUTOMATIC = "automatic", _("автоматически")
        MANUAL = "manual", _("вручную секретарём")
        DIVERGENCE = "divergence", _("дополнительно из-за расхождения оценок")
        REPLACEMENT = "replacement", _("взамен выбывшего эксперта")

    scoring_round = models.ForeignKey(
        ScoringRound, verbose_name=_("экспертиза"), on_delete=models.PROTECT, related_name="assignments"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("заявка"), on_delete=models.PROTECT, related_name="expert_assignments"
    )
    expert = models.ForeignKey(Expert, verbose_name=_("эксперт"), on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(_("статус"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    origin = models.CharField(_("как назначен"), max_length=20, choices=Origin.choices)
    reason = models.TextField(_("причина"), blank=True, help_text=_("Для ручного назначения, снятия и самоотвода."))
    created_at = models.DateTimeField(_("назначен"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("кем назначен"), on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(_("выбыл"), null=True, blank=True)

    history = HistoricalRecords()
    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("назначение эксперта")
        verbose_name_plural = _("назначения экспертов")
        ordering = ["application", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="expert_assigned_once")]

    def __str__(self):
        return f"{self.expert} → {self.application}"

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class ScoreSheet(models.Model):
    """An expert's scores for one assignment, against the frozen version of the application they were shown.

    ``answers`` are keyed by block id: a criterion's answer is ``{"score": "7", "comment": "…"}``, any other
    question's is what the form engine stores for it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("отправлен")

    assignment = models.OneToOneField(
        ExpertAssignment, verbose_name=_("назначение"), on_delete=models.PROTECT, related_name="sheet"
    )
    version = models.ForeignKey(
        ApplicationVersion, verbose_name=_("оцениваемая версия заявки"), on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField(_("оценки и ответы"), default=dict, encoder=DjangoJSONEncoder)
    status = models.CharField(_("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    expert_total = models.DecimalField(_("итог эксперта"), max_digits=18, decimal_places=6, null=True, blank=True)
    revision = models.PositiveIntegerField(_("ревизия"), default=0)
    created_at = models.DateTimeField(_("начат"), default=timezone.now)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)
    submitted_at = models.DateTimeField(_("отправлен"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("лист оценки")
        verbose_name_plural = _("листы оценки")
        ordering = ["assignment"]

    def __str__(self):
        return _("Лист оценки: %(assignment)s") % {"assignment": self.assignment}

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED

    def scores(self):
        """criterion id → Decimal score, for the criteria answered."""
        return self.scores_of(self.answers)

    @staticmethod
    def scores_of(answers):
        return {
            key: Decimal(value["score"])
            for key, value in answers.items()
            if isinstance(value, dict) and value.get("score") not in (None, "")
        }
