"""TOS permissions for the moderator and methodologist roles, and the starting list of activity areas."""

from django.db import migrations

from accounts.roles import grant

ACTIVITY_AREAS = [
    ("Благоустройство и охрана памятников", "Дворы, скверы, детские и спортивные площадки, памятные места."),
    ("Здоровый образ жизни, физкультура и спорт", "Спортивные площадки, секции, соревнования, зарядка во дворе."),
    ("Культура и досуг", "Праздники двора и улицы, клубы по интересам, краеведение."),
    ("Экология и озеленение", "Субботники, посадка деревьев, раздельный сбор отходов."),
    ("Социальная помощь", "Помощь пожилым, многодетным, людям с инвалидностью."),
    ("Дети и молодёжь", "Досуг детей, волонтёрство, молодёжные инициативы."),
    ("Безопасность и правопорядок", "Освещение, видеонаблюдение, добровольные дружины."),
    ("Взаимодействие с администрацией", "Обращения жителей, участие в публичных слушаниях и общественных комиссиях."),
]


def create(apps, schema_editor):
    ActivityArea = apps.get_model("tos", "ActivityArea")
    for order, (name, description) in enumerate(ACTIVITY_AREAS, start=1):
        ActivityArea.objects.get_or_create(name=name, defaults={"description": description, "sort_order": order * 10})

    grant(
        apps,
        "Модератор",
        model_permissions=[
            "tos.view_tosmembership",
            "tos.add_tosmembership",
            "tos.change_tosmembership",
            "tos.view_tosinvitation",
            "tos.add_tosinvitation",
            "tos.view_registrationrequest",
            "tos.change_registrationrequest",
            "tos.view_activityarea",
        ],
    )
    grant(
        apps,
        "Методист",
        model_permissions=[
            "tos.view_activityarea",
            "tos.add_activityarea",
            "tos.change_activityarea",
            "tos.delete_activityarea",
            "tos.view_tosmembership",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("tos", "0001_profiles"), ("website", "0004_municipality_population")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
