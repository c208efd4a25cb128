"""The two kinds of competition the region runs, the e-mail texts, and what secretaries and methodologists may do."""

from django.db import migrations

from accounts.roles import grant

KINDS = [
    ("Инициативное бюджетирование", "ИБ", "Конкурсный отбор инициативных проектов по ст. 26.1 131-ФЗ."),
    ("Развитие ТОС", "ТОС", "Конкурсы проектов территориального общественного самоуправления."),
]

LINK = "\n\nЗаявка в личном кабинете: {link}\n"
TEMPLATES = [
    (
        "received",
        "Заявка {number} принята",
        "Здравствуйте!\n\nВаша заявка «{title}» на конкурс «{competition}» принята и зарегистрирована под номером "
        "{number}. Секретарь конкурса проверит документы; о решении мы напишем." + LINK,
    ),
    (
        "admitted",
        "Заявка {number} допущена к конкурсу",
        "Здравствуйте!\n\nЗаявка {number} «{title}» допущена к конкурсу «{competition}»." + LINK,
    ),
    (
        "returned",
        "Заявка {number} возвращена на доработку до {deadline}",
        "Здравствуйте!\n\nСекретарь конкурса «{competition}» вернул заявку {number} «{title}» на доработку.\n\n"
        "Что исправить: {reasons}\n\nИсправьте заявку и подайте её снова до {deadline} (мск)." + LINK,
    ),
    (
        "rejected",
        "Заявка {number} не допущена к конкурсу",
        "Здравствуйте!\n\nЗаявка {number} «{title}» не допущена к конкурсу «{competition}».\n\nПричины: {reasons}"
        + LINK,
    ),
    (
        "correction_due",
        "Срок доработки заявки {number} истекает {deadline}",
        "Здравствуйте!\n\nЗаявка {number} «{title}» ждёт исправлений. Подайте её снова до {deadline} (мск), "
        "иначе она останется недоработанной.\n\nЧто исправить: {reasons}" + LINK,
    ),
    (
        "awarded",
        "Заявка {number} победила в конкурсе «{competition}»",
        "Здравствуйте!\n\nПроект «{title}» (заявка {number}) признан победителем конкурса «{competition}». "
        "В личном кабинете появились формы отчётов и сроки их сдачи." + LINK,
    ),
    (
        "report_due",
        "Срок отчёта «{report}» по заявке {number} — {deadline}",
        "Здравствуйте!\n\nПо проекту «{title}» (заявка {number}) нужно сдать отчёт «{report}» до {deadline} (мск)."
        + LINK,
    ),
    (
        "report_accepted",
        "Отчёт «{report}» по заявке {number} принят",
        "Здравствуйте!\n\nОтчёт «{report}» по проекту «{title}» принят секретарём конкурса." + LINK,
    ),
    (
        "report_returned",
        "Отчёт «{report}» по заявке {number} возвращён с замечаниями",
        "Здравствуйте!\n\nОтчёт «{report}» по проекту «{title}» возвращён.\n\nЗамечания: {reasons}\n\n"
        "Исправьте отчёт и сдайте его снова до {deadline} (мск)." + LINK,
    ),
]


def create(apps, schema_editor):
    CompetitionKind = apps.get_model("competitions", "CompetitionKind")
    NotificationTemplate = apps.get_model("competitions", "NotificationTemplate")
    for name, prefix, description in KINDS:
        CompetitionKind.objects.get_or_create(number_prefix=prefix, defaults={"name": name, "description": description})
    for event, subject, body in TEMPLATES:
        NotificationTemplate.objects.get_or_create(event=event, defaults={"subject": subject, "body": body})

    grant(
        apps,
        "Секретарь конкурса",
        model_permissions=[
            "competitions.view_application",
            "competitions.review_application",
            "competitions.view_applicationreport",
            "competitions.view_notificationtemplate",
            "competitions.change_notificationtemplate",
            "competitions.view_competitionkind",
        ],
    )
    grant(
        apps,
        "Методист",
        model_permissions=[
            "competitions.view_competitionkind",
            "competitions.add_competitionkind",
            "competitions.change_competitionkind",
            "competitions.view_notificationtemplate",
            "competitions.change_notificationtemplate",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("competitions", "0001_competitions_and_applications"), ("website", "0004_municipality_population")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
