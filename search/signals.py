"""Keeps the search index in step with the page tree: publish, unpublish, move, delete, privacy changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from search import service


def _after_commit(function, *args):
    transaction.on_commit(lambda: function(*args))


def on_published(sender, instance, **kwargs):
    _after_commit(service.index_page, instance)


def on_unpublished(sender, instance, **kwargs):
    _after_commit(service.remove_page, instance.pk)


def on_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _after_commit(service.remove_page, instance.pk)


def on_moved_or_renamed(sender, instance, **kwargs):
    _after_commit(service.index_subtree, instance)


def on_restriction_changed(sender, instance, **kwargs):
    if isinstance(instance, PageViewRestriction):
        _after_commit(service.index_subtree, instance.page)


def connect():
    page_published.connect(on_published, dispatch_uid="search_on_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="search_on_unpublished")
    post_delete.connect(on_deleted, dispatch_uid="search_on_deleted")
    post_page_move.connect(on_moved_or_renamed, dispatch_uid="search_on_moved")
    page_slug_changed.connect(on_moved_or_renamed, dispatch_uid="search_on_slug_changed")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_saved")
    post_delete.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_deleted")
