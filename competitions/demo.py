"""Demo content of the competitions app: «Конкурсы», the initiative-budgeting competition of domain.md §8.5 and a TOS
development competition, a demo secretary, and applications of the demo TOS in every status the secretary meets.

Applications go through the same services as the cabinet and the API (competitions.applications, .review,
.reports), so the demo holds exactly what the interface would: numbers, frozen versions with hashes, history,
decisions, opened reports. The services queue e-mails; they go to the demo accounts at example.org (in the embedded
default, to the console).
"""

import io
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw
from wagtail.documents import get_document_model

from accounts.roles import SECRETARY
from competitions import applications, reports, review
from competitions.models import (
    ApplicantType,
    Application,
    CompetitionIndexPage,
    CompetitionKind,
    CompetitionPage,
    ReportForm,
    StageKind,
)
from tos.demo import LEADER, PROFILES, draw_scene, ensure_demo_user, ensure_in_menu
from tos.models import TOSProfilePage
from website.demo_registry import register
from website.models import HomePage, Municipality

SECRETARY_ACCOUNT = {
    "username": "sekretar.demo",
    "email": "sekretar.demo@example.org",
    "first_name": "Елена",
    "middle_name": "Викторовна",
    "last_name": "Морозова",
}

# --- Dates --------------------------------------------------------------------------------------------------------
# domain.md §8.5 has projects accepted 01.03–31.03.2026. The demo must show an open intake whenever it is loaded
# (`make run` today or in a year), so the intake closes on 31.03.2026 or 30 days after the day of loading, whichever
# is later, at 23:59 Moscow time: a visitor always has a month to try an application, and the countdown shows it.
# The later stages keep the lengths §8.5 gives them after the intake (to 10.04, 25.04, 30.04, 30.10, 30.11).

INTAKE_OPENS = date(2026, 3, 1)
PLANNED_INTAKE_CLOSES = date(2026, 3, 31)
DAYS_OPEN_AT_LEAST = 30


def intake_closes():
    return max(PLANNED_INTAKE_CLOSES, timezone.localdate() + timedelta(days=DAYS_OPEN_AT_LEAST))


def _start_of(day):
    return datetime.combine(day, time(0, 0), tzinfo=timezone.get_default_timezone())


def _end_of(day):
    return datetime.combine(day, time(23, 59), tzinfo=timezone.get_default_timezone())


def _stages(rows, closes):
    """Stage rows (kind, title, first day, last day or days after the intake closes) as moments in Moscow time."""
    stages = []
    previous_end = None
    for kind, title, first, last, description in rows:
        last_day = closes + timedelta(days=last) if isinstance(last, int) else last
        first_day = first or previous_end + timedelta(days=1)
        stages.append(
            {
                "kind": kind,
                "title": title,
                "starts_at": _start_of(first_day),
                "ends_at": _end_of(last_day),
                "description": description,
            }
        )
        previous_end = last_day
    return stages


# --- Form blocks --------------------------------------------------------------------------------------------------


def _block(form, block_type, label=None, *, code="", **value):
    """A block in StreamField's raw shape with an id fixed by the form and the code, the same on every install."""
    if label is not None:
        value = {"label": label, "required": True, "code": code, **value}
    key = code or value.get("title", "")
    return {
        "type": block_type,
        "value": value,
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"competitions-demo/{form}/{key}")),
    }


def _step(form, title, description=""):
    return _block(form, "step", title=title, description=description)


def field_id(form, code):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"competitions-demo/{form}/{code}"))


CONSENT = (
    "<p>В соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных» я даю согласие "
    "организатору конкурса на обработку персональных данных, указанных в заявке и приложенных документах (сбор, "
    "запись, систематизацию, хранение, уточнение, использование, обезличивание, удаление), в целях рассмотрения "
    "заявки, подведения итогов конкурса и контроля реализации проекта. Согласие действует до достижения цели "
    "обработки и может быть отозвано письменным заявлением.</p>"
)

