"""Who may edit which TOS profile: decided by membership, checked in every view and API endpoint that writes."""

from tos.models import TOSMembership, TOSProfilePage


def editable_profiles(user):
    """The TOS profiles a user may edit from the cabinet (the chair, and members the moderator allowed)."""
    if not user.is_authenticated:
        return TOSProfilePage.objects.none()
    tos_ids = TOSMembership.objects.editors().filter(user=user).values("tos_id")
    return TOSProfilePage.objects.filter(pk__in=tos_ids)


def can_edit_profile(user, page):
    return user.is_authenticated and TOSMembership.objects.editors().filter(user=user, tos_id=page.pk).exists()
