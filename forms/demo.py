"""Demo content of the form engine: a residents' survey with about 200 generated answers, and a sample application.

The answers are generated with a fixed seed and written as submitted answers against the survey's published
version, so the results page has charts to show right after ``make run``.
"""

import random
import uuid
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from forms.conditions import visible_field_ids
from forms.engine import respondent_key_for
from forms.models import FormPage, Submission, SurveyPage
from website.demo_registry import register
from website.models import HomePage, Municipality

RESPONSES = 200
SEED = 2026
WEEKS = 6


def _block(block_type, label=None, *, code="", **value):
    """A block in StreamField's raw shape with an id fixed by its code or label, so every install gets the same ids."""
    if label is not None:
        value = {"label": label, "required": True, "code": code, **value}
    key = code or label or value.get("title", "")
    return {"type": block_type, "value": value, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"forms-demo/{key}"))}


def _step(title, description=""):
    return _block("step", title=title, description=description)


def _condition(code, operator, value):
    return {"field_code": code, "operator": operator, "value": value}


# --- Survey -------------------------------------------------------------------------------------------------------

SURVEY_SLUG = "otsenka-blagoustrojstva-dvora"
TENURE = ["Меньше года", "От 1 до 5 лет", "От 5 до 10 лет", "Больше 10 лет"]
PLAYGROUND_STATE = [
    "Хорошее, всё исправно",
    "Есть мелкие поломки",
    "Оборудование устарело, нужна замена",
    "Опасна для детей",
]
MISSING = [
    "Освещения",
    "Лавочек и урн",
    "Парковочных мест",
    "Деревьев и кустарников",
    "Спортивной площадки",
    "Площадки для выгула собак",
    "Ровного асфальта и тротуаров",
    "Контейнерной площадки",
]
LIGHTING = ["Достаточное", "Недостаточное", "Освещения нет совсем"]
PARTICIPATION = ["Да, личным трудом (субботники)", "Да, деньгами (софинансирование)", "Да, и трудом, и деньгами", "Нет"]
CONTRIBUTIONS = [500, 1000, 1500, 2000, 3000, 5000, 10000]
WISHES = [
    "Отремонтировать дворовый проезд: ямы после каждой зимы.",
    "Поставить фонари у подъездов и вдоль дорожки к остановке.",
    "Заменить качели и горку, сделать мягкое покрытие.",
    "Убрать машины с газонов, разметить парковку.",
    "Перенести контейнерную площадку дальше от окон.",
    "Высадить деревья и кустарники вдоль дома.",
    "Поставить лавочки у каждого подъезда.",
    "Сделать пандусы для колясок у подъездов.",
    "Отремонтировать тротуар вдоль дома, весной стоит вода.",
    "Сделать площадку для выгула собак подальше от детской.",
]
MUNICIPALITIES = {
    "Калуга": 45,
    "Обнинск": 20,
    "Боровский": 8,
    "Малоярославецкий": 8,
    "Жуковский": 7,
    "Козельский": 6,
    "Людиновский": 6,
}

