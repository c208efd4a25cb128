from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from website.blocks import BodyBlock


class BasePage(Page):
    """Common ground of every page type: a summary for listings, search and the API."""

    summary = models.TextField(
        _("краткое описание"),
        blank=True,
        max_length=600,
        help_text=_("Один-два предложения: показывается в списках, в поиске и в описании для поисковых систем."),
    )

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    api_fields = [APIField("summary")]
    content_panels = [*Page.content_panels, FieldPanel("summary")]

    class Meta:
        abstract = True

    def get_meta_description(self):
        return self.search_description or self.summary


class HomePage(BasePage):
    lead = models.TextField(
        _("вводный абзац"), blank=True, help_text=_("Крупный текст под заголовком главной страницы.")
    )
    body = StreamField(BodyBlock(), verbose_name=_("содержание"), blank=True)

    search_fields = [*BasePage.search_fields, index.SearchField("lead"), index.SearchField("body")]
    api_fields = [*BasePage.api_fields, APIField("lead"), APIField("body")]
    content_panels = [*BasePage.content_panels, FieldPanel("lead"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1
    page_description = _("Главная страница сайта на одном языке.")

    class Meta:
        verbose_name = _("главная страница")
        verbose_name_plural = _("главные страницы")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().in_menu().specific()
        return context


class ContentPage(BasePage):
    body = StreamField(BodyBlock(), verbose_name=_("содержание"), blank=True)

    search_fields = [*BasePage.search_fields, index.SearchField("body")]
    api_fields = [*BasePage.api_fields, APIField("body")]
    content_panels = [*BasePage.content_panels, FieldPanel("body")]

    page_description = _("Страница с произвольным содержанием: текст, таблицы, документы, выноски.")

    class Meta:
        verbose_name = _("страница с содержанием")
        verbose_name_plural = _("страницы с содержанием")
