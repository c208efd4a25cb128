"""Methodologists and competition secretaries see answers to forms (and download their files)."""

from django.db import migrations

from accounts.roles import grant


def grant_viewing(apps, schema_editor):
    for role in ("Методист", "Секретарь конкурса"):
        grant(apps, role, model_permissions=["forms.view_submission"])


def revoke_viewing(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="forms", codename="view_submission").first()
    if permission:
        for group in Group.objects.filter(name__in=["Методист", "Секретарь конкурса"]):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("forms", "0001_engine"),
        ("website", "0003_roles_and_locales"),
    ]

    operations = [migrations.RunPython(grant_viewing, revoke_viewing)]
