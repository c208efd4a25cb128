"""Demo content of the site itself: home page and «О платформе» in Russian and English, menu, contacts.

Texts follow seed 000 (the platform's project passport).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, Site

from website.demo_registry import register
from website.models import ContentPage, HomePage, NavigationSettings, SiteSettings

HOME_RU = {
    "title": "Методическая платформа благоустройства Калужской области",
    "summary": "Единые подходы, типовые решения и инструменты для муниципалитетов, ТОС и жителей.",
    "lead": (
        "Региональная методическая цифровая платформа определяет основные подходы к реализации федеральных, "
        "региональных и муниципальных программ благоустройства: от отбора территорий до приёмки работ "
        "и гарантийного обслуживания."
    ),
    "body": [
        ("heading", {"text": "Зачем нужна платформа", "level": "h2"}),
        (
            "paragraph",
            "<p>В Калужской области по программе «Формирование современной городской среды» благоустраиваются "
            "сотни дворовых и общественных территорий. Проектам мешают дефицит специалистов в муниципалитетах, "
            "отсутствие единого порядка работ и нехватка добросовестных подрядчиков.</p>"
            "<p>Платформа обобщает опыт муниципалитетов Калужской области и других регионов и помогает заказчикам, "
            "подрядчикам и жителям снимать проблемные вопросы на каждом этапе работ.</p>",
        ),
        ("heading", {"text": "Что здесь есть", "level": "h2"}),
        (
            "markdown",
            "- **Методический стандарт** и **типовые решения** для дворов, общественных пространств и площадок.\n"
            "- **Маршрутизатор процесса**: кто, что и в какой срок делает на каждом этапе.\n"
            "- **Чек-листы приёмки** работ для общественной комиссии.\n"
            "- **Калькулятор цен** для планирования (не смета).\n"
            "- **Банк лучших практик** муниципалитетов.\n"
            "- **Профили ТОС**, конкурсы инициативного бюджетирования и развития ТОС с прозрачной экспертизой.",
        ),
        (
            "callout",
            {
                "kind": "info",
                "title": "Для муниципалитетов бесплатно",
                "text": "<p>Платформа создаётся по решению Правительства Калужской области. Финансовых вложений "
                "от муниципальных образований не требуется; волонтёрская помощь оказывается безвозмездно.</p>",
            },
        ),
    ],
}

HOME_EN = {
    "title": "Kaluga Oblast Landscaping Methodology Platform",
    "summary": "Common approaches, typical solutions and tools for municipalities, TOS bodies and residents.",
    "lead": (
        "The regional methodological platform sets out how federal, regional and municipal landscaping "
        "programmes are carried out: from choosing sites to accepting the works and warranty service."
    ),
    "body": [
        ("heading", {"text": "Why the platform exists", "level": "h2"}),
        (
            "paragraph",
            "<p>Hundreds of courtyards and public spaces in Kaluga Oblast are improved under the "
            "“Modern Urban Environment” programme. Projects suffer from a shortage of municipal specialists, "
            "the lack of a common process and too few reliable contractors.</p>"
            "<p>The platform collects the experience of municipalities and helps customers, contractors and "
            "residents resolve problems at every stage of the works.</p>",
        ),
        ("heading", {"text": "What you will find here", "level": "h2"}),
        (
            "markdown",
            "- **The methodological standard** and **typical solutions**.\n"
            "- **A process router**: who does what, and by when, at every stage.\n"
            "- **Acceptance checklists** for public commissions.\n"
            "- **A price calculator** for planning (not a cost estimate).\n"
            "- **A library of best practices** of municipalities.\n"
            "- **TOS profiles** and competitions with transparent expert scoring.",
        ),
        (
            "callout",
            {
                "kind": "info",
                "title": "Free for municipalities",
                "text": "<p>The platform is created by decision of the Government of Kaluga Oblast. Municipalities "
                "pay nothing; volunteer help is free of charge.</p>",
            },
        ),
    ],
}

ABOUT_RU = {
    "title": "О платформе",
    "slug": "o-platforme",
    "summary": "Цель, задачи и участники региональной методической платформы благоустройства.",
    "body": [
        ("heading", {"text": "Цель", "level": "h2"}),
        (
            "paragraph",
            "<p>Усовершенствовать подготовку, производство, сдачу и приёмку работ, гарантийное обслуживание "
            "объектов благоустройства, создаваемых по федеральным, региональным и муниципальным программам, "
            "с цифровой маршрутизацией и волонтёрской помощью муниципалитетам Калужской области.</p>",
        ),
        ("heading", {"text": "Задачи", "level": "h2"}),
        (
            "markdown",
            "1. Разработать маршрутизатор процесса благоустройства — набор простых и понятных правил для каждого "
            "участника проекта.\n"
            "2. Создать цифровой калькулятор цен — инструмент типового планирования работ.\n"
            "3. Наладить волонтёрскую помощь муниципалитетам при планировании, строительстве и приёмке работ.\n"
            "4. Создать чек-листы приёмки работ для общественной комиссии по видам работ.\n"
            "5. Подготовить шаблон контент-плана публикаций о ходе работ.\n"
            "6. Разработать дорожную карту внедрения платформы.",
        ),
        ("heading", {"text": "Кто пользуется платформой", "level": "h2"}),
        (
            "table",
            {
                "first_row_is_table_header": True,
                "first_col_is_header": True,
                "table_caption": "Роли на платформе",
                "data": [
                    ["Роль", "Что делает на платформе"],
                    ["Методист", "Ведёт стандарт, типовые решения, чек-листы; собирает формы конкурсов и опросов"],
                    ["Специалист МО", "Находит типовые решения и практики, следует маршрутизатору, считает стоимость"],
                    ["Лидер ТОС", "Ведёт профиль ТОС, подаёт заявки на конкурсы"],
                    ["Эксперт", "Оценивает назначенные заявки по критериям"],
                    ["Секретарь конкурса", "Проверяет допуск, назначает экспертов, публикует итоги"],
                    ["Жители", "Читают материалы, участвуют в опросах, видят итоги"],
                ],
            },
        ),
        (
            "accordion",
            {
                "title": "Частые вопросы",
                "items": [
                    {
                        "heading": "Нужно ли платить за пользование платформой?",
                        "content": "<p>Нет. Платформа бесплатна для муниципалитетов, ТОС и жителей.</p>",
                    },
                    {
                        "heading": "Как получить роль «Лидер ТОС» или «Эксперт»?",
                        "content": "<p>Зарегистрируйтесь и подтвердите адрес электронной почты, затем напишите "
                        "администратору платформы: он назначит роль.</p>",
                    },
                ],
            },
        ),
    ],
}

ABOUT_EN = {
    "title": "About the platform",
    "slug": "about",
    "summary": "Purpose, tasks and users of the regional landscaping methodology platform.",
    "body": [
        ("heading", {"text": "Purpose", "level": "h2"}),
        (
            "paragraph",
            "<p>To improve how landscaping works are prepared, carried out, accepted and maintained under "
            "warranty, with a digital process router and volunteer help for the municipalities of Kaluga Oblast.</p>",
        ),
        ("heading", {"text": "Tasks", "level": "h2"}),
        (
            "markdown",
            "1. A process router: simple rules for every participant of a project.\n"
            "2. A price calculator for typical planning.\n"
            "3. Volunteer help for municipalities in planning, building and acceptance.\n"
            "4. Acceptance checklists for public commissions.\n"
            "5. A content plan template for publishing progress.\n"
            "6. A roadmap for introducing the platform.",
        ),
    ],
}

SITE_SETTINGS = {
    "organisation": "Региональный методический центр благоустройства (демо)",
    "address": "248000, г. Калуга, ул. Примерная, д. 1 (демо)",
    "phone": "+7 (4842) 00-00-00",
    "email": "metod@example.org",
}


def _ensure_translation(page, locale, content, log):
    translation = page.get_translation_or_none(locale)
    if translation is not None:
        return translation.specific
    translation = page.copy_for_translation(locale, copy_parents=True).specific
    for field, value in content.items():
        setattr(translation, field, value)
    translation.save_revision().publish()
    log(f"перевод «{translation.title}» ({locale.language_code}) опубликован")
    return translation


@register(order=0, name=_("Сайт: главная страница, «О платформе», меню, контакты"))
def load_site(log):
    russian = Locale.objects.get(language_code="ru")
    english, _created = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()

    home = HomePage.objects.filter(locale=russian, depth=2).first()
    if home is None:
        # Wagtail's installer leaves a generic welcome page at the site root; the home page replaces it.
        Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore").delete()
        home = HomePage(slug="home", locale=russian, **HOME_RU)
        root.add_child(instance=home)
        home.save_revision().publish()
        log("главная страница опубликована")

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        log("сайт создан")
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Методическая платформа благоустройства"
        site.save()
        log("главная страница назначена корнем сайта")

    about = ContentPage.objects.filter(locale=russian, slug=ABOUT_RU["slug"]).first()
    if about is None:
        about = ContentPage(locale=russian, show_in_menus=True, **ABOUT_RU)
        home.add_child(instance=about)
        about.save_revision().publish()
        log("страница «О платформе» опубликована")

    _ensure_translation(home, english, HOME_EN, log)
    _ensure_translation(about, english, ABOUT_EN, log)

    navigation = NavigationSettings.for_site(site)
    if not navigation.main_menu:
        navigation.main_menu = [("link", {"page": about, "url": "", "label": ""})]
        navigation.save()
        log("главное меню заполнено")

    site_settings = SiteSettings.for_site(site)
    if not site_settings.organisation:
        for field, value in SITE_SETTINGS.items():
            setattr(site_settings, field, value)
        site_settings.footer_links = [("link", {"page": about, "url": "", "label": ""})]
        site_settings.save()
        log("контакты и подвал заполнены")
