"""The form engine's records: form pages, frozen form versions, submissions and their private files."""

import hashlib
import json
import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from forms.blocks import FormFieldsBlock
from forms.definition import FormDefinition
from forms.panels import AnswersNoticePanel
from website.models import BasePage


def private_storage():
    """Uploads to forms never get a public URL: they are served only by forms.views.download_file."""
    return storages["private"]


def definition_hash(raw_data):
    return hashlib.sha256(json.dumps(raw_data, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


class AbstractFormPage(RoutablePageMixin, BasePage):
    """A page that is a form: fields from blocks, steps, drafts, deadlines. Surveys and applications build on it."""

    intro = RichTextField(_("вступление"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    fields = StreamField(FormFieldsBlock(), verbose_name=_("поля формы"))
    thank_you_text = RichTextField(
        _("текст после отправки"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Что увидит человек, отправив ответ. Пусто — «Спасибо! Ваш ответ принят»."),
    )
    submit_label = models.CharField(_("надпись на кнопке отправки"), max_length=50, default="Отправить")
    opens_at = models.DateTimeField(_("приём открывается"), null=True, blank=True, help_text=_("Московское время."))
    closes_at = models.DateTimeField(
        _("приём закрывается"),
        null=True,
        blank=True,
        help_text=_("Московское время. После этой минуты ответы не принимаются — проверяется на сервере."),
    )
    allow_anonymous = models.BooleanField(
        _("можно без входа"), default=False, help_text=_("Без входа нельзя сохранить черновик на другом устройстве.")
    )
    one_per_user = models.BooleanField(
        _("один ответ на человека"),
        default=True,
        help_text=_("Повторный ответ будет отклонён. Для ответов без входа — по метке в браузере и частоте."),
    )

    content_panels = [
        *BasePage.content_panels,
        AnswersNoticePanel(heading=_("Ответы на форму")),
        FieldPanel("intro"),
        FieldPanel("fields"),
        FieldPanel("thank_you_text"),
        FieldPanel("submit_label"),
    ]
    acceptance_panels = [
        MultiFieldPanel(
            [
                FieldPanel("opens_at"),
                FieldPanel("closes_at"),
                FieldPanel("allow_anonymous"),
                FieldPanel("one_per_user"),
            ],
            heading=_("Приём ответов"),
        )
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    template = "forms/form_page.html"

    class Meta:
        abstract = True

    @path("")
    def form_view(self, request):
        from forms.views import serve_form

        return serve_form(self, request)

    def current_version(self):
        """The frozen version of the fields as they are now (normalised, so memory and database agree)."""
        return FormVersion.for_definition(self, self.fields.stream_block.get_prep_value(self.fields))

    @property
    def definition(self):
        return FormDefinition(self.fields.raw_data)

    def closed_message(self, moment=None):
        """Why answers are not accepted at this moment, or None when they are."""
        moment = moment or timezone.now()
        if self.opens_at and moment < self.opens_at:
            return _("Приём ответов начнётся %(when)s (мск).") % {"when": _moment(self.opens_at)}
        if self.closes_at and moment >= self.closes_at:
            return _("Приём ответов закрыт %(when)s (мск).") % {"when": _moment(self.closes_at)}
        return None


def form_edit_handler(acceptance_panels):
    """The editor's tabs of a form page: acceptance settings get a tab of their own."""
    return TabbedInterface(
        [
            ObjectList(AbstractFormPage.content_panels, heading=_("Содержание")),
            ObjectList(acceptance_panels, heading=_("Приём ответов")),
            ObjectList(AbstractFormPage.promote_panels, heading=_("Продвижение")),
            ObjectList(AbstractFormPage.settings_panels, heading=_("Настройки")),
        ]
    )


def _moment(value):
    return date_format(localtime(value), "d.m.Y H:i")


class FormPage(AbstractFormPage):
    page_description = _("Форма из блоков: заявка, анкета, обращение. Шаги, черновики, файлы, сроки приёма.")
    edit_handler = form_edit_handler(AbstractFormPage.acceptance_panels)

    class Meta:
        verbose_name = _("форма")
        verbose_name_plural = _("формы")


class FormVersion(models.Model):
    """The definition of a form as it was when published; submissions point here and render with it forever."""

    # Versions go with their page; a version that submissions point to protects the page (Submission.version).
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="form_versions")
    number = models.PositiveIntegerField(_("номер версии"))
    definition = models.JSONField(_("определение формы"), encoder=DjangoJSONEncoder)
    definition_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("создана"), default=timezone.now)

    class Meta:
        verbose_name = _("версия формы")
        verbose_name_plural = _("версии форм")
        ordering = ["page", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="form_version_number_unique"),
            models.UniqueConstraint(fields=["page", "definition_hash"], name="form_version_definition_unique"),
        ]

    def __str__(self):
        return _("Версия %(number)d") % {"number": self.number}

    @classmethod
    def for_definition(cls, page, raw_data):
        """The version holding exactly this definition, created on first use (publishing makes it)."""
        raw_data = json.loads(json.dumps(list(raw_data), cls=DjangoJSONEncoder))
        digest = definition_hash(raw_data)
        existing = cls.objects.filter(page_id=page.pk, definition_hash=digest).first()
        if existing:
            return existing
        for _attempt in range(3):
            number = (cls.objects.filter(page_id=page.pk).aggregate(models.Max("number"))["number__max"] or 0) + 1
            try:
                with transaction.atomic():
                    return cls.objects.create(
                        page_id=page.pk, number=number, definition=raw_data, definition_hash=digest
                    )
            except IntegrityError:
                existing = cls.objects.filter(page_id=page.pk, definition_hash=digest).first()
                if existing:
                    return existing
        raise IntegrityError("Не удалось сохранить версию формы: повторите публикацию.")

    @cached_property
    def form(self):
        return FormDefinition(self.definition)


class SubmissionQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Submission.Status.SUBMITTED)

    def drafts(self):
        return self.filter(status=Submission.Status.DRAFT)

    def standalone(self):
        """Answers to the form pages themselves, not the records another app keeps on the engine."""
        return self.filter(managed_by="")

    def of_respondent(self, user, respondent_key):
        if user is not None and user.is_authenticated:
            return self.filter(user=user)
        if respondent_key:
            return self.filter(user__isnull=True, respondent_key=respondent_key)
        return self.none()


class Submission(models.Model):
    """One person's answers to one form: a draft until submitted, then frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("черновик")
        SUBMITTED = "submitted", _("отправлен")

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.PROTECT, related_name="form_submissions", verbose_name=_("форма")
    )
    version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("версия формы")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="form_submissions",
        verbose_name=_("автор"),
    )
    respondent_key = models.CharField(
        _("метка анонимного автора"), max_length=64, blank=True, help_text=_("Хеш случайной метки в браузере.")
    )
    status = models.CharField(_("статус"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(_("ответы"), default=dict, encoder=DjangoJSONEncoder, blank=True)
    current_step = models.PositiveSmallIntegerField(_("текущий шаг"), default=0)
    unique_key = models.CharField(max_length=100, null=True, blank=True, editable=False)
    managed_by = models.CharField(
        _("кто ведёт ответ"),
        max_length=40,
        blank=True,
        editable=False,
        help_text=_(
            "Пусто — ответ на страницу-форму. Иначе приложение, которое хранит на движке свою запись "
            "(например, версии заявки на конкурс) и само решает, кто и когда её меняет."
        ),
    )
    created_at = models.DateTimeField(_("начат"), default=timezone.now)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)
    submitted_at = models.DateTimeField(_("отправлен"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ответ на форму")
        verbose_name_plural = _("ответы на формы")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            # One answer per person where the form says so: set on submit, checked by the database.
            models.UniqueConstraint(fields=["page", "unique_key"], name="form_submission_once_per_person"),
            models.UniqueConstraint(
                fields=["page", "user"],
                condition=Q(status="draft", user__isnull=False, managed_by=""),
                name="form_one_draft_per_user",
            ),
            models.UniqueConstraint(
                fields=["page", "respondent_key"],
                condition=Q(status="draft", user__isnull=True, managed_by="") & ~Q(respondent_key=""),
                name="form_one_draft_per_anonymous",
            ),
        ]
        indexes = [models.Index(fields=["page", "status"])]

    def __str__(self):
        return _("Ответ № %(number)d") % {"number": self.pk}

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def answers(self):
        """(item, stored, text) for every field of the version this submission was filled against."""
        return [
            (item, self.data.get(item.id), item.display(self.data.get(item.id))) for item in self.version.form.fields
        ]


def submission_file_path(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"forms/{instance.submission.page_id}/{instance.submission_id}/{uuid.uuid4().hex}.{extension}"


class SubmissionFile(models.Model):
    """An uploaded file kept in private storage; its name on disk never comes from the uploader."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    field_id = models.CharField(_("поле"), max_length=64)
    file = models.FileField(_("файл"), storage=private_storage, upload_to=submission_file_path, max_length=255)
    original_name = models.CharField(_("имя файла"), max_length=255)
    size = models.PositiveBigIntegerField(_("размер, байт"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("загружен"), default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        verbose_name = _("файл ответа")
        verbose_name_plural = _("файлы ответов")

    def __str__(self):
        return self.original_name

    def stored_value(self):
        return {"file_id": self.pk, "name": self.original_name, "size": self.size, "sha256": self.sha256}


class SurveyPage(AbstractFormPage):
    """A survey for residents on the form engine; its results page shows a chart per question."""

    class ResultsVisibility(models.TextChoices):
        PUBLIC = "public", _("всем, сразу")
        AFTER_CLOSE = "after_close", _("всем, после закрытия опроса")
        PRIVATE = "private", _("только сотрудникам платформы")

    allow_anonymous = models.BooleanField(
        _("можно без входа"),
        default=True,
        help_text=_("Повторы без входа отсекаются меткой в браузере и ограничением частоты с одного адреса."),
    )
    results_visibility = models.CharField(
        _("кому видны итоги"), max_length=20, choices=ResultsVisibility.choices, default=ResultsVisibility.AFTER_CLOSE
    )

    acceptance_panels = [*AbstractFormPage.acceptance_panels, FieldPanel("results_visibility")]
    edit_handler = form_edit_handler(acceptance_panels)

    page_description = _("Опрос жителей: вопросы из блоков, ответы без входа с защитой от повторов, итоги с графиками.")

    class Meta:
        verbose_name = _("опрос")
        verbose_name_plural = _("опросы")

    @path("results/", name="results")
    def results_view(self, request):
        from forms.survey_views import survey_results_page

        return survey_results_page(self, request)

    def results_url(self):
        return self.url + self.reverse_subpage("results")

    def public_results_url(self):
        """The results page's address while everyone may see it, else "" (for links on the survey's pages)."""
        from forms.results import results_visible_to

        return self.results_url() if results_visible_to(self, None) else ""


def export_file_path(instance, filename):
    return f"forms/exports/{instance.page_id}/{uuid.uuid4().hex}.{instance.format}"


class FormExport(models.Model):
    """A file of a form's submitted answers, built by a background task (forms.tasks.build_export).

    The file holds personal data: it lives in private storage and is served only by a permission-checked view.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX (Excel)"

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("собирается")
        DONE = "done", _("готова")
        FAILED = "failed", _("не удалась")

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="form_exports", verbose_name=_("форма")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="form_exports",
        verbose_name=_("кто запросил"),
    )
    format = models.CharField(_("формат"), max_length=10, choices=Format.choices)
    status = models.CharField(_("состояние"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("ответов всего"), default=0)
    done = models.PositiveIntegerField(_("ответов записано"), default=0)
    file = models.FileField(_("файл"), storage=private_storage, upload_to=export_file_path, max_length=255, blank=True)
    error = models.TextField(_("ошибка"), blank=True)
    created_at = models.DateTimeField(_("запрошена"), default=timezone.now)
    finished_at = models.DateTimeField(_("завершена"), null=True, blank=True)

    class Meta:
        verbose_name = _("выгрузка ответов")
        verbose_name_plural = _("выгрузки ответов")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return _("Выгрузка № %(number)d") % {"number": self.pk}

    @property
    def is_finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    def download_name(self):
        return f"{self.page.slug}-otvety-{localtime(self.created_at):%Y-%m-%d-%H%M}.{self.format}"