IB = "ib-2026"
IB_FORM = [
    _step(IB, "О проекте", "Проблема, которую решает проект, и где он будет реализован."),
    _block(IB, "long_text", "Описание проблемы, которую решает проект", code="problem", max_length=3000),
    _block(
        IB,
        "long_text",
        "Обоснование: почему проект важен для жителей",
        code="justification",
        max_length=3000,
        help_text="Сколько лет проблема не решается, на что жалуются жители, кого она касается.",
    ),
    _block(IB, "long_text", "Ожидаемый результат", code="result", max_length=2000),
    _block(
        IB,
        "number",
        "Число благополучателей",
        code="beneficiaries",
        integer_only=True,
        min_value="1",
        unit="чел.",
        help_text="Сколько жителей будут пользоваться результатом проекта.",
    ),
    _block(IB, "municipality", "Муниципальное образование", code="municipality"),
    _block(
        IB,
        "short_text",
        "Территория реализации: адрес или ориентир",
        code="address",
        max_length=300,
        help_text="Например: «двор домов № 3 и 5 по ул. Примерной».",
    ),
    _step(IB, "Участие жителей", "Как жители выбрали проект и чем помогут."),
    _block(IB, "date", "Дата собрания жителей", code="meeting_date"),
    _block(
        IB,
        "number",
        "Сколько жителей участвовало в собрании",
        code="meeting_people",
        integer_only=True,
        min_value="1",
        unit="чел.",
    ),
    _block(
        IB,
        "percent",
        "Доля жителей старше 16 лет, поддержавших проект",
        code="support_share",
        help_text="От числа жителей территории старше 16 лет: по протоколу собрания и подписным листам.",
    ),
    _block(
        IB,
        "long_text",
        "Трудовое участие жителей",
        code="labour",
        max_length=2000,
        help_text="Какие работы жители сделают сами, сколько человек и дней (например, «посадка кустарника, 20 "
        "человек, 2 субботника»).",
    ),
    _step(IB, "Документы", "Сканы или фотографии документов. Файлы видят только вы и секретарь конкурса."),
    _block(
        IB,
        "file",
        "Протокол собрания жителей или подписные листы",
        code="protocol",
        allowed_extensions="pdf, jpg, png",
        max_size_mb=10,
    ),
    _block(IB, "file", "Фотографии территории до начала работ", code="photo", allowed_extensions="jpg, png"),
    _block(IB, "file", "Предварительная смета", code="estimate", allowed_extensions="pdf, xlsx"),
    _block(
        IB,
        "file",
        "Подтверждение прав на землю или согласие собственника участка",
        code="land",
        allowed_extensions="pdf, jpg, png",
    ),
    _block(
        IB,
        "file",
        "Гарантийные письма о софинансировании",
        code="guarantees",
        allowed_extensions="pdf, jpg, png",
        required=False,
        help_text="Если проект софинансируют предприниматели или организации.",
    ),
    _block(
        IB,
        "file",
        "Копия устава ТОС и решение органа ТОС о выдвижении проекта",
        code="tos_charter",
        allowed_extensions="pdf, jpg, png",
        required=False,
        help_text="Только для заявок от ТОС.",
    ),
    _block(IB, "consent", "Я даю согласие на обработку персональных данных", code="consent", text=CONSENT),
]

IB_PROGRESS = "ib-2026-progress"
IB_FINANCIAL = "ib-2026-financial"
IB_FINAL = "ib-2026-final"
IB_REPORTS = [
    {
        "kind": ReportForm.Kind.PROGRESS,
        "title": "Промежуточный отчёт о ходе реализации",
        "due": 183,
        "fields": [
            _block(IB_PROGRESS, "long_text", "Что сделано на сегодня", code="done", max_length=3000),
            _block(IB_PROGRESS, "percent", "Готовность работ", code="readiness"),
            _block(
                IB_PROGRESS,
                "file",
                "Фотографии хода работ",
                code="photos",
                allowed_extensions="jpg, png, pdf",
                required=False,
            ),
        ],
    },
    {
        "kind": ReportForm.Kind.FINANCIAL,
        "title": "Финансовый отчёт",
        "due": 244,
        "fields": [
            _block(
                IB_FINANCIAL,
                "rows",
                "Расходы по статьям",
                code="expenses",
                item_label="Статья расходов",
                min_rows=1,
                max_rows=50,
            ),
            _block(
                IB_FINANCIAL,
                "money",
                "Получено софинансирования от жителей",
                code="residents_money",
                min_value="0",
            ),
            _block(
                IB_FINANCIAL,
                "file",
                "Платёжные документы: договоры, акты, платёжные поручения",
                code="payments",
                allowed_extensions="pdf, zip",
                max_size_mb=30,
            ),
        ],
    },
    {
        "kind": ReportForm.Kind.FINAL,
        "title": "Итоговый отчёт",
        "due": 244,
        "fields": [
            _block(IB_FINAL, "long_text", "Результаты проекта", code="results", max_length=5000),
            _block(IB_FINAL, "number", "Сколько жителей пользуются результатом", code="users", integer_only=True),
            _block(IB_FINAL, "file", "Фотографии результата", code="photos", allowed_extensions="jpg, png, pdf"),
        ],
    },
]

