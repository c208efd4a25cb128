"""Queries of the TOS directory, shared by the directory page and the API: filters, counts, coverage, the map.

Each function runs a fixed number of queries whatever the number of TOS, so that the directory of the
whole region (hundreds of TOS, thousands in the benchmark) costs the same per request.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from search.backends.base import SearchRequest, SearchUnavailable
from search.service import get_backend
from search.text import normalise_query
from tos.models import ActivityArea, LegalForm, TOSIndexPage, TOSProfilePage, TOSProject
from tos.validators import bare_geometry, geometry_centre
from website.models import Municipality

SEARCH_LIMIT = 2000
SEARCH_PAGE = 100
SORTS = {
    "title": ("title",),
    "-residents": ("-residents_count", "title"),
    "municipality": ("municipality__short_name", "title"),
    "-founded": ("-founded_at", "title"),
}
SORT_LABELS = {
    "title": _("по названию"),
    "-residents": _("сначала крупные"),
    "municipality": _("по муниципалитету"),
    "-founded": _("сначала новые"),
}
DEFAULT_SORT = "title"


def published_profiles():
    """Live, public TOS profiles with what a listing shows, and a flag saying whether the TOS has projects."""
    return (
        TOSProfilePage.objects.live()
        .public()
        .select_related("municipality")
        .annotate(has_projects=Exists(TOSProject.objects.filter(page=OuterRef("pk"))))
    )


@dataclass
class DirectoryFilters:
    """The directory's filters as read from a query string; unknown or malformed values are ignored."""

    municipality: int | None = None
    area: int | None = None
    legal_form: str = ""
    has_projects: bool = False
    query: str = ""
    sort: str = DEFAULT_SORT

    @classmethod
    def from_params(cls, params):
        def as_id(name):
            value = (params.get(name) or "").strip()
            return int(value) if value.isdigit() else None

        legal_form = params.get("legal_form") or ""
        sort = params.get("sort") or DEFAULT_SORT
        return cls(
            municipality=as_id("municipality"),
            area=as_id("area"),
            legal_form=legal_form if legal_form in LegalForm.values else "",
            has_projects=(params.get("has_projects") or "").lower() in {"1", "true", "on", "yes"},
            query=normalise_query(params.get("q") or "")[:200],
            sort=sort if sort in SORTS else DEFAULT_SORT,
        )

    @property
    def is_empty(self):
        return not (self.municipality or self.area or self.legal_form or self.has_projects or self.query)


def matching_ids(query, locale="ru"):
    """Ids of TOS profiles whose text matches the query in any word form (the platform search, Russian stemming).

    The search backends answer at most SEARCH_PAGE hits a request, so the ids are gathered page by page.
    """
    ids = []
    for page in range(1, SEARCH_LIMIT // SEARCH_PAGE + 1):
        request = SearchRequest(
            query=query,
            locale=locale,
            filters={"type": [TOSProfilePage._meta.label_lower]},
            page=page,
            per_page=SEARCH_PAGE,
        )
        hits = get_backend().search(request).hits
        ids += [int(hit.key.split(":", 1)[1]) for hit in hits]
        if len(hits) < SEARCH_PAGE:
            break
    return ids


def apply_filters(queryset, filters, locale="ru"):
    """The profiles that pass the filters, in the chosen order (by relevance first when there is a query)."""
    if filters.municipality:
        queryset = queryset.filter(municipality_id=filters.municipality)
    if filters.area:
        # A subquery rather than a join, so that no DISTINCT is needed over thousands of rows.
        tagged = TOSProfilePage.activity_areas.through.objects.filter(activityarea_id=filters.area)
        queryset = queryset.filter(pk__in=tagged.values("tosprofilepage_id"))
    if filters.legal_form:
        queryset = queryset.filter(legal_form=filters.legal_form)
    if filters.has_projects:
        queryset = queryset.filter(has_projects=True)
    if filters.query:
        try:
            ids = matching_ids(filters.query, locale)
        except SearchUnavailable:
            ids = []
        queryset = queryset.filter(pk__in=ids)
    return queryset.order_by(*SORTS[filters.sort])


def filter_options():
    """Choices for the filter form: municipalities that have TOS, activity areas, legal forms."""
    return {
        "municipalities": Municipality.objects.filter(tos_profiles__live=True).distinct().order_by("short_name"),
        "areas": ActivityArea.objects.all(),
        "legal_forms": LegalForm.choices,
        "sorts": list(SORT_LABELS.items()),
    }


@dataclass(frozen=True)
class CoverageRow:
    municipality: Municipality
    tos_count: int
    residents_covered: int
    population: int | None
    population_year: int | None

    @property
    def share(self):
        """Share of the population living in a TOS, in per cent to one decimal; None without a population figure."""
        if not self.population:
            return None
        share = Decimal(self.residents_covered) * 100 / Decimal(self.population)
        return min(share, Decimal(100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def coverage_by_municipality():
    """Every municipality with its number of TOS, the residents they cover and that share of its population.

    Only published TOS count. A municipality without TOS is listed with zeros: the heat table must show gaps.
    """
    live = Q(tos_profiles__live=True)
    municipalities = Municipality.objects.annotate(
        tos_count=Count("tos_profiles", filter=live),
        residents_covered=Sum("tos_profiles__residents_count", filter=live, default=0),
    ).order_by("short_name")
    return [
        CoverageRow(m, m.tos_count, m.residents_covered or 0, m.population, m.population_year) for m in municipalities
    ]


def coverage_totals(rows):
    with_population = [row for row in rows if row.population]
    population = sum(row.population for row in with_population)
    covered = sum(row.residents_covered for row in with_population)
    return {
        "tos_count": sum(row.tos_count for row in rows),
        "residents_covered": sum(row.residents_covered for row in rows),
        "share": (Decimal(covered) * 100 / population).quantize(Decimal("0.1")) if population else None,
    }


def _public_url_builder(request):
    """Profile URLs from their tree paths: each directory page's URL plus the rest of the path, one query in all."""
    directories = [(index.url_path, index.get_url(request)) for index in TOSIndexPage.objects.live()]

    def url_for(url_path):
        for prefix, url in directories:
            if url and url_path.startswith(prefix):
                return url + url_path[len(prefix) :]
        return None

    return url_for


def map_features(queryset, request=None):
    """A GeoJSON FeatureCollection of the profiles that have a geometry; each carries a centre for its marker."""
    url_for = _public_url_builder(request)
    features = []
    rows = queryset.exclude(geometry__isnull=True).values(
        "pk", "title", "url_path", "geometry", "residents_count", "municipality__short_name"
    )
    for row in rows:
        geometry = bare_geometry(row["geometry"])
        if not geometry:
            continue
        features.append(
            {
                "type": "Feature",
                "id": row["pk"],
                "geometry": geometry,
                "properties": {
                    "title": row["title"],
                    "municipality": row["municipality__short_name"],
                    "residents": row["residents_count"],
                    "centre": geometry_centre(geometry),
                    "url": url_for(row["url_path"]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
