"""Demo content of the competitions app: «Конкурсы», the initiative-budgeting competition of domain.md §8.5 and a TOS
development competition, a demo secretary, and applications of the demo TOS in every status the secretary meets;
an expert pool with a demo expert, and last year's initiative-budgeting competition with its expert review finished
and its results published.

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

from accounts.roles import EXPERT, SECRETARY
from competitions import applications, assignment, declarations, reports, review, scoring
from competitions.criteria import CommentRule, ComputedSource
from competitions.models import (
    ApplicantType,
    Application,
    CompetitionIndexPage,
    CompetitionKind,
    CompetitionPage,
    Expert,
    ExpertAssignment,
    ExpertTie,
    ReportForm,
    StageKind,
)
from competitions.ranking import EARLIER_SUBMISSION, RESIDENTS_SHARE, SKIP
from tos.demo import LEADER, PROFILES, RESIDENT, draw_scene, ensure_demo_user, ensure_in_menu
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

# --- The scoring sheet --------------------------------------------------------------------------------------------
# Criteria modelled on ППМИ-type rules and the ФПГ practice of participation-anchors.md §4: experts score four
# criteria 0–10 against band descriptors, the platform adds points for the residents' share (domain.md §8.5, row 1).

SHEET = "ib-sheet"
BAND_EDGES = [("0", "2"), ("3", "5"), ("6", "8"), ("9", "10")]


def _items(key, values):
    """List-block items with ids fixed like the blocks' own: an editor who saves the page unchanged keeps the sheet
    byte for byte, which matters once scoring has begun and the sheet is locked."""
    return [{"type": "item", "value": value, "id": field_id(SHEET, f"{key}/{n}")} for n, value in enumerate(values)]


def _criterion(code, name, description, weight, band_texts, comment_rule, threshold=None, weight_rules=()):
    """An expert criterion on a 0–10 scale in whole points, its four bands described by ``band_texts``."""
    return {
        "type": "criterion",
        "id": field_id(SHEET, code),
        "value": {
            "name": name,
            "description": description,
            "code": code,
            "min_score": "0",
            "max_score": "10",
            "step": "1",
            "bands": _items(
                f"{code}/bands",
                [
                    {"low": low, "high": high, "text": text}
                    for (low, high), text in zip(BAND_EDGES, band_texts, strict=True)
                ],
            ),
            "weight": weight,
            "weight_rules": _items(
                f"{code}/weight_rules",
                [
                    {"nomination": nomination, "amount_from": low, "amount_to": high, "weight": special}
                    for nomination, low, high, special in weight_rules
                ],
            ),
            "comment_rule": comment_rule,
            "comment_threshold": threshold,
        },
    }


RELEVANCE, RESIDENTS_INPUT, BUDGET, SUSTAINABILITY = "relevance", "residents_input", "budget", "sustainability"
RESIDENTS_SHARE_POINTS = "residents_share"
RECOMMENDATION = "recommendation"

IB_SHEET = [
    _criterion(
        RELEVANCE,
        "Актуальность и социальная значимость",
        "Насколько острая проблема, скольких жителей она касается, подтверждена ли она фактами: обращениями, "
        "фотографиями, протоколом собрания.",
        "3",
        [
            "Проблема не описана или не относится к вопросам местного значения.",
            "Проблема названа, но не подтверждена: нет фактов, непонятно, скольких жителей она касается.",
            "Проблема подтверждена фактами и касается многих жителей.",
            "Острая, давно не решаемая проблема всей территории, подтверждена обращениями жителей и данными.",
        ],
        CommentRule.AT_OR_BELOW,
        "4",
    ),
    _criterion(
        RESIDENTS_INPUT,
        "Вклад жителей",
        "Как жители выбирали проект (собрание, подписи) и что вносят сами: деньги, труд, материалы.",
        "2",
        [
            "Жители в выборе проекта не участвовали, своего вклада нет.",
            "Проект выбран узким кругом; вклад — только деньги на уровне обязательного минимума.",
            "Проект выбран на собрании, жители вносят деньги и участвуют трудом.",
            "Широкая поддержка (подписи большинства жителей), заметный денежный и трудовой вклад, план субботников.",
        ],
        CommentRule.OPTIONAL,
    ),
    _criterion(
        BUDGET,
        "Реалистичность сметы",
        "Все ли работы учтены, соответствуют ли объёмы и цены рынку и сметным справочникам. Для проектов от "
        "1 млн ₽ вес критерия выше: ошибка в крупной смете обходится дороже.",
        "2",
        [
            "Сметы по сути нет или цены ничем не обоснованы.",
            "Пропущены существенные работы или цены заметно расходятся с рыночными.",
            "Смета полная, цены обоснованы; есть отдельные замечания.",
            "Смета полная и подробная, цены подтверждены коммерческими предложениями или сметными справочниками.",
        ],
        CommentRule.ALWAYS,
        weight_rules=[("", "1000000", None, "3")],
    ),
    _criterion(
        SUSTAINABILITY,
        "Устойчивость результата",
        "Кто и на какие деньги будет содержать объект, сколько он прослужит, есть ли согласие балансодержателя.",
        "1",
        [
            "Содержание объекта не продумано, срок службы короткий.",
            "Содержание упомянуто, но не подтверждено: нет балансодержателя или договорённости с ним.",
            "Понятно, кто содержит объект; срок службы не меньше 5 лет.",
            "Письменное согласие балансодержателя, план ухода с участием жителей, срок службы от 10 лет.",
        ],
        CommentRule.AT_OR_BELOW,
        "4",
    ),
    {
        "type": "computed_criterion",
        "id": field_id(SHEET, RESIDENTS_SHARE_POINTS),
        "value": {
            "name": "Софинансирование жителей",
            "description": "Доля вклада жителей (деньги, материалы, труд) в полной стоимости проекта, по данным "
            "заявки: до 3 % — 0 баллов, от 3 до 5 % — 4, от 5 до 10 % — 7, от 10 % — 10.",
            "code": "residents_share",
            "source": ComputedSource.RESIDENTS_SHARE,
            "answer_code": "",
            "bands": _items(
                f"{RESIDENTS_SHARE_POINTS}/bands",
                [
                    {"low": None, "high": "3", "points": "0"},
                    {"low": "3", "high": "5", "points": "4"},
                    {"low": "5", "high": "10", "points": "7"},
                    {"low": "10", "high": None, "points": "10"},
                ],
            ),
            "weight": "1",
        },
    },
    _block(
        SHEET,
        "long_text",
        "Рекомендация эксперта",
        code=RECOMMENDATION,
        min_length=None,
        max_length=2000,
        condition={"field_code": None, "operator": None, "value": None},
        help_text="Поддержать, поддержать с условиями или не поддерживать — и почему. Запись видят секретарь и "
        "комиссия; заявителю она не показывается.",
    ),
]

# How the initiative-budgeting competitions sum up (ranking.py is the formula; docs/ru/secretary.md explains it).
IB_REVIEW_RULES = {
    "scoring_sheet": IB_SHEET,
    "divergence_threshold": Decimal("15"),
    "passing_score": Decimal("50"),
    "allocation_rule": SKIP,
    "hide_applicant_from_experts": True,
    "show_comments_to_applicants": True,
}
IB_TIE_BREAKS = [RESIDENTS_SHARE, EARLIER_SUBMISSION]

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
    "experts_per_application": 3,
    **IB_REVIEW_RULES,
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


def _ensure_competition(index, spec, stages, reports_spec, log, **parts):
    page = CompetitionPage.objects.filter(slug=spec["slug"]).first()
    if page is not None:
        return page
    closes = intake_closes()
    page = _create_competition(index, spec, _stages(stages, closes), reports_spec, closes, **parts)
    log(f"конкурс «{page.title}» опубликован, приём заявок до {_end_of(closes):%d.%m.%Y %H:%M} (мск)")
    return page


def _create_competition(
    index, spec, stages, reports_spec, closes, *, rules, required, nominations=(), documents=(), tie_breaks=()
):
    fields = {**spec, "kind": CompetitionKind.objects.get(number_prefix=spec["kind"])}
    page = CompetitionPage(locale=index.locale, **fields)
    for stage in stages:
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
    for rule in tie_breaks:
        page.tie_breaks.add(page.tie_breaks.model(rule=rule))
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
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
        ids["meeting_date"]: project.get("meeting_date", "2026-02-14"),
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
    }
    if "group" not in project:
        files[ids["tos_charter"]] = _pdf(f"ustav-tos-{slug}.pdf", "Устав ТОС и решение совета ТОС (демо)")
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


# --- The finished competition: expert review and published results --------------------------------------------------
# The 2026 competition above is live (its intake is open), so the expert review is shown on last year's competition,
# whose stages are all in the past: six admitted applications, two experts each and a third where the first two
# disagree, a closed round and published results with a passing-score cut and a fund that does not fit everyone.
# Every step goes through the services the interface uses. They accept a submission only while the intake is open,
# so the page is published with its intake open until an hour from now, the applications are submitted, and then the
# intake gets its planned end (31.03.2025) in a new revision of the page, before the documents are checked.

FINISHED_COMPETITION = {
    **{key: IB_COMPETITION[key] for key in ("kind", "organiser", "legal_basis", "max_per_project", "min_group_size")},
    "title": "Конкурсный отбор инициативных проектов 2025 (демо, итоги опубликованы)",
    "slug": "konkursnyj-otbor-iniciativnyh-proektov-2025-demo",
    "year": 2025,
    "summary": "Завершённый отбор: шесть допущенных проектов, оценка экспертов по критериям, рейтинг и фонд 3 млн ₽.",
    "description": (
        "<p>Прошлогодний отбор инициативных проектов: приём заявок, проверка документов, экспертиза и подведение "
        "итогов позади. <i>Демонстрационный конкурс: на нём видно, как выглядят опубликованные итоги. Этапы "
        "показаны по плану 2025 года, а даты подачи заявок, оценок и публикации — день загрузки демо-содержимого.</i>"
        "</p>"
        "<h2>Деньги</h2>"
        "<ul><li>Фонд конкурса — 3 000 000 ₽, на один проект — не больше 1 500 000 ₽.</li>"
        "<li>Жители вносят не меньше 3 % полной стоимости проекта деньгами или трудовым участием.</li></ul>"
        "<h2>Как оценивали</h2>"
        "<p>Каждый проект независимо оценили два эксперта по четырём критериям от 0 до 10 баллов: актуальность, "
        "вклад жителей, реалистичность сметы, устойчивость результата. Если итоги двух экспертов расходились больше "
        "чем на 15 баллов, проект оценивал третий эксперт. К среднему итогу экспертов добавлены баллы за "
        "долю софинансирования жителей. Проходной балл — 50; при равенстве баллов выше проект с большей долей "
        "жителей. Фонд распределён по рейтингу: проект, которому не хватило остатка фонда, пропускали и пробовали "
        "следующие.</p>"
    ),
    "how_to_apply": (
        "<p>Приём заявок на этот отбор завершён. Проекты следующего года принимаются в конкурсе 2026 года — "
        "он в списке конкурсов.</p>"
    ),
    "fund": Decimal("3000000"),
    "correction_days": 5,
    "application_form": IB_FORM,
    "experts_per_application": 2,
    **IB_REVIEW_RULES,
}

FINISHED_STAGES = [
    (
        StageKind.OTHER,
        "Заявки на определение территории",
        date(2025, 2, 3),
        date(2025, 2, 21),
        "Инициаторы подавали в администрации заявки на определение территории проекта.",
    ),
    (StageKind.INTAKE, "Приём проектов", date(2025, 3, 3), date(2025, 3, 31), "Заявки принимались на этом сайте."),
    (StageKind.DOCUMENT_CHECK, "Проверка документов", None, date(2025, 4, 10), "Все шесть заявок допущены."),
    (
        StageKind.EXPERT_REVIEW,
        "Оценка экспертами",
        None,
        date(2025, 4, 25),
        "Шесть экспертов оценили проекты по листу оценки; у каждого проекта — два эксперта, при расхождении — третий.",
    ),
    (StageKind.RESULTS, "Публикация итогов", None, date(2025, 4, 30), "Рейтинг и распределение фонда опубликованы."),
    (StageKind.IMPLEMENTATION, "Реализация проектов", None, date(2025, 10, 30), "Работы по поддержанным проектам."),
    (StageKind.REPORTING, "Отчёт о реализации", None, date(2025, 11, 30), "Победители отчитываются о проектах."),
]

# Representatives of the initiative groups that applied (accounts without a password, like every demo account).
GROUP_REPRESENTATIVES = {
    "frolova": {
        "username": "frolova.demo",
        "email": "frolova.demo@example.org",
        "first_name": "Валентина",
        "middle_name": "Ивановна",
        "last_name": "Фролова",
    },
    "kiselev": {
        "username": "kiselev.demo",
        "email": "kiselev.demo@example.org",
        "first_name": "Максим",
        "middle_name": "Олегович",
        "last_name": "Киселёв",
    },
    "belova": {
        "username": "belova.demo",
        "email": "belova.demo@example.org",
        "first_name": "Наталья",
        "middle_name": "Сергеевна",
        "last_name": "Белова",
    },
    "gromov": {
        "username": "gromov.demo",
        "email": "gromov.demo@example.org",
        "first_name": "Павел",
        "middle_name": "Андреевич",
        "last_name": "Громов",
    },
}


def _sheet(relevance, residents_input, budget, sustainability, recommendation, /, **comments):
    """One expert's sheet: the four scores, the recommendation and comments keyed by criterion code."""
    scores = {
        RELEVANCE: relevance,
        RESIDENTS_INPUT: residents_input,
        BUDGET: budget,
        SUSTAINABILITY: sustainability,
    }
    return {"scores": scores, "comments": comments, "recommendation": recommendation}


