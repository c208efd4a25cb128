"""Secretaries announce competitions: they get page rights on the competitions list as soon as it exists."""

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_save
from wagtail.models import GroupPagePermission

from accounts.roles import SECRETARY
from competitions.models import CompetitionIndexPage

SECRETARY_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def grant_secretaries_the_competitions(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    group = Group.objects.filter(name=SECRETARY).first()
    if group is None:
        return
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=SECRETARY_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=instance, permission=permission)


def connect():
    post_save.connect(
        grant_secretaries_the_competitions, sender=CompetitionIndexPage, dispatch_uid="competitions_secretary_pages"
    )
