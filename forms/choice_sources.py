"""Reference lists that other apps offer to the form builder.

The forms app imports none of the apps built on it; the TOS app registers its profiles here,
and the «ТОС» block offers them as a list. Until then the block asks for the TOS name as text.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ChoiceSource:
    queryset: Callable[[], object]
    label: Callable[[object], str]
    api_url_name: str | None = None  # the list in the API, named in the form's schema for API clients


_sources: dict[str, ChoiceSource] = {}


def register_tos_source(queryset, label, api_url_name=None):
    _sources["tos"] = ChoiceSource(queryset=queryset, label=label, api_url_name=api_url_name)


def tos_choices():
    return _sources.get("tos")
