"""«Мой ТОС» in the personal cabinet: the profiles a person edits, with their moderation status, and their requests."""

from tos.models import RegistrationRequest, TOSMembership
from tos.moderation import moderation_status


def my_tos(request):
    memberships = TOSMembership.objects.active().filter(user=request.user).select_related("tos", "tos__municipality")
    requests = RegistrationRequest.objects.filter(applicant=request.user).select_related("municipality")[:20]
    if not memberships and not requests:
        return None
    profiles = [
        {
            "page": membership.tos,
            "membership": membership,
            "can_edit": membership.lets_edit,
            "status": moderation_status(membership.tos),
        }
        for membership in memberships
    ]
    return {"profiles": profiles, "requests": list(requests)}
