from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.cabinet import sections_for
from accounts.roles import user_roles


@login_required
def cabinet(request):
    """The personal cabinet: who I am, my roles, and where each role works."""
    user = request.user
    return render(
        request,
        "accounts/cabinet.html",
        {
            "roles": user_roles(user),
            "can_access_admin": user.has_perm("wagtailadmin.access_admin"),
            "email_verified": user.emailaddress_set.filter(verified=True).exists(),
            "sections": sections_for(request),
        },
    )
