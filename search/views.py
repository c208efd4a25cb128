from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.utils.translation import get_language
from wagtail.models import Locale, Page

RESULTS_PER_PAGE = 10


def search(request):
    """Site search over published public pages in the reader's language.

    A first version on Wagtail's search backend; the search issue replaces it with the platform's
    search service (word forms, facets, highlights).
    """
    query = request.GET.get("q", "").strip()
    results = Page.objects.none()
    if query:
        locale = Locale.objects.filter(language_code=get_language()).first() or Locale.get_default()
        pages = Page.objects.live().public().filter(locale=locale).exclude(depth=1).specific()
        results = pages.search(query)
    paginator = Paginator(results, RESULTS_PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return render(request, "search/search.html", {"query": query, "results": page, "paginator": paginator})