SURVEY = {
    "title": "Оценка благоустройства вашего двора (демо)",
    "slug": SURVEY_SLUG,
    "intro": (
        "<p>Расскажите, каким вы видите свой двор: что в нём хорошо, чего не хватает и готовы ли вы участвовать "
        "в благоустройстве. Ответы помогут муниципалитету решить, что благоустраивать в первую очередь. "
        "Опрос анонимный и займёт 3–4 минуты.</p>"
        "<p><i>Демонстрационный опрос: ответы в итогах сгенерированы автоматически.</i></p>"
    ),
    "thank_you_text": "<p>Спасибо! Ваш ответ учтён. Итоги обновляются сразу — посмотрите, что ответили соседи.</p>",
    "submit_label": "Отправить ответы",
    "results_visibility": SurveyPage.ResultsVisibility.PUBLIC,
    "allow_anonymous": True,
    "one_per_user": True,
    "fields": [
        _step("Ваш двор"),
        _block("municipality", "Где находится ваш двор?", code="municipality"),
        _block("single_choice", "Как давно вы живёте в этом доме?", code="tenure", options="\n".join(TENURE)),
        _block(
            "number",
            "Оцените благоустройство двора в целом",
            code="rating",
            integer_only=True,
            min_value="1",
            max_value="5",
            help_text="От 1 — очень плохо до 5 — отлично.",
        ),
        _step("Площадки и удобства"),
        _block("yes_no", "Есть ли во дворе детская площадка?", code="playground"),
        _block(
            "single_choice",
            "Как вы оцениваете её состояние?",
            code="playground_state",
            options="\n".join(PLAYGROUND_STATE),
            condition=_condition("playground", "equals", "Да"),
        ),
        _block(
            "multiple_choice",
            "Чего во дворе не хватает больше всего?",
            code="missing",
            options="\n".join(MISSING),
            max_selections=3,
            help_text="Выберите не больше трёх вариантов.",
        ),
        _block(
            "single_choice", "Как вы оцениваете освещение двора вечером?", code="lighting", options="\n".join(LIGHTING)
        ),
        _step("Участие жителей"),
        _block(
            "single_choice",
            "Готовы ли вы участвовать в благоустройстве двора?",
            code="participation",
            options="\n".join(PARTICIPATION),
        ),
        _block(
            "money",
            "Какую сумму в год вы готовы внести в софинансирование?",
            code="contribution",
            min_value="0",
            max_value="100000",
            condition=_condition("participation", "one_of", f"{PARTICIPATION[1]};{PARTICIPATION[2]}"),
        ),
        _block(
            "long_text",
            "Что в вашем дворе нужно изменить в первую очередь?",
            code="wish",
            required=False,
            max_length=1000,
        ),
    ],
}


def _survey_answers(rng, by_code, municipalities):
    """One resident's answers, keyed by block id, as the engine stores them (conditions applied afterwards)."""
    name = rng.choices(list(municipalities), weights=[MUNICIPALITIES[name] for name in municipalities])[0]
    playground = rng.random() < 0.7
    participation = rng.choices(PARTICIPATION, weights=[40, 12, 18, 30])[0]
    missing = set()
    for _pick in range(rng.choices([1, 2, 3], weights=[25, 40, 35])[0]):
        missing.add(rng.choices(MISSING, weights=[20, 14, 18, 9, 10, 7, 16, 6])[0])
    answers = {
        "municipality": {"id": municipalities[name], "name": name},
        "tenure": rng.choices(TENURE, weights=[10, 30, 25, 35])[0],
        "rating": str(rng.choices([1, 2, 3, 4, 5], weights=[12, 25, 35, 20, 8])[0]),
        "playground": playground,
        "playground_state": rng.choices(PLAYGROUND_STATE, weights=[25, 35, 30, 10])[0],
        "missing": [option for option in MISSING if option in missing],
        "lighting": rng.choices(LIGHTING, weights=[35, 45, 20])[0],
        "participation": participation,
        "contribution": f"{rng.choices(CONTRIBUTIONS, weights=[15, 25, 12, 18, 12, 12, 6])[0]}.00",
    }
    if rng.random() < 0.35:
        answers["wish"] = rng.choice(WISHES)
    return {by_code[code].id: value for code, value in answers.items()}


def _generate_responses(page, log):
    version = page.current_version()
    definition = version.form
    known = dict(Municipality.objects.filter(short_name__in=MUNICIPALITIES).values_list("short_name", "pk"))
    municipalities = {name: known[name] for name in MUNICIPALITIES if name in known}
    rng = random.Random(SEED)  # noqa: S311 - demo answers, reproducible on purpose
    now = timezone.now()
    submissions = []
    for number in range(RESPONSES):
        answers = _survey_answers(rng, definition.by_code, municipalities)
        visible = visible_field_ids(definition, answers)
        submitted_at = now - timedelta(minutes=rng.randint(5, WEEKS * 7 * 24 * 60))
        key = respondent_key_for(f"forms-demo-respondent-{number}")
        submissions.append(
            Submission(
                page_id=page.pk,
                version=version,
                respondent_key=key,
                unique_key=f"anonymous:{key}",
                status=Submission.Status.SUBMITTED,
                data={field_id: value for field_id, value in answers.items() if field_id in visible},
                current_step=len(definition.steps) - 1,
                created_at=submitted_at - timedelta(minutes=rng.randint(2, 15)),
                submitted_at=submitted_at,
            )
        )
    bulk_create_with_history(submissions, Submission, batch_size=500)
    log(f"ответы на опрос созданы: {len(submissions)}")


