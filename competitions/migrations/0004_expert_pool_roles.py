"""Secretaries keep the expert pool (experts and their declared ties) and see declarations and assignments."""

from django.db import migrations

from accounts.roles import grant


def create(apps, schema_editor):
    grant(
        apps,
        "Секретарь конкурса",
        model_permissions=[
            "competitions.view_expert",
            "competitions.add_expert",
            "competitions.change_expert",
            "competitions.view_experttie",
            "competitions.add_experttie",
            "competitions.change_experttie",
            "competitions.delete_experttie",
            "competitions.view_conflictdeclaration",
            "competitions.view_expertassignment",
            "competitions.view_scoringround",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("competitions", "0003_expert_review")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
