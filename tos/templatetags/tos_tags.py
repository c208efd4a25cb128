"""Template helpers of the public TOS pages: Russian number formats, the profile's news order and map."""

from django import template

from tos import public

register = template.Library()


@register.filter
def ru_number(value):
    return public.format_number(value)


@register.filter
def rubles(amount):
    return public.format_rubles(amount)


@register.filter
def ru_percent(value, places=None):
    return public.format_percent(value, places)


@register.simple_tag
def tos_news(page):
    return public.news_and_events(page)


@register.simple_tag
def tos_profile_map(page):
    return public.profile_map_config(page)