# Six applications in the order they were submitted (ИБ-2025-0001…0006). ``sheets`` are the experts' sheets in the
# order they are sent; the fifth project's first two totals (67 and 37) differ by more than 15, so a third expert
# scores it. docs/ru/secretary.md computes the result of these numbers by hand.
FINISHED_PROJECTS = [
    {
        "key": "2025-rest-area",
        "title": "Зона отдыха с беседкой во дворе домов № 9–11 по ул. Примерной (демо)",
        "problem": "Во дворе домов № 9–11 негде посидеть: пустырь на месте снесённых сараев зарастает и становится "
        "стихийной парковкой.",
        "justification": "В трёх домах живут в основном пенсионеры и семьи с детьми; жители третий год просят на "
        "собраниях ТОС сделать на пустыре место отдыха.",
        "result": "Зона отдыха 900 м²: беседка, шесть скамеек, дорожки из плитки, цветники и освещение.",
        "beneficiaries": 850,
        "address": "двор домов № 9–11 по ул. Примерной (демо)",
        "municipality": "Калуга",
        "meeting_date": "2025-02-15",
        "meeting_people": 92,
        "support_share": "14",
        "labour": "Жители подготовят участок, высадят цветники и покрасят скамейки: 30 человек, 3 субботника.",
        "scene": "rest_area",
        "requested": "1100000",
        "ledger": [
            {"source": "residents", "kind": "money", "amount": "45000", "note": "инициативные платежи 150 семей"},
            {"source": "residents", "kind": "labour", "amount": "25000", "note": "50 человеко-дней по 500 ₽"},
            {"source": "business", "kind": "in_kind", "amount": "30000", "note": "плитка от ООО «Стройдвор» (демо)"},
        ],
        "sheets": [
            _sheet(
                "7",
                "8",
                "6",
                "8",
                "Поддержать. Уточнить цену беседки, рассмотреть типовое решение.",
                budget="Смета в целом по рынку, но беседка заложена по цене индивидуального изготовления (420 тыс. ₽): "
                "типовая обошлась бы примерно на треть дешевле.",
                residents_input="На собрании было 92 жителя, трудовое участие расписано по субботникам.",
            ),
            _sheet(
                "7",
                "7",
                "6",
                "7",
                "Поддержать, если хватит средств: двор уже получил площадку в 2022 году.",
                budget="Нет расчёта покрытия дорожек: площадь указана, а объём работ и материалы не раскрыты.",
            ),
        ],
    },
    {
        "key": "2025-lighting",
        "group": ("Жители д. Горки (демо)", 14),
        "applicant": "frolova",
        "title": "Уличное освещение деревни Горки (демо)",
        "problem": "В деревне нет уличного освещения: с октября по март дети идут к остановке школьного автобуса в "
        "темноте, с фонариками.",
        "justification": "В деревне 96 дворов, ближайший фонарь — у трассы, в километре. На сходе жителей проект "
        "поддержали единогласно.",
        "result": "18 светодиодных светильников на опорах вдоль улицы и у остановки школьного автобуса.",
        "beneficiaries": 230,
        "address": "д. Горки, ул. Центральная (демо)",
        "municipality": "Перемышльский",
        "meeting_date": "2025-02-22",
        "meeting_people": 64,
        "support_share": "71",
        "labour": "Жители расчистят трассу для опор от кустарника: 15 человек, 2 дня.",
        "scene": "village",
        "requested": "640000",
        "ledger": [
            {"source": "residents", "kind": "money", "amount": "40000", "note": "инициативные платежи 80 дворов"},
            {"source": "residents", "kind": "labour", "amount": "40000", "note": "расчистка трассы, 80 чел.-дней"},
        ],
        "sheets": [
            _sheet(
                "9",
                "10",
                "8",
                "8",
                "Поддержать: проект простой, недорогой в содержании и нужен всей деревне.",
                relevance="Улица без света, по ней каждый день ходят школьники — проблема острая и давняя.",
                budget="Цены светильников и опор соответствуют сметным справочникам, монтаж посчитан по фактическим "
                "расстояниям между опорами.",
            ),
            _sheet(
                "8",
                "9",
                "8",
                "7",
                "Поддержать. Поселению заранее заключить договор на оплату электроэнергии.",
                budget="Смета реалистична, приложены предложения двух поставщиков.",
            ),
        ],
    },
    {
        "key": "2025-stairs",
        "group": ("Жители ул. Луговой, г. Таруса (демо)", 12),
        "applicant": "kiselev",
        "title": "Лестница-спуск к Оке и смотровая площадка (демо)",
        "problem": "К реке от ул. Луговой спускаются по размытой тропе на крутом склоне; после дождя спуск опасен.",
        "justification": "Тропой пользуются жители улицы и летом гости города; в 2024 году на склоне дважды "
        "травмировались пешеходы.",
        "result": "Деревянная лестница длиной 46 м с перилами и две смотровые площадки со скамейками.",
        "beneficiaries": 1200,
        "address": "г. Таруса, склон у ул. Луговой (демо)",
        "municipality": "Тарусский",
        "meeting_date": "2025-02-16",
        "meeting_people": 38,
        "support_share": "22",
        "labour": "Трудового участия нет: работы на склоне ведёт подрядчик.",
        "scene": "embankment",
        "requested": "1450000",
        "ledger": [{"source": "residents", "kind": "money", "amount": "50000", "note": "инициативные платежи"}],
        "sheets": [
            _sheet(
                "6",
                "4",
                "3",
                "3",
                "Не поддерживать в этом году: нужны изыскания, укрепление склона и соглашение о содержании.",
                residents_input="Вклад жителей — только деньги, 3,3 % стоимости; трудового участия нет.",
                budget="Склон крутой, а в смете нет инженерно-геологических изысканий и укрепления откоса: "
                "стоимость, скорее всего, занижена.",
                sustainability="Неясно, кто будет чистить лестницу зимой и ремонтировать ступени: балансодержатель "
                "не определён.",
            ),
            _sheet(
                "5",
                "4",
                "4",
                "4",
                "Идея хорошая, но проект сырой. Предлагаю подать его повторно с проектной документацией.",
                budget="Деревянная лестница на склоне без антисептирования и водоотвода прослужит 3–4 года, а в смете "
                "нет ни того, ни другого.",
                sustainability="Как объект будут содержать после сдачи, в заявке не сказано.",
            ),
        ],
    },
    {
        "key": "2025-square",
        "group": ("Жители ул. Берёзовой и ул. Лесной (демо)", 23),
        "applicant": "resident",
        "title": "Сквер у ул. Берёзовой: дорожки, скамейки, освещение (демо)",
        "problem": "Между ул. Берёзовой и ул. Лесной — заросший участок берёзовой рощи без дорожек и света, а через "
        "него ходят к школе и поликлинике.",
        "justification": "Это кратчайший путь к школе для 400 детей; за благоустройство собрано 540 подписей.",
        "result": "Сквер 0,6 га: 320 м дорожек из плитки, 10 светильников, 12 скамеек и урны; деревья рощи "
        "сохраняются.",
        "beneficiaries": 2600,
        "address": "г. Обнинск, между ул. Берёзовой и ул. Лесной (демо)",
        "municipality": "Обнинск",
        "meeting_date": "2025-02-09",
        "meeting_people": 118,
        "support_share": "41",
        "labour": "Уборка рощи, посадка кустарника и покраска скамеек: 40 человек, 4 субботника.",
        "scene": "tree_planting",
        "requested": "1300000",
        "ledger": [
            {"source": "residents", "kind": "money", "amount": "60000", "note": "инициативные платежи 200 семей"},
            {"source": "residents", "kind": "labour", "amount": "40000", "note": "80 человеко-дней по 500 ₽"},
        ],
        "sheets": [
            _sheet(
                "8",
                "7",
                "7",
                "6",
                "Поддержать.",
                budget="Смета подробная, плитка и освещение сверены со сметными справочниками; резерв на "
                "непредвиденные работы — 3 %.",
            ),
            _sheet(
                "7",
                "6",
                "6",
                "7",
                "Поддержать; при заключении контракта проверить цену малых архитектурных форм.",
                budget="Скамейки заложены примерно на 15 % дороже рынка, в остальном расчёт обоснован.",
            ),
        ],
    },
    {
        "key": "2025-playground",
        "group": ("Жители домов № 12–16 по ул. Калужской (демо)", 18),
        "applicant": "belova",
        "title": "Детская площадка во дворе домов № 12–16 по ул. Калужской (демо)",
        "problem": "Во дворе трёх пятиэтажек нет детской площадки: старое оборудование демонтировали в 2021 году "
        "как опасное.",
        "justification": "Во дворе живут 110 детей до 12 лет; площадка — первая просьба в наказах жителей депутатам.",
        "result": "Площадка 450 м² с игровым комплексом, качелями, песочницей и резиновым покрытием.",
        "beneficiaries": 600,
        "address": "г. Малоярославец, двор домов № 12–16 по ул. Калужской (демо)",
        "municipality": "Малоярославецкий",
        "meeting_date": "2025-02-12",
        "meeting_people": 77,
        "support_share": "35",
        "labour": "Жители покрасят ограждение и высадят живую изгородь: 20 человек, 2 субботника.",
        "scene": "playground",
        "requested": "900000",
        "ledger": [
            {"source": "residents", "kind": "money", "amount": "80000", "note": "инициативные платежи 160 семей"},
            {"source": "residents", "kind": "labour", "amount": "20000", "note": "40 человеко-дней по 500 ₽"},
        ],
        "sheets": [
            _sheet(
                "9",
                "8",
                "8",
                "8",
                "Поддержать: во дворе трёх домов нет ни одной площадки, а детей больше ста.",
                budget="Оборудование сертифицировано, цены взяты из трёх коммерческих предложений.",
            ),
            _sheet(
                "5",
                "5",
                "4",
                "4",
                "Поддержать только после исправления сметы и письма управляющей компании о содержании.",
                relevance="Площадка нужна, но в 300 м есть новая площадка у школы: актуальность ниже заявленной.",
                budget="В смете нет вывоза грунта и основания под резиновое покрытие — итог, вероятно, занижен на "
                "100–150 тыс. ₽.",
                sustainability="Не сказано, кто будет осматривать и ремонтировать оборудование.",
            ),
            _sheet(
                "8",
                "7",
                "7",
                "7",
                "Поддержать; в контракт добавить вывоз грунта.",
                budget="Основание под покрытие в смете есть (позиция 4), вывоз грунта не учтён — это около 40 тыс. ₽, "
                "на итог влияет мало.",
                sustainability="Управляющая компания включит площадку в договор содержания после приёмки — письмо "
                "приложено к протоколу собрания.",
            ),
        ],
    },
    {
        "key": "2025-footbridge",
        "group": ("Жители ул. Октябрьской, пос. Ферзиково (демо)", 11),
        "applicant": "gromov",
        "title": "Пешеходный мостик через ручей и контейнерная площадка (демо)",
        "problem": "Деревянный мостик через ручей на ул. Октябрьской сгнил, а контейнеры для мусора стоят прямо на "
        "обочине.",
        "justification": "Мостиком ходят к магазину и остановке около 300 жителей; на контейнеры жалуются в "
        "администрацию каждый год.",
        "result": "Металлический мостик длиной 8 м с перилами и контейнерная площадка на три контейнера с навесом.",
        "beneficiaries": 300,
        "address": "пос. Ферзиково, ул. Октябрьская (демо)",
        "municipality": "Ферзиковский",
        "meeting_date": "2025-02-19",
        "meeting_people": 41,
        "support_share": "28",
        "labour": "Жители уберут берег ручья и место под площадку: 12 человек, 1 субботник.",
        "scene": "river_cleanup",
        "requested": "480000",
        "ledger": [{"source": "residents", "kind": "money", "amount": "20000", "note": "инициативные платежи"}],
        "sheets": [
            _sheet(
                "7",
                "6",
                "7",
                "6",
                "Поддержать.",
                budget="Смета на мостик реалистична, контейнерная площадка посчитана по типовому решению.",
            ),
            _sheet(
                "6",
                "6",
                "6",
                "5",
                "Можно поддержать, если хватит средств.",
                budget="Металл для мостика заложен по ценам прошлого года: к началу работ он подорожает.",
            ),
        ],
    },
]