IB_COMPETITION = {
    "title": "Конкурсный отбор инициативных проектов 2026 (демо)",
    "slug": "konkursnyj-otbor-iniciativnyh-proektov-2026-demo",
    "kind": "ИБ",
    "year": 2026,
    "organiser": "Администрация муниципального образования (демо)",
    "legal_basis": (
        "Демонстрационный текст. Порядок составлен по образцу Положения о порядке выдвижения, внесения, "
        "обсуждения, рассмотрения инициативных проектов, а также проведения их конкурсного отбора в МО «Город "
        "Калуга» (решение Городской Думы г. Калуги от 27.01.2021 № 14), ст. 26.1 Федерального закона от 06.10.2003 "
        "№ 131-ФЗ."
    ),
    "summary": "Инициативные проекты жителей и ТОС: до 1,5 млн ₽ на проект, софинансирование жителей от 3 %.",
    "description": (
        "<p>Жители, инициативные группы и ТОС предлагают проекты благоустройства своей территории, а "
        "муниципалитет финансирует лучшие из них. <i>Демонстрационный конкурс: заявки по нему не рассматриваются.</i>"
        "</p>"
        "<h2>Деньги</h2>"
        "<ul><li>Фонд конкурса — 5 000 000 ₽, на один проект — не больше 1 500 000 ₽.</li>"
        "<li>Фонд складывается из бюджетов так: 90 % — областной бюджет, 10 % — бюджет муниципального образования. "
        "Это распределение денег фонда, а не требование к заявителю: вкладывать деньги муниципалитета в заявку "
        "не нужно.</li>"
        "<li>Требование к заявителю одно: жители вносят не меньше 3 % полной стоимости проекта деньгами или "
        "трудовым участием. Полная стоимость — запрошенная сумма плюс всё софинансирование (жителей, бизнеса, "
        "других источников). Вклад бизнеса приветствуется, но в эти 3 % не входит.</li></ul>"
        "<h2>Кто может подать</h2>"
        "<p>Инициативная группа не меньше 10 жителей старше 16 лет или ТОС (заявку от ТОС подаёт председатель).</p>"
    ),
    "how_to_apply": (
        "<ol><li>Проведите собрание жителей и оформите протокол или соберите подписи.</li>"
        "<li>Войдите на сайт и нажмите «Подать заявку» на этой странице. Черновик сохраняется после каждого шага — "
        "можно вернуться к нему из личного кабинета.</li>"
        "<li>Заполните форму, приложите документы, укажите запрашиваемую сумму и софинансирование: доли "
        "посчитаются сами.</li>"
        "<li>Нажмите «Подать заявку» до окончания приёма (время московское). Заявка получит номер, письмо "
        "с номером придёт на вашу почту.</li></ol>"
    ),
    "fund": Decimal("5000000"),
    "max_per_project": Decimal("1500000"),
    "min_group_size": 10,
    "correction_days": 5,
    "application_form": IB_FORM,
}

IB_STAGES = [
    (
        StageKind.OTHER,
        "Заявки на определение территории",
        date(2026, 2, 1),
        date(2026, 2, 20),
        "Инициаторы подают в администрацию заявки на определение территории, где будет реализован проект.",
    ),
    (StageKind.INTAKE, "Приём проектов", INTAKE_OPENS, 0, "Заявки с документами принимаются на этом сайте."),
    (StageKind.DOCUMENT_CHECK, "Проверка документов", None, 10, "Секретарь проверяет комплектность документов."),
    (StageKind.EXPERT_REVIEW, "Оценка комиссией", None, 25, "Конкурсная комиссия оценивает проекты по критериям."),
    (StageKind.RESULTS, "Публикация итогов", None, 30, "Итоги отбора публикуются на этой странице."),
    (StageKind.IMPLEMENTATION, "Реализация проектов", None, 213, "Работы по проектам-победителям."),
    (StageKind.REPORTING, "Отчёт о реализации", None, 244, "Победители сдают финансовый и итоговый отчёты."),
]

