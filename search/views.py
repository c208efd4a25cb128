from django.shortcuts import render
from django.utils.translation import get_language

from search import service
from search.backends.base import FACETS


def search(request):
    """The search page: query box, facets, highlighted results, suggestions when nothing is found."""
    query = request.GET.get("q", "")
    filters = {name: request.GET.getlist(name) for name in FACETS}
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    response = service.search(query, get_language(), filters, page=page, per_page=10)
    return render(request, "search/search.html", {"search": response, "query": response.query})
