"""Demo content of the site itself: home pages, «О платформе» in Russian and English, menu, contacts.

Texts follow seed 000 (the platform's project passport).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from website.demo_registry import register
from website.models import ContentPage, NavigationSettings, SiteSettings
from website.site_setup import ensure_home_pages, publish_translation

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


@register(order=0, name=_("Сайт: главная страница, «О платформе», меню, контакты"))
def load_site(log):
    home, site = ensure_home_pages(log)
    russian, english = home.locale, Locale.objects.get(language_code="en")

    about = ContentPage.objects.filter(locale=russian, slug=ABOUT_RU["slug"]).first()
    if about is None:
        about = ContentPage(locale=russian, show_in_menus=True, **ABOUT_RU)
        home.add_child(instance=about)
        about.save_revision().publish()
        log("страница «О платформе» опубликована")

    publish_translation(about, english, ABOUT_EN, log)

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