IB_REQUIRED = [
    ("Заявка", "Заполненная форма на этом сайте.", "all"),
    ("Протокол собрания жителей или подписные листы (16+)", "Подписи председателя и секретаря собрания.", "all"),
    ("Описание проекта: проблема, обоснование, результат", "Шаг «О проекте» формы заявки.", "all"),
    ("Предварительная смета", "С расчётом по позициям; допускается расчёт калькулятором платформы.", "all"),
    ("Гарантийные письма о софинансировании", "Если в софинансировании участвуют бизнес или организации.", "all"),
    ("Фотографии территории", "Текущее состояние, 3–5 снимков.", "all"),
    ("Подтверждение прав на землю или согласие собственника", "", "all"),
    ("Копия устава ТОС и решение органа ТОС", "", "tos"),
]

# --- The TOS competition ------------------------------------------------------------------------------------------

TOS_FORM_KEY = "tos-2026"
TOS_FORM = [
    _step(TOS_FORM_KEY, "Практика"),
    _block(TOS_FORM_KEY, "long_text", "Описание практики", code="practice", max_length=5000),
    _block(TOS_FORM_KEY, "date_range", "Сроки реализации", code="period"),
    _block(TOS_FORM_KEY, "number", "Сколько жителей участвовало", code="participants", integer_only=True, unit="чел."),
    _block(TOS_FORM_KEY, "long_text", "Результаты и как их сохранят", code="results", max_length=3000),
    _step(TOS_FORM_KEY, "Документы"),
    _block(TOS_FORM_KEY, "file", "Фотографии практики", code="photos", allowed_extensions="jpg, png, pdf"),
    _block(TOS_FORM_KEY, "file", "Копия устава ТОС", code="charter", allowed_extensions="pdf, jpg, png, txt"),
    _block(TOS_FORM_KEY, "consent", "Я даю согласие на обработку персональных данных", code="consent", text=CONSENT),
]

TOS_COMPETITION = {
    "title": "Лучшая практика развития ТОС 2026 (демо)",
    "slug": "luchshaya-praktika-razvitiya-tos-2026-demo",
    "kind": "ТОС",
    "year": 2026,
    "organiser": "Администрация Губернатора Калужской области, управление по взаимодействию с ОМСУ (демо)",
    "legal_basis": (
        "Демонстрационный текст по образцу ведомственной целевой программы «Развитие территориального "
        "общественного самоуправления в Калужской области» (распоряжение от 16.08.2019 № 163-ра)."
    ),
    "summary": "Конкурс практик ТОС в двух номинациях; у каждой номинации свой фонд.",
    "description": (
        "<p>Конкурс для ТОС, которые уже сделали что-то для своей территории: благоустроили сквер, восстановили "
        "памятник, организовали спортивную секцию. <i>Демонстрационный конкурс: заявки по нему не "
        "рассматриваются.</i></p>"
        "<h2>Номинации</h2><ul><li>«Благоустройство, охрана памятников» — фонд 1 200 000 ₽;</li>"
        "<li>«Здоровый образ жизни, физкультура и спорт» — фонд 800 000 ₽.</li></ul>"
        "<p>Жители вносят не меньше 5 % стоимости проекта деньгами или трудом.</p>"
    ),
    "how_to_apply": (
        "<p>Заявку подаёт председатель ТОС или член совета с правом правки профиля ТОС: войдите на сайт, "
        "нажмите «Подать заявку», выберите ТОС и номинацию.</p>"
    ),
    "fund": Decimal("2000000"),
    "max_per_project": Decimal("300000"),
    "accepts_groups": False,
    "correction_days": 5,
    "application_form": TOS_FORM,
}

TOS_STAGES = [
    (StageKind.INTAKE, "Приём заявок", INTAKE_OPENS, 0, ""),
    (StageKind.DOCUMENT_CHECK, "Проверка документов", None, 10, ""),
    (StageKind.EXPERT_REVIEW, "Работа конкурсной комиссии", None, 30, ""),
    (StageKind.RESULTS, "Объявление победителей", None, 40, ""),
    (StageKind.IMPLEMENTATION, "Реализация", None, 213, ""),
    (StageKind.REPORTING, "Отчёт", None, 244, ""),
]

