"""Roles of the platform as Django groups.

Groups are created and given their permissions by data migrations, which call ``grant`` with the
permissions spelled out in the migration itself, so that later changes never rewrite history.
"""

from django.utils.translation import gettext_lazy as _

METHODOLOGIST = "Методист"
MODERATOR = "Модератор"
SECRETARY = "Секретарь конкурса"
EXPERT = "Эксперт"
TOS_LEADER = "Лидер ТОС"
MUNICIPAL_SPECIALIST = "Специалист МО"

# Group names are identifiers (stored in the database, used by the API); labels follow the reader's language.
ROLE_LABELS = {
    METHODOLOGIST: _("Методист"),
    MODERATOR: _("Модератор"),
    SECRETARY: _("Секретарь конкурса"),
    EXPERT: _("Эксперт"),
    TOS_LEADER: _("Лидер ТОС"),
    MUNICIPAL_SPECIALIST: _("Специалист МО"),
}

ROLE_DESCRIPTIONS = {
    METHODOLOGIST: _("Пишет методический стандарт, типовые решения, чек-листы; собирает формы конкурсов и опросов."),
    MODERATOR: _("Проверяет и публикует изменения, которые присылают лидеры ТОС и авторы."),
    SECRETARY: _("Открывает конкурсы, проверяет допуск заявок, назначает экспертов, публикует итоги."),
    EXPERT: _("Оценивает назначенные ему заявки по критериям."),
    TOS_LEADER: _("Ведёт профиль своего ТОС и подаёт заявки на конкурсы."),
    MUNICIPAL_SPECIALIST: _("Пользуется типовыми решениями, маршрутизатором, калькулятором и чек-листами."),
}


def user_role_names(user):
    """The platform roles (group names) a user holds, in a stable order."""
    names = set(user.groups.values_list("name", flat=True))
    return [name for name in ROLE_LABELS if name in names]


def user_roles(user):
    """The platform roles a user holds as (label, description) in the reader's language."""
    return [(ROLE_LABELS[name], ROLE_DESCRIPTIONS[name]) for name in user_role_names(user)]


def grant(apps, group_name, model_permissions=(), page_permissions=(), collection_permissions=()):
    """Create a group if needed and give it permissions (historical models, so it runs inside migrations).

    ``model_permissions`` are "app_label.codename" strings; page and collection permissions apply
    at the root of the page tree and the root collection.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=group_name)

    def permission(dotted):
        app_label, codename = dotted.split(".")
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    group.permissions.add(*[permission(dotted) for dotted in model_permissions])

    if page_permissions:
        Page = apps.get_model("wagtailcore", "Page")
        GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
        root = Page.objects.get(depth=1)
        for dotted in page_permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission(dotted))

    if collection_permissions:
        Collection = apps.get_model("wagtailcore", "Collection")
        GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
        root_collection = Collection.objects.get(depth=1)
        for dotted in collection_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission(dotted)
            )
    return group
