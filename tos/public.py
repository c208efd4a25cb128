"""What the public TOS pages show: the directory's filters, cards, map and coverage table; the profile's parts.

The profile template is also rendered for a draft (the cabinet's preview), so its helpers read only the page
object and its in-memory rows, never the database by primary key.
"""

from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms.fields import format_decimal
from tos.directory import (
    DirectoryFilters,
    apply_filters,
    coverage_by_municipality,
    coverage_totals,
    filter_options,
    published_profiles,
)
from tos.models import LegalForm, NewsKind
from tos.validators import bare_geometry, geometry_centre
from website.models import Municipality

PER_PAGE = 20
FILTER_PARAMS = ("q", "municipality", "area", "legal_form", "has_projects")
COVERAGE_SORTS = {
    "municipality": (lambda row: row.municipality.short_name, False),
    "-tos": (lambda row: (row.tos_count, row.residents_covered), True),
    "-share": (lambda row: (row.share is not None, row.share or 0, row.tos_count), True),
}
DEFAULT_COVERAGE_SORT = "municipality"


def format_number(value):
    """«12 345» with a non-breaking space between thousands; empty for no value."""
    if value is None or value == "":
        return ""
    return format_decimal(Decimal(value))


def format_rubles(amount):
    """«1 200 000 ₽», or «1 200 000,50 ₽» when there are kopecks."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount)
    places = 0 if amount == amount.to_integral_value() else 2
    return f"{format_decimal(amount, places=places)}\u00a0₽"


def format_percent(value, places=None):
    """«12,5 %» (a Russian decimal comma, a non-breaking space before the sign); trailing zeros go unless ``places``."""
    if value is None or value == "":
        return ""
    return f"{format_decimal(Decimal(value), places=places)}\u00a0%"


def map_config(**extra):
    """What tos-map.js needs: the tile layer (only when one is configured), the view and the texts it shows."""
    tiles = None
    if settings.MAP_TILE_URL:
        tiles = {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}
    return {
        "tiles": tiles,
        "centre": list(settings.MAP_CENTRE),
        "zoom": settings.MAP_ZOOM,
        "texts": {
            "loading": _("Загружаем карту…"),
            "failed": _("Карту загрузить не удалось. Все найденные ТОС — в списке ниже."),
            "empty": _("У найденных ТОС границы на карте пока не указаны. Все они — в списке ниже."),
            "residents": _("Жителей"),
            "open": _("Открыть профиль ТОС"),
        },
        **extra,
    }


def profile_map_config(page):
    """The profile's small map: its own geometry, or None when the TOS has not drawn its territory."""
    geometry = bare_geometry(page.geometry)
    if not geometry:
        return None
    longitude, latitude = geometry_centre(geometry)
    return map_config(geometry=geometry, title=page.title, centre=[latitude, longitude], zoom=15)


def news_and_events(page):
    """Upcoming events first (soonest first), then news and past events, newest first."""
    now = timezone.now()
    upcoming, rest = [], []
    for item in page.news_items.all():
        is_event = item.kind == NewsKind.EVENT and item.event_starts_at
        (upcoming if is_event and item.event_starts_at >= now else rest).append(item)

    def moment(item):
        if item.kind == NewsKind.EVENT and item.event_starts_at:
            return timezone.localtime(item.event_starts_at).date()
        return item.published_on

    upcoming.sort(key=lambda item: item.event_starts_at)
    rest.sort(key=moment, reverse=True)
    return {"upcoming": upcoming, "items": rest}


def _query_without(params, *names):
    params = params.copy()
    for name in (*names, "page"):
        params.pop(name, None)
    return params.urlencode()


def _active_filters(filters, params, options, municipality_name):
    areas = {area.pk: area.name for area in options["areas"]}
    active = []
    if filters.query:
        active.append((_("Поиск"), f"«{filters.query}»", "q"))
    if filters.municipality:
        active.append((_("Муниципалитет"), municipality_name, "municipality"))
    if filters.area:
        active.append((_("Направление"), areas.get(filters.area, ""), "area"))
    if filters.legal_form:
        active.append((_("Правовая форма"), LegalForm(filters.legal_form).label, "legal_form"))
    if filters.has_projects:
        active.append((_("Только с проектами"), "", "has_projects"))
    return [
        {"label": label, "value": value, "remove_query": _query_without(params, name)} for label, value, name in active
    ]


def _municipality_name(filters, municipalities):
    if not filters.municipality:
        return ""
    for municipality in municipalities:
        if municipality.pk == filters.municipality:
            return municipality.short_name
    found = Municipality.objects.filter(pk=filters.municipality).values_list("short_name", flat=True).first()
    return found or ""


def coverage_table(sort):
    """Rows of the table «ТОС по муниципалитетам» in the chosen order, with totals over the region."""
    rows = coverage_by_municipality()
    key, reverse_order = COVERAGE_SORTS[sort]
    rows = sorted(rows, key=key, reverse=reverse_order)
    totals = coverage_totals(rows)
    totals["population"] = sum(row.population for row in rows if row.population)
    years = sorted({row.population_year for row in rows if row.population_year})
    return {"rows": rows, "totals": totals, "sort": sort, "years": years}


def filled_params(query_dict):
    """The query string without the empty values a GET form submits for every untouched field."""
    params = QueryDict(mutable=True)
    for name, values in query_dict.lists():
        filled = [value for value in values if value.strip()]
        if filled:
            params.setlist(name, filled)
    return params


def directory_context(page, request):
    """Everything the directory page shows for the query string of ``request``; a fixed number of queries."""
    params = filled_params(request.GET)
    filters = DirectoryFilters.from_params(params)
    options = filter_options()
    options["municipalities"] = list(options["municipalities"])
    options["areas"] = list(options["areas"])

    profiles = apply_filters(published_profiles(), filters).prefetch_related("activity_areas")
    paginator = Paginator(profiles, PER_PAGE)
    cards = paginator.get_page(params.get("page"))

    feed_params = params.copy()
    for name in list(feed_params):
        if name not in FILTER_PARAMS:
            del feed_params[name]
    feed_query = feed_params.urlencode()
    feed_url = reverse("api-tos-map") + (f"?{feed_query}" if feed_query else "")

    coverage_sort = params.get("coverage") or DEFAULT_COVERAGE_SORT
    if coverage_sort not in COVERAGE_SORTS:
        coverage_sort = DEFAULT_COVERAGE_SORT

    return {
        "directory_url": page.get_url(request),
        "query_params": params,
        "filters": filters,
        "options": options,
        "active_filters": _active_filters(
            filters, params, options, _municipality_name(filters, options["municipalities"])
        ),
        "cards": cards,
        "page_range": paginator.get_elided_page_range(cards.number, on_each_side=2, on_ends=1),
        "result_count": paginator.count,
        "map_feed_url": feed_url,
        "map_config": map_config(),
        "coverage": coverage_table(coverage_sort),
    }
