"""Which page types are searchable and how each becomes a SearchDocument.

Apps declare their page types in a ``search_index.py`` module (found by the search app at start-up)::

    register(ContentPage, label=_("Страница"), body_fields=["body"])

Only live pages without view restrictions (on themselves or an ancestor) are ever turned into documents,
so drafts, private pages and anything an app leaves out of its fields never reach an index.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines

from search.backends.base import SearchDocument

_registry: dict[type, "Searchable"] = {}


@dataclass(frozen=True)
class Searchable:
    model: type
    label: str
    summary_fields: tuple[str, ...] = ("summary",)
    body_fields: tuple[str, ...] = ("body",)
    rows: Callable | None = None  # page → list of strings (table rows and the like)
    facets: Callable | None = None  # page → {facet name: [values]}

    @property
    def type_key(self):
        return self.model._meta.label_lower


def register(model, label, summary_fields=("summary",), body_fields=("body",), rows=None, facets=None):
    _registry[model] = Searchable(model, label, tuple(summary_fields), tuple(body_fields), rows, facets)


def searchable_for(page):
    return _registry.get(type(page))


def registered_models():
    return list(_registry)


def type_labels():
    return {searchable.type_key: searchable.label for searchable in _registry.values()}


def _field_text(page, name):
    value = getattr(page, name, "")
    stream_block = getattr(value, "stream_block", None)
    parts = stream_block.get_searchable_content(value) if stream_block is not None else [value or ""]
    return " ".join(strip_tags(normalize_newlines(str(part))) for part in parts if part)


def page_key(page_id):
    return f"page:{page_id}"


def is_public(page):
    return page.live and not page.expired and not page.get_view_restrictions().exists()


def document_for(page):
    """The SearchDocument of a page, or None if the page must not be found."""
    page = page.specific
    searchable = searchable_for(page)
    if searchable is None or not is_public(page):
        return None
    published = page.last_published_at or page.first_published_at
    facets = {"type": [searchable.type_key]}
    if page.first_published_at:
        facets["year"] = [str(timezone.localtime(page.first_published_at).year)]
    if searchable.facets:
        for name, values in searchable.facets(page).items():
            facets[name] = [str(value) for value in values if value not in (None, "")]
    return SearchDocument(
        key=page_key(page.pk),
        locale=page.locale.language_code,
        title=page.title,
        url=page.get_url() or "",
        summary=" ".join(_field_text(page, name) for name in searchable.summary_fields).strip(),
        body=" ".join(_field_text(page, name) for name in searchable.body_fields).strip(),
        rows=" ".join(searchable.rows(page)) if searchable.rows else "",
        date=timezone.localtime(published).date() if published else None,
        facets={name: values for name, values in facets.items() if values},
    )
