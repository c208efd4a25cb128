from website.accessibility import ACCESSIBILITY_COOKIE


def accessibility(request):
    """Whether the visitor switched on the version for the visually impaired (kept in a cookie)."""
    return {"accessible_mode": request.COOKIES.get(ACCESSIBILITY_COOKIE) == "on"}
