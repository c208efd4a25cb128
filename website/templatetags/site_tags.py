from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Page

from website.blocks import render_markdown

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links to this page in every site language: the page's live translation, or the same view's URL."""
    request = context["request"]
    page = context.get("page")
    current = get_language()
    translations = {}
    if isinstance(page, Page):
        translations = {
            translation.locale.language_code: translation
            for translation in page.get_translations(inclusive=True).live().select_related("locale")
        }
    links = []
    for code, label in settings.LANGUAGES:
        if not isinstance(page, Page):
            url = translate_url(request.get_full_path(), code)
        elif code in translations:
            url = translations[code].get_url(request)
        else:
            home = Page.objects.filter(depth=2, locale__language_code=code).live().first()
            url = home.get_url(request) if home else f"/{code}/"
        links.append({"code": code, "label": label, "url": url, "current": code == current})
    return links


@register.simple_tag(takes_context=True)
def breadcrumbs(context):
    """Ancestors of the current page from the language's home page down (the tree root is left out)."""
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return []
    return list(page.get_ancestors().filter(depth__gte=2).live().specific())


@register.simple_tag(takes_context=True)
def home_page(context):
    page = Page.objects.filter(depth=2, locale__language_code=get_language()).live().first()
    return page or Page.objects.filter(depth=2).live().first()


@register.filter(name="markdown")
def markdown_filter(text):
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - render_markdown switches raw HTML off
