"""The site's skeleton that every install needs: the Russian home page as the site root and its English translation.

Used by ``manage.py setup_site`` on a production install and by ``load_demo``.
"""

from wagtail.models import Locale, Page, Site

from website.models import HomePage

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


def publish_translation(page, locale, content, log):
    """The page's translation into ``locale`` with ``content`` (field → value), created and published if missing."""
    translation = page.get_translation_or_none(locale)
    if translation is not None:
        return translation.specific
    translation = page.copy_for_translation(locale, copy_parents=True).specific
    for field, value in content.items():
        setattr(translation, field, value)
    translation.save_revision().publish()
    log(f"перевод «{translation.title}» ({locale.language_code}) опубликован")
    return translation


def ensure_home_pages(log):
    """The Russian home page at the root of the default site, and its English translation; returns (home, site)."""
    russian = Locale.objects.get(language_code="ru")
    english, _created = Locale.objects.get_or_create(language_code="en")

    home = HomePage.objects.filter(locale=russian, depth=2).first()
    if home is None:
        # Wagtail's installer leaves a generic welcome page at the site root; the home page replaces it.
        Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore").delete()
        home = HomePage(slug="home", locale=russian, **HOME_RU)
        Page.get_first_root_node().add_child(instance=home)
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

    publish_translation(home, english, HOME_EN, log)
    return home, site
