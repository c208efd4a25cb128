"""The contract every search backend fulfils; the search service and its tests speak only this language."""

import datetime
from dataclasses import dataclass, field

FACETS = ("type", "municipality", "work_type", "stage", "object_type", "year")


class SearchUnavailable(Exception):
    """The backend cannot be reached or refused the request; callers show a notice instead of failing."""


@dataclass(frozen=True)
class SearchDocument:
    """One published, public piece of content as the index sees it.

    ``facets`` maps a name from FACETS to the values the document carries (strings); ``type`` is always set.
    Text fields are plain text; their weights, highest first: title, summary, body, rows.
    """

    key: str
    locale: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    rows: str = ""
    date: datetime.date | None = None
    facets: dict[str, list[str]] = field(default_factory=dict)

    def stored_fields(self):
        """Everything but the facets, as keyword arguments for a stored record."""
        return {
            name: getattr(self, name) for name in ("key", "locale", "title", "summary", "body", "rows", "url", "date")
        }


@dataclass(frozen=True)
class SearchRequest:
    query: str
    locale: str
    filters: dict[str, list[str]] = field(default_factory=dict)  # OR within a facet, AND between facets
    page: int = 1
    per_page: int = 10


@dataclass(frozen=True)
class Hit:
    key: str
    title: str  # HTML-safe, matches in <mark>
    snippet: str  # HTML-safe, matches in <mark>
    url: str
    type: str
    date: datetime.date | None
    score: float


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]  # facet name → value → count (see SearchBackend)


class SearchBackend:
    """Indexes SearchDocuments and answers SearchRequests.

    Facet counts are disjunctive: the count of value V of facet F is the number of documents the same
    request returns when F's filter is replaced by V alone (the other facets' filters stay). So a reader who
    ticks V sees exactly that many results, and the values of one facet can be combined with OR.
    """

    def index(self, documents):
        """Add or replace documents (an iterable); returns how many were written."""
        raise NotImplementedError

    def delete(self, keys):
        """Remove documents by key; unknown keys are ignored."""
        raise NotImplementedError

    def search(self, request: SearchRequest) -> SearchResult:
        raise NotImplementedError

    def suggest(self, prefix: str, locale: str, limit: int = 8) -> list[tuple[str, str]]:
        """Titles (and URLs) whose words start like the words typed, for suggestions as you type."""
        raise NotImplementedError

    def rebuild(self, documents, total=None, progress=None):
        """Replace the whole index with ``documents`` while searches keep being answered from the old one.

        ``progress(done, total)`` is called as documents are written.
        """
        raise NotImplementedError