# --- The expert pool ------------------------------------------------------------------------------------------------

EXPERT_ACCOUNT = {
    "username": "ekspert.demo",
    "email": "ekspert.demo@example.org",
    "first_name": "Ирина",
    "middle_name": "Владимировна",
    "last_name": "Соколова",
}

EXPERTS = [
    {
        "account": EXPERT_ACCOUNT,
        "organisation": "Калужский центр городской среды (демо)",
        "position": "ведущий специалист по общественным пространствам",
        "municipality": "Калуга",
        "expertise": "Благоустройство дворов и общественных пространств, доступная среда.",
    },
    {
        "account": {
            "username": "laptev.demo",
            "email": "laptev.demo@example.org",
            "first_name": "Андрей",
            "middle_name": "Николаевич",
            "last_name": "Лаптев",
        },
        "organisation": "Региональный центр ценообразования в строительстве (демо)",
        "position": "инженер-сметчик",
        "municipality": "Калуга",
        "expertise": "Сметы и стоимость работ по благоустройству, наружное освещение.",
    },
    {
        "account": {
            "username": "tkachenko.demo",
            "email": "tkachenko.demo@example.org",
            "first_name": "Светлана",
            "middle_name": "Юрьевна",
            "last_name": "Ткаченко",
        },
        "organisation": "АНО «Центр поддержки общественных инициатив» (демо)",
        "position": "руководитель ресурсного центра",
        "municipality": "Калуга",
        "expertise": "Социальное проектирование, участие жителей, ТОС.",
        "tie": {
            "kind": ExpertTie.Kind.TOS,
            "tos": PROFILES[0]["page"]["slug"],
            "description": "Живу в квартале; в 2024 году помогала совету ТОС готовить заявку на конкурс ТОС.",
        },
    },
    {
        "account": {
            "username": "mironov.demo",
            "email": "mironov.demo@example.org",
            "first_name": "Олег",
            "middle_name": "Викторович",
            "last_name": "Миронов",
        },
        "organisation": "Администрация Жуковского района (демо)",
        "position": "начальник отдела благоустройства",
        "municipality": "Жуковский",
        "expertise": "Содержание объектов благоустройства, приёмка работ.",
    },
    {
        "account": {
            "username": "zakharova.demo",
            "email": "zakharova.demo@example.org",
            "first_name": "Людмила",
            "middle_name": "Петровна",
            "last_name": "Захарова",
        },
        "organisation": "Ассоциация ТОС Калужской области (демо)",
        "position": "председатель правления",
        "municipality": "Козельский",
        "expertise": "Работа ТОС в сельских поселениях, инициативное бюджетирование.",
    },
    {
        "account": {
            "username": "grigoriev.demo",
            "email": "grigoriev.demo@example.org",
            "first_name": "Виктор",
            "middle_name": "Семёнович",
            "last_name": "Григорьев",
        },
        "organisation": "Общественный совет по городской среде (демо)",
        "position": "архитектор, член совета",
        "municipality": "Людиновский",
        "expertise": "Архитектура малых форм, безопасность детских и спортивных площадок.",
    },
]


