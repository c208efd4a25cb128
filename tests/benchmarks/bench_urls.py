"""The site's URLs plus the benchmark's baseline: a bare view that writes one row."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from website.urls import urlpatterns as site_urlpatterns

BARE_TABLE = "bench_bare_write"
BARE_URL = "/bench/bare-write/"


@csrf_exempt
@require_POST
def bare_write(request):
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BARE_TABLE} (respondent) VALUES (%s)", [request.POST.get("respondent", "")])
    return HttpResponse(status=204)


urlpatterns = [path(BARE_URL.strip("/") + "/", bare_write), *site_urlpatterns]
