import json

from django import template

register = template.Library()


@register.filter
def as_json(value):
    """A value as JSON for a data attribute (the template escapes it for the attribute)."""
    return json.dumps(value, ensure_ascii=False)