def _full_name(account):
    return f"{account['last_name']} {account['first_name']} {account['middle_name']}"


def _ensure_experts(secretary, log):
    """The expert pool: a user with the «Эксперт» role and a card each; a declared tie where the spec has one."""
    experts = []
    for spec in EXPERTS:
        user = ensure_demo_user(spec["account"], EXPERT, log)
        expert = Expert.objects.filter(user=user).first()
        if expert is None:
            expert = Expert(
                user=user,
                full_name=_full_name(spec["account"]),
                organisation=spec["organisation"],
                position=spec["position"],
                municipality=Municipality.objects.get(short_name=spec["municipality"]),
                expertise=spec["expertise"],
            )
            expert._history_user = secretary
            expert.save()
            if "tie" in spec:
                tie = ExpertTie(
                    expert=expert,
                    kind=spec["tie"]["kind"],
                    tos=TOSProfilePage.objects.get(slug=spec["tie"]["tos"]),
                    description=spec["tie"]["description"],
                )
                tie._history_user = user
                tie.save()
            log(f"эксперт {expert.full_name} — в пуле экспертов")
        experts.append(expert)
    return experts


def _declare(expert, competition):
    """The expert signs the declaration for the competition, as in the cabinet."""
    declarations.sign(expert, competition, expert.user)


