"""The one search service: every page of the site and the API ask it, nothing else asks a backend.

query + filters → ranked hits with highlights, facets with counts and labels, promoted results, suggestions.
"""

import contextlib
import logging
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Locale, Page
from wagtail.search.utils import normalise_query_string

from search import registry
from search.backends.base import FACETS, SearchRequest, SearchUnavailable
from search.models import QueryStat
from search.text import normalise_query, words

MAX_SUGGESTION_WORDS = 5

logger = logging.getLogger(__name__)

FACET_LABELS = {
    "type": _("Тип материала"),
    "municipality": _("Муниципалитет"),
    "work_type": _("Вид работ"),
    "stage": _("Этап"),
    "object_type": _("Тип объекта"),
    "year": _("Год"),
}
# Value labels of facets whose values are ids of other apps' records: the apps add resolvers here.
FACET_VALUE_LABELS = {}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption]


@dataclass
class ResultItem:
    title: str  # HTML-safe, matches in <mark>
    snippet: str  # HTML-safe, matches in <mark>
    url: str
    type: str
    type_label: str
    date: object


@dataclass
class SearchResponse:
    query: str
    hits: list
    total: int
    page: int
    per_page: int
    facets: list[Facet]
    promoted: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)
    unavailable: bool = False  # the backend could not answer: the page says so instead of failing

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def first_number(self):
        return (self.page - 1) * self.per_page + 1


def get_backend():
    url = getattr(settings, "ELASTICSEARCH_URL", None)
    if url:
        return _elasticsearch_backend(url, getattr(settings, "SEARCH_INDEX_PREFIX", "platform"))
    from search.backends.database import DatabaseBackend

    return DatabaseBackend()


@lru_cache(maxsize=2)
def _elasticsearch_backend(url, prefix):
    """One client (a connection pool) per process and address; it holds no shared data."""
    from search.backends.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(url, index_prefix=prefix)


def reader_locale(code):
    """A site language code: the one asked for if the site has it, else the default."""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def clean_filters(raw):
    """Known facets only, values as short strings: whatever the address bar says."""
    filters = {}
    for name in FACETS:
        values = [str(value)[:100] for value in raw.get(name, []) if str(value).strip()]
        if values:
            filters[name] = list(dict.fromkeys(values))[:20]
    return filters


def _facet_value_label(name, value):
    if name == "type":
        return registry.type_labels().get(value, value)
    resolver = FACET_VALUE_LABELS.get(name)
    return resolver(value) if resolver else value


def search(query, locale, filters=None, page=1, per_page=10, record=True):
    query = normalise_query(query)
    locale = reader_locale(locale)
    filters = clean_filters(filters or {})
    page = max(1, min(int(page or 1), 1000))
    backend = get_backend()
    try:
        result = backend.search(
            SearchRequest(query=query, locale=locale, filters=filters, page=page, per_page=per_page)
        )
    except SearchUnavailable:
        logger.exception("Поиск недоступен")
        return SearchResponse(query, [], 0, page, per_page, [], unavailable=True)
    facets = []
    for name in FACETS:
        counts = result.facets.get(name, {})
        selected = set(filters.get(name, []))
        options = [
            FacetOption(value, str(_facet_value_label(name, value)), count, value in selected)
            for value, count in counts.items()
        ]
        options.sort(key=lambda option: (-int(option.value) if name == "year" else -option.count, option.label))
        if options:
            facets.append(Facet(name, str(FACET_LABELS[name]), options))
    labels = registry.type_labels()
    items = [
        ResultItem(hit.title, hit.snippet, hit.url, hit.type, str(labels.get(hit.type, hit.type)), hit.date)
        for hit in result.hits
    ]
    response = SearchResponse(query, items, result.total, page, per_page, facets)
    if query:
        response.promoted = promoted_pages(query, locale) if page == 1 else []
        if result.total == 0:
            with contextlib.suppress(SearchUnavailable):
                response.suggestions = _suggestions_for_nothing_found(backend, query, locale)
        if record and page == 1 and not filters:  # paging and narrowing are not new questions
            record_query(query, found=result.total)
    return response


def _suggestions_for_nothing_found(backend, query, locale, limit=5):
    """Titles that match some of the words, when all of them together match nothing."""
    found = {}
    for word in words(query)[:MAX_SUGGESTION_WORDS]:
        for title, url in backend.suggest(word, locale, limit):
            found.setdefault(url, title)
    return [(title, url) for url, title in list(found.items())[:limit]]


def suggest(prefix, locale, limit=8):
    try:
        return get_backend().suggest(normalise_query(prefix), reader_locale(locale), limit)
    except SearchUnavailable:
        return []


def promoted_pages(query, locale):
    """Pages the editors promote for this query (Wagtail's search promotions), live and in this language."""
    try:
        promoted = Query.objects.get(query_string=normalise_query_string(query))
    except Query.DoesNotExist:
        return []
    target_locale = Locale.objects.filter(language_code=locale).first()
    pages = []
    for pick in promoted.editors_picks.select_related("page").order_by("sort_order"):
        if pick.page_id is None:
            if pick.external_link_url:
                title = pick.external_link_text or pick.external_link_url
                pages.append({"title": title, "url": pick.external_link_url, "description": pick.description})
            continue
        target = pick.page.get_translation_or_none(target_locale) or pick.page
        if registry.is_public(target):
            pages.append({"title": target.title, "url": target.url, "description": pick.description})
    return pages


def record_query(query, found):
    """Count the query for the popular and zero-result reports; the query text is all that is kept."""
    text = query.lower()[:255]
    today = timezone.localdate()
    empty = 0 if found else 1

    def increment():
        return QueryStat.objects.filter(query=text, day=today).update(
            hits=F("hits") + 1, zero_results=F("zero_results") + empty
        )

    if not increment():
        try:
            with transaction.atomic():
                QueryStat.objects.create(query=text, day=today, hits=1, zero_results=empty)
        except IntegrityError:  # another request created today's row first
            increment()


def index_page(page):
    """Put a page into the index, or take it out if it must no longer be found.

    An unreachable backend never fails the editor's action: the error is logged and `search_reindex` catches up.
    """
    document = registry.document_for(page)
    try:
        if document is None:
            get_backend().delete([registry.page_key(page.pk)])
        else:
            get_backend().index([document])
    except SearchUnavailable:
        logger.exception("Страница %s не обновлена в поисковом индексе", page.pk)


def remove_page(page_id):
    try:
        get_backend().delete([registry.page_key(page_id)])
    except SearchUnavailable:
        logger.exception("Страница %s не удалена из поискового индекса", page_id)


def index_subtree(page):
    """A page and its descendants: after a move, a slug change or a change of view restrictions."""
    for descendant in Page.objects.descendant_of(page, inclusive=True).specific().iterator():
        index_page(descendant)


def all_documents():
    for model in registry.registered_models():
        for page in model.objects.live().iterator():
            document = registry.document_for(page)
            if document is not None:
                yield document


def pages_published_since(moment):
    for model in registry.registered_models():
        yield from model.objects.live().filter(last_published_at__gte=moment).iterator()


def count_candidates():
    return sum(model.objects.live().count() for model in registry.registered_models())
