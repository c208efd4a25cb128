"""The version for the visually impaired: a cookie switched by a plain form, so it works without JavaScript."""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

ACCESSIBILITY_COOKIE = "accessible_mode"
ONE_YEAR = 365 * 24 * 60 * 60


@require_POST
def toggle_accessible_mode(request):
    switch_on = request.POST.get("mode") == "on"
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if switch_on:
        response.set_cookie(ACCESSIBILITY_COOKIE, "on", max_age=ONE_YEAR, samesite="Lax", secure=request.is_secure())
    else:
        response.delete_cookie(ACCESSIBILITY_COOKIE, samesite="Lax")
    return response