def _applicant(project):
    """The account that applies: the demo TOS leader, or the representative of an initiative group."""
    account = {"leader": LEADER, "resident": RESIDENT, **GROUP_REPRESENTATIVES}[project.get("applicant", "leader")]
    return get_user_model().objects.get(email__iexact=account["email"])


def _finished_application(competition, project, log):
    user = _applicant(project)
    group_name, group_size = project.get("group", ("", None))
    application, _ = applications.start(
        competition,
        user,
        start_key=f"demo:{competition.slug}:{project['key']}",
        applicant_type=ApplicantType.GROUP if group_name else ApplicantType.TOS,
        title=project["title"],
        tos=None if group_name else TOSProfilePage.objects.get(slug=PROFILES[0]["page"]["slug"]),
        group_name=group_name,
        group_size=group_size,
    )
    _fill_steps(application, user, _ib_steps(project, Municipality.objects.get(short_name=project["municipality"])))
    application.refresh_from_db()
    applications.update_details(
        application,
        user,
        revision=application.revision,
        title=application.title,
        requested_amount=Decimal(project["requested"]),
        ledger=project["ledger"],
    )
    applications.submit(application, user)
    application.refresh_from_db()
    log(f"заявка {application.number} «{application.title}» подана")
    return application


def _close_intake(competition, ends_at):
    """The intake gets its planned end in a new revision of the page, as an editor would set it."""
    page = CompetitionPage.objects.get(pk=competition.pk)
    stages = list(page.stages.all())
    for stage in stages:
        if stage.kind == StageKind.INTAKE:
            stage.ends_at = ends_at
    page.stages = stages
    page.save_revision().publish()