TOS_NOMINATIONS = [
    ("Благоустройство, охрана памятников", Decimal("1200000")),
    ("Здоровый образ жизни, физкультура и спорт", Decimal("800000")),
]
TOS_FINAL = "tos-2026-final"
TOS_REPORTS = [
    {
        "kind": ReportForm.Kind.FINAL,
        "title": "Итоговый отчёт",
        "due": 244,
        "fields": [
            _block(TOS_FINAL, "long_text", "Что сделано", code="done", max_length=5000),
            _block(TOS_FINAL, "file", "Фотографии", code="photos", allowed_extensions="jpg, png, pdf"),
        ],
    }
]

REGULATION_TEXT = """ПОЛОЖЕНИЕ О КОНКУРСНОМ ОТБОРЕ ИНИЦИАТИВНЫХ ПРОЕКТОВ (ДЕМО)

Демонстрационный документ: текст сокращён и не имеет юридической силы.

1. Инициативный проект выдвигают инициативная группа численностью не менее 10 граждан старше 16 лет,
   органы территориального общественного самоуправления и другие инициаторы, указанные в ст. 26.1
   Федерального закона № 131-ФЗ.
2. Проект содержит описание проблемы, обоснование, ожидаемый результат, предварительный расчёт затрат,
   сроки реализации, сведения о планируемом финансовом и трудовом участии жителей, территорию реализации.
3. Жители вносят не менее 3 % стоимости проекта деньгами (инициативные платежи) или трудовым участием.
4. Комиссия оценивает проекты по критериям, утверждённым администрацией, и публикует итоги.
"""


# --- Demo files ---------------------------------------------------------------------------------------------------


def _scan(title):
    """A one-page PDF that looks like a scanned paper (grey lines for text): no fonts needed, a real PDF."""
    page = Image.new("RGB", (595, 842), "#ffffff")
    draw = ImageDraw.Draw(page)
    draw.rectangle([150, 60, 445, 78], fill="#555555")
    for row in range(28):
        y = 120 + row * 24
        width = 470 if row % 7 != 6 else 260
        draw.rectangle([62, y, 62 + width, y + 8], fill="#bdbdbd")
    draw.rectangle([360, 790, 530, 796], fill="#555555")
    buffer = io.BytesIO()
    page.save(buffer, "PDF", title=title)
    return buffer.getvalue()


def _pdf(name, title):
    return SimpleUploadedFile(name, _scan(title), content_type="application/pdf")


def _photo(name, scene):
    return SimpleUploadedFile(name, draw_scene(scene), content_type="image/jpeg")


# --- Loader -------------------------------------------------------------------------------------------------------