# --- Sample application -------------------------------------------------------------------------------------------

CONSENT = (
    "<p>В соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных» я даю согласие "
    "организатору конкурса «Активный ТОС» на обработку моих персональных данных, указанных в заявке (сбор, запись, "
    "систематизацию, хранение, уточнение, использование, обезличивание, удаление), в целях рассмотрения заявки "
    "и подведения итогов конкурса. Согласие действует до достижения цели обработки и может быть отозвано "
    "письменным заявлением.</p>"
)
APPLICATION = {
    "title": "Заявка на конкурс «Активный ТОС» (образец)",
    "slug": "zayavka-na-konkurs-aktivnyj-tos-obrazec",
    "intro": (
        "<p>Образец формы заявки на конкурс проектов территориального общественного самоуправления. "
        "Методист копирует эту страницу для нового конкурса и правит поля без программиста.</p>"
        "<p><i>Демонстрационная форма: заявки по ней не рассматриваются.</i></p>"
    ),
    "thank_you_text": "<p>Заявка принята. Статус рассмотрения — в личном кабинете, в разделе «Мои формы и опросы».</p>",
    "submit_label": "Подать заявку",
    "allow_anonymous": False,
    "one_per_user": True,
    "fields": [
        _step("Заявитель", "Сведения о ТОС и о том, кто подаёт заявку от его имени."),
        _block("tos", "ТОС, от имени которого подаётся заявка", code="tos"),
        _block("municipality", "Муниципальное образование", code="applicant_municipality"),
        _block("short_text", "ФИО председателя ТОС", code="chair_name", max_length=200),
        _block("phone", "Телефон для связи", code="phone"),
        _block("email", "Электронная почта", code="email"),
        _step("Проект"),
        _block(
            "short_text",
            "Название проекта",
            code="project_title",
            max_length=150,
            help_text="Коротко, до 150 символов: например, «Детская площадка во дворе дома № 12».",
        ),
        _block("long_text", "Описание проблемы, которую решает проект", code="problem", max_length=3000),
        _block("long_text", "Цели и задачи проекта", code="goals", max_length=3000),
        _block("date_range", "Сроки реализации проекта", code="period"),
        _block("yes_no", "Привлекаются ли к проекту партнёры или спонсоры?", code="partners"),
        _block(
            "long_text",
            "Кто из партнёров участвует и каков их вклад",
            code="partners_contribution",
            max_length=2000,
            condition=_condition("partners", "equals", "Да"),
        ),
        _step("Бюджет"),
        _block("rows", "Смета расходов", code="estimate", item_label="Статья расходов", min_rows=1, max_rows=30),
        _block("money", "Софинансирование из средств ТОС и жителей", code="cofinancing", min_value="0"),
        _block("percent", "Доля софинансирования от стоимости проекта", code="cofinancing_share"),
        _step("Документы"),
        _block(
            "file",
            "Протокол собрания жителей",
            code="protocol",
            allowed_extensions="pdf, jpg",
            max_size_mb=10,
            help_text="Скан или фотография подписанного протокола.",
        ),
        _block(
            "file", "Фотография территории до начала работ", code="photo", allowed_extensions="jpg, png", max_size_mb=10
        ),
        _block("consent", "Я даю согласие на обработку персональных данных", code="consent", text=CONSENT),
    ],
}


# --- Loader -------------------------------------------------------------------------------------------------------


def _ensure_page(home, page_class, content, log):
    page = page_class.objects.child_of(home).filter(slug=content["slug"]).first()
    if page is None:
        page = page_class(locale=home.locale, **content)
        home.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        log(f"страница «{page.title}» опубликована")
    return page


@register(order=40, name=_("Формы: опрос «Оценка благоустройства вашего двора» и образец заявки на конкурс"))
def load_forms(log):
    home = HomePage.objects.get(locale__language_code="ru", depth=2)
    survey = _ensure_page(home, SurveyPage, SURVEY, log)
    if not Submission.objects.filter(page_id=survey.pk).exists():
        _generate_responses(survey, log)
    _ensure_page(home, FormPage, APPLICATION, log)
