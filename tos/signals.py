"""An invited person joins their TOS as soon as they confirm the invited address or sign in with it."""

from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from tos.invitations import apply_pending_invitations


@receiver(email_confirmed)
def join_on_confirmation(request, email_address, **kwargs):
    apply_pending_invitations(email_address.user)


@receiver(user_logged_in)
def join_on_login(sender, request, user, **kwargs):
    apply_pending_invitations(user)