def _ensure_index(home, log):
    index = CompetitionIndexPage.objects.filter(locale=home.locale).first()
    if index is None:
        index = CompetitionIndexPage(
            locale=home.locale,
            title="Конкурсы",
            slug="konkursy",
            show_in_menus=True,
            intro=(
                "<p>Конкурсы инициативных проектов и проектов ТОС Калужской области: сроки, условия, формы заявок "
                "и итоги. Заявку подают на странице конкурса, черновики и статусы — в личном кабинете.</p>"
            ),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
        index.refresh_from_db()
        log(f"страница «{index.title}» опубликована")
    return index


def _regulation(log):
    Document = get_document_model()
    title = "Положение о конкурсном отборе инициативных проектов (демо)"
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(
            title=title, file=ContentFile(REGULATION_TEXT.encode("utf-8"), name="polozhenie-o-konkurse-demo.txt")
        )
        document.save()
        log(f"документ «{title}» загружен")
    return document


def _ensure_competition(index, spec, stages, reports_spec, log, *, rules, required, nominations=(), documents=()):
    page = CompetitionPage.objects.filter(slug=spec["slug"]).first()
    if page is not None:
        return page
    closes = intake_closes()
    fields = {**spec, "kind": CompetitionKind.objects.get(number_prefix=spec["kind"])}
    page = CompetitionPage(locale=index.locale, **fields)
    for stage in _stages(stages, closes):
        page.stages.add(page.stages.model(**stage))
    for source, share, kinds in rules:
        page.cofinancing_rules.add(page.cofinancing_rules.model(source=source, min_share=Decimal(share), **kinds))
    for title, description, applies_to in required:
        page.required_documents.add(
            page.required_documents.model(title=title, description=description, applies_to=applies_to)
        )
    for name, fund in nominations:
        page.nominations.add(page.nominations.model(name=name, fund=fund))
    for title, document in documents:
        page.documents.add(page.documents.model(title=title, document=document))
    for report in reports_spec:
        page.report_forms.add(
            page.report_forms.model(
                kind=report["kind"],
                title=report["title"],
                due_at=_end_of(closes + timedelta(days=report["due"])),
                fields=report["fields"],
            )
        )
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    log(f"конкурс «{page.title}» опубликован, приём заявок до {_end_of(closes):%d.%m.%Y %H:%M} (мск)")
    return page


class DemoError(RuntimeError):
    """The demo's own data broke a rule of the services: a bug in this module, never the visitor's input."""


def _saved(result):
    if not result.ok:
        raise DemoError("; ".join(f"{item.label if item else ''}: {message}" for item, message in result.errors))
    return result


def _fill_steps(application, user, steps):
    for index, (data, files) in enumerate(steps):
        application.refresh_from_db()
        _saved(
            applications.save_step(
                application, user, index, data, files, revision=application.revision, next_step=index + 1
            )
        )


def _ib_steps(project, municipality):
    ids = {block["value"].get("code"): block["id"] for block in IB_FORM if block["type"] != "step"}
    about = {
        ids["problem"]: project["problem"],
        ids["justification"]: project["justification"],
        ids["result"]: project["result"],
        ids["beneficiaries"]: str(project["beneficiaries"]),
        ids["municipality"]: str(municipality.pk),
        ids["address"]: project["address"],
    }
    residents = {
        ids["meeting_date"]: "2026-02-14",
        ids["meeting_people"]: str(project["meeting_people"]),
        ids["support_share"]: project["support_share"],
        ids["labour"]: project["labour"],
    }
    slug = project["key"]
    documents = {ids["consent"]: "on"}
    files = {
        ids["protocol"]: _pdf(f"protokol-sobraniya-{slug}.pdf", "Протокол собрания жителей (демо)"),
        ids["photo"]: _photo(f"foto-territorii-{slug}.jpg", project["scene"]),
        ids["estimate"]: _pdf(f"smeta-{slug}.pdf", "Предварительная смета (демо)"),
        ids["land"]: _pdf(f"soglasie-sobstvennika-{slug}.pdf", "Согласие собственника участка (демо)"),
        ids["tos_charter"]: _pdf(f"ustav-tos-{slug}.pdf", "Устав ТОС и решение совета ТОС (демо)"),
    }
    return [(about, {}), (residents, {}), (documents, files)]


IB_PROJECTS = [
    {
        "key": "awarded",
        "status": Application.Status.AWARDED,
        "title": "Детская площадка «Солнышко» во дворе ул. Примерной, 5 (демо)",
        "problem": "Во дворе пяти домов нет детской площадки: дети играют на проезде между машинами.",
        "justification": "Во дворе живут 180 детей до 12 лет; жители третий год просят площадку на собраниях ТОС.",
        "result": "Площадка 600 м² с качелями, горкой, песочницей и резиновым покрытием, скамейки для родителей.",
        "beneficiaries": 650,
        "address": "двор домов № 3–7 по ул. Примерной (демо)",
        "meeting_people": 86,
        "support_share": "12,5",
        "labour": "Субботники: подготовка участка и посадка кустарника, 25 человек, 2 дня.",
        "scene": "courtyard",
        "requested": "1200000",
        "ledger": [
            {"source": "residents", "kind": "money", "amount": "24000", "note": "инициативные платежи 120 семей"},
            {"source": "residents", "kind": "labour", "amount": "20000", "note": "50 человеко-дней по 400 ₽"},
            {"source": "business", "kind": "in_kind", "amount": "60000", "note": "песок и щебень от ООО «Пример»"},
        ],
        "award": "1200000",
    },
    {
        "key": "admitted",
        "status": Application.Status.ADMITTED,
        "title": "Спортивная площадка у дома № 9 (демо)",
        "problem": "Подросткам негде заниматься спортом: ближайший стадион в трёх километрах.",
        "justification": "На собрании 9 из 10 участников поддержали площадку; рядом школа без своей площадки.",
        "result": "Площадка с воркаут-комплексом, теннисным столом и ограждением.",
        "beneficiaries": 420,
        "address": "ул. Примерная, у дома № 9 (демо)",
        "meeting_people": 64,
        "support_share": "9",
        "labour": "Покраска ограждения и уборка территории, 15 человек.",
        "scene": "sports_ground",
        "requested": "900000",
        "ledger": [{"source": "residents", "kind": "money", "amount": "30000", "note": "сбор на собрании"}],
    },
    {
        "key": "correction",
        "status": Application.Status.CORRECTION,
        "title": "Тротуар вдоль ул. Примерной (демо)",
        "problem": "Вдоль домов № 1–15 нет тротуара: весной и осенью жители идут к остановке по грязи.",
        "justification": "По дороге к остановке ходят около 800 человек в день, в том числе школьники.",
        "result": "Тротуар из плитки длиной 320 м с бордюром и понижениями у переходов.",
        "beneficiaries": 800,
        "address": "ул. Примерная, д. 1–15, чётная сторона (демо)",
        "meeting_people": 52,
        "support_share": "6",
        "labour": "Уборка территории перед работами, 10 человек.",
        "scene": "courtyard",
        "requested": "1450000",
        "ledger": [{"source": "residents", "kind": "money", "amount": "46000", "note": "инициативные платежи"}],
        "return": {
            "missing": "Протокол собрания жителей или подписные листы (16+)",
            "note": "В протоколе нет подписи секретаря собрания.",
            "reasons": (
                "Протокол собрания не подписан секретарём собрания — приложите подписанный протокол. В смете нет "
                "позиции на бордюр, хотя он есть в описании результата: дополните смету."
            ),
        },
    },
    {
        "key": "submitted",
        "status": Application.Status.SUBMITTED,
        "title": "Освещение двора ул. Примерной (демо)",
        "problem": "Вечером двор не освещён: у подъездов и на дорожке к остановке темно.",
        "justification": "Жители жалуются на падения зимой; освещение выбрано общим собранием ТОС.",
        "result": "12 светодиодных светильников на опорах вдоль дорожки и у подъездов.",
        "beneficiaries": 700,
        "address": "двор домов № 1–11 по ул. Примерной (демо)",
        "meeting_people": 71,
        "support_share": "10",
        "labour": "Жители не участвуют трудом: работы выполняет электромонтажная организация.",
        "scene": "courtyard",
        "requested": "780000",
        "ledger": [{"source": "residents", "kind": "money", "amount": "26000", "note": "инициативные платежи"}],
    },
    {
        "key": "draft",
        "status": Application.Status.DRAFT,
        "title": "Зона отдыха у пруда (демо)",
        "problem": "Берег пруда зарос, нет ни скамеек, ни урн.",
    },
]


def _required_checklist(application, missing=None, note=""):
    return {
        row["document_id"]: {"ok": row["document"] != missing, "note": note if row["document"] == missing else ""}
        for row in review.checklist_for(application)
    }


def _ib_application(competition, leader, tos, secretary, municipality, project, log):
    application, created = applications.start(
        competition,
        leader,
        start_key=f"demo:{competition.slug}:{project['key']}",
        applicant_type=ApplicantType.TOS,
        title=project["title"],
        tos=tos,
    )
    if not created:
        return application
    if project["status"] == Application.Status.DRAFT:
        ids = {block["value"].get("code"): block["id"] for block in IB_FORM if block["type"] != "step"}
        _saved(
            applications.save_step(
                application, leader, 0, {ids["problem"]: project["problem"]}, {}, revision=application.revision
            )
        )
        log(f"черновик «{application.title}»")
        return application
    _fill_steps(application, leader, _ib_steps(project, municipality))
    application.refresh_from_db()
    applications.update_details(
        application,
        leader,
        revision=application.revision,
        title=application.title,
        requested_amount=Decimal(project["requested"]),
        ledger=project["ledger"],
    )
    applications.submit(application, leader)
    application.refresh_from_db()
    status = project["status"]
    if status == Application.Status.CORRECTION:
        returned = project["return"]
        review.decide(
            application,
            secretary,
            decision="return",
            checklist=_required_checklist(application, returned["missing"], returned["note"]),
            reasons=returned["reasons"],
        )
    elif status in {Application.Status.ADMITTED, Application.Status.AWARDED}:
        review.decide(application, secretary, decision="admit", checklist=_required_checklist(application))
    if status == Application.Status.AWARDED:
        review.award(application, secretary, amount=Decimal(project["award"]))
        _submit_progress_report(application, leader)
    application.refresh_from_db()
    log(f"заявка {application.number} «{application.title}» — {application.get_status_display()}")
    return application


def _submit_progress_report(application, leader):
    report = application.reports.get(report_form__kind=ReportForm.Kind.PROGRESS)
    ids = {block["value"]["code"]: block["id"] for block in IB_REPORTS[0]["fields"]}
    data = {
        ids["done"]: "Подготовлено основание, установлены качели и горка; резиновое покрытие уложат в октябре.",
        ids["readiness"]: "60",
    }
    files = {ids["photos"]: _photo("hod-rabot-solnyshko.jpg", "playground_with_children")}
    _saved(reports.save_step(report, leader, 0, data, files, revision=report.revision))
    reports.submit(report, leader)


def _tos_application(competition, leader, tos, log):
    application, created = applications.start(
        competition,
        leader,
        start_key=f"demo:{competition.slug}:alley",
        applicant_type=ApplicantType.TOS,
        title="Аллея памяти (демо)",
        tos=tos,
        nomination=competition.nominations.get(name=TOS_NOMINATIONS[0][0]),
    )
    if not created:
        return application
    ids = {block["value"].get("code"): block["id"] for block in TOS_FORM if block["type"] != "step"}
    practice = {
        ids["practice"]: "Жители высадили аллею из 40 лип в память о земляках — участниках Великой Отечественной войны "
        "и поставили у аллеи информационный стенд с их именами.",
        f"{ids['period']}_start": "2024-04-20",
        f"{ids['period']}_end": "2024-10-05",
        ids["participants"]: "120",
        ids["results"]: "Аллея ухожена: совет ТОС проводит два субботника в год, школьники ведут страницу памяти.",
    }
    documents = {ids["consent"]: "on"}
    files = {
        ids["photos"]: _photo("alleya-pamyati.jpg", "memorial_alley"),
        ids["charter"]: _pdf("ustav-tos.pdf", "Устав ТОС (демо)"),
    }
    _fill_steps(application, leader, [(practice, {}), (documents, files)])
    application.refresh_from_db()
    applications.update_details(
        application,
        leader,
        revision=application.revision,
        title=application.title,
        requested_amount=Decimal("250000"),
        ledger=[{"source": "residents", "kind": "labour", "amount": "15000", "note": "посадка лип, 30 человеко-дней"}],
        nomination=application.nomination,
    )
    applications.submit(application, leader)
    application.refresh_from_db()
    log(f"заявка {application.number} «{application.title}» — {application.get_status_display()}")
    return application


@register(order=30, name=_("Конкурсы: инициативные проекты и ТОС 2026, секретарь, заявки во всех статусах"))
def load_competitions(log):
    home = HomePage.objects.get(locale__language_code="ru", depth=2)
    index = _ensure_index(home, log)
    ensure_in_menu(index, log)
    initiative = _ensure_competition(
        index,
        IB_COMPETITION,
        IB_STAGES,
        IB_REPORTS,
        log,
        rules=[("residents", "3", {"counts_money": True, "counts_labour": True})],
        required=IB_REQUIRED,
        documents=[("Положение о конкурсном отборе (демо)", _regulation(log))],
    )
    tos_contest = _ensure_competition(
        index,
        TOS_COMPETITION,
        TOS_STAGES,
        TOS_REPORTS,
        log,
        rules=[("residents", "5", {"counts_money": True, "counts_labour": True})],
        required=[("Копия устава ТОС", "", "tos"), ("Фотографии практики", "3–10 снимков.", "all")],
        nominations=TOS_NOMINATIONS,
    )
    secretary = ensure_demo_user(SECRETARY_ACCOUNT, SECRETARY, log)
    leader = get_user_model().objects.get(email__iexact=LEADER["email"])
    tos = TOSProfilePage.objects.get(slug=PROFILES[0]["page"]["slug"])
    municipality = Municipality.objects.get(pk=tos.municipality_id)
    for project in IB_PROJECTS:
        _ib_application(initiative, leader, tos, secretary, municipality, project, log)
    _tos_application(tos_contest, leader, tos, log)
