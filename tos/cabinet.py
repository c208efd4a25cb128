"""«Мой ТОС» in the personal cabinet: a person's TOS with their moderation status, and their registration requests.

Shown to every signed-in person: a resident without a TOS finds here the way to register one.
"""

from tos.models import RegistrationRequest, TOSMembership
from tos.moderation import moderation_status
from tos.permissions import editable_profiles


def my_tos(request):
    memberships = (
        TOSMembership.objects.active()
        .filter(user=request.user)
        .select_related("tos", "tos__municipality")
        .order_by("tos__title")
    )
    profiles = [
        {
            "page": membership.tos,
            "membership": membership,
            "can_edit": membership.lets_edit,
            "status": moderation_status(membership.tos),
            "public_url": membership.tos.get_url(request) if membership.tos.live else "",
        }
        for membership in memberships
    ]
    editable_ids = set(editable_profiles(request.user).values_list("pk", flat=True))
    requests = [
        {
            "request": registration,
            "accepted": registration.status == RegistrationRequest.Status.ACCEPTED,
            "can_edit_profile": registration.profile_id in editable_ids,
            "public_url": registration.profile.get_url(request)
            if registration.profile_id and registration.profile.live
            else "",
        }
        for registration in RegistrationRequest.objects.filter(applicant=request.user)
        .select_related("municipality", "profile")
        .order_by("-created_at")[:20]
    ]
    return {"profiles": profiles, "requests": requests, "is_empty": not profiles and not requests}
