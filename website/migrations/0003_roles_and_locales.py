"""Platform roles as groups with their permissions, and the English locale beside the Russian source."""

from django.db import migrations

from accounts.roles import grant

PAGE_EDITING = ["wagtailcore.add_page", "wagtailcore.change_page", "wagtailcore.publish_page", "wagtailcore.lock_page", "wagtailcore.unlock_page"]
MEDIA = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]


def create_roles(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="en")

    grant(
        apps,
        "Методист",
        model_permissions=[
            "wagtailadmin.access_admin",
            "wagtail_localize.submit_translation",
            "website.add_municipality",
            "website.change_municipality",
            "website.change_sitesettings",
            "website.change_navigationsettings",
        ],
        page_permissions=PAGE_EDITING,
        collection_permissions=MEDIA,
    )
    grant(
        apps,
        "Модератор",
        model_permissions=["wagtailadmin.access_admin", "wagtail_localize.submit_translation"],
        page_permissions=["wagtailcore.change_page", "wagtailcore.publish_page", "wagtailcore.lock_page", "wagtailcore.unlock_page"],
        collection_permissions=["wagtailimages.choose_image", "wagtaildocs.choose_document"],
    )
    grant(
        apps,
        "Секретарь конкурса",
        model_permissions=["wagtailadmin.access_admin"],
        collection_permissions=["wagtaildocs.add_document", "wagtaildocs.choose_document", "wagtailimages.choose_image"],
    )
    # Experts, TOS leaders and municipality specialists work in the site's own cabinet, not in the admin.
    for name in ("Эксперт", "Лидер ТОС", "Специалист МО"):
        grant(apps, name)

    # Wagtail's default moderation workflow approves through its "Moderators" group: hand it to ours.
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    moderator = Group.objects.get(name="Модератор")
    for task in GroupApprovalTask.objects.filter(groups__name="Moderators"):
        task.groups.add(moderator)
        if task.name == "Moderators approval":
            task.name = "Согласование модератором"
            task.save(update_fields=["name"])
    Workflow.objects.filter(name="Moderators approval").update(name="Согласование модератором")

    # Wagtail's default groups would sit beside ours with overlapping meaning; drop them while unused.
    Group.objects.filter(name__in=["Editors", "Moderators"], user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0002_municipalities"),
        ("wagtailcore", "0094_alter_page_locale"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
