"""Moments, money and shares as the competition pages print them."""

from django import template
from django.utils.translation import gettext as _

from competitions import cofinancing
from competitions.models import moment
from competitions.public import share_text

register = template.Library()


@register.filter
def msk(value):
    """«31.03.2026 23:59 (мск)»; empty for no moment."""
    if not value:
        return ""
    return _("%(when)s (мск)") % {"when": moment(value)}


@register.filter
def rubles(value):
    if value in (None, ""):
        return ""
    return cofinancing.rubles(value)


@register.filter
def percent(value):
    if value in (None, ""):
        return ""
    return cofinancing.percent(value)


@register.filter
def share(value):
    """A rule's share as the rules are written: «3 %», «2,5 %»."""
    return _("%(share)s %%") % {"share": share_text(value)}