def _send_sheets(application, sheets):
    """The experts' sheets of one application, sent in order; a divergence after the second brings a third expert."""
    for spec in sheets:
        waiting = (
            ExpertAssignment.objects.active()
            .filter(application=application)
            .exclude(sheet__status="submitted")
            .select_related("expert__user")
            .order_by("pk")
            .first()
        )
        if waiting is None:
            raise DemoError(f"{application.number}: нет эксперта для листа оценки {spec['scores']}")
        posted = {field_id(SHEET, code): score for code, score in spec["scores"].items()}
        posted |= {f"{field_id(SHEET, code)}-comment": text for code, text in spec["comments"].items()}
        posted[field_id(SHEET, RECOMMENDATION)] = spec["recommendation"]
        user = waiting.expert.user
        scoring.save_sheet(scoring.sheet_for(waiting, user), user, posted, submit=True)


def _ensure_finished_competition(index, secretary, experts, log):
    page = CompetitionPage.objects.filter(slug=FINISHED_COMPETITION["slug"]).first()
    if page is not None:
        return page
    stages = _stages(FINISHED_STAGES, None)
    intake = next(stage for stage in stages if stage["kind"] == StageKind.INTAKE)
    planned_end, intake["ends_at"] = intake["ends_at"], timezone.now() + timedelta(hours=1)
    page = _create_competition(
        index,
        FINISHED_COMPETITION,
        stages,
        [],
        planned_end.date(),
        rules=[("residents", "3", {"counts_money": True, "counts_labour": True})],
        required=IB_REQUIRED,
        tie_breaks=IB_TIE_BREAKS,
    )
    submitted = [_finished_application(page, project, log) for project in FINISHED_PROJECTS]
    _close_intake(page, planned_end)
    for application in submitted:
        review.decide(application, secretary, decision="admit", checklist=_required_checklist(application))
    for expert in experts:
        _declare(expert, page)
    assignment.assign_automatically(page, secretary)
    for application, project in zip(submitted, FINISHED_PROJECTS, strict=True):
        _send_sheets(application, project["sheets"])
    scoring.close(page, secretary)
    scoring.publish(page, secretary)
    page.refresh_from_db()
    log(f"конкурс «{page.title}»: экспертиза проведена, итоги опубликованы")
    return page


@register(
    order=30,
    name=_(
        "Конкурсы: инициативные проекты 2026 и ТОС 2026 с заявками во всех статусах, секретарь, эксперты, "
        "отбор 2025 с экспертизой и опубликованными итогами"
    ),
)
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
        tie_breaks=IB_TIE_BREAKS,
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
    for account in GROUP_REPRESENTATIVES.values():
        ensure_demo_user(account, None, log)
    experts = _ensure_experts(secretary, log)
    _ensure_finished_competition(index, secretary, experts, log)
