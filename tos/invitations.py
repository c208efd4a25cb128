"""Inviting people into a TOS by e-mail; an invitation turns into a membership once the address is confirmed."""

from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import TOS_LEADER
from tos.models import MembershipRole, TOSInvitation, TOSMembership


def _site_url(path):
    from django.conf import settings

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def join(invitation, user):
    """Make ``user`` a member as the invitation says (once), and give a chair the «Лидер ТОС» role."""
    with transaction.atomic():
        invitation = TOSInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at:
            return invitation.membership
        membership = TOSMembership.objects.filter(tos=invitation.tos, user=user, ended_on__isnull=True).first()
        if membership is None:
            membership = TOSMembership(tos=invitation.tos, user=user, role=invitation.role)
            membership._change_reason = _("по приглашению от %(date)s") % {
                "date": timezone.localtime(invitation.created_at).strftime("%d.%m.%Y")
            }
            membership.save()
        if invitation.role == MembershipRole.CHAIR:
            user.groups.add(Group.objects.get(name=TOS_LEADER))
        invitation.accepted_at = timezone.now()
        invitation.membership = membership
        invitation.save(update_fields=["accepted_at", "membership"])
        return membership


def invite(tos, email, role, invited_by):
    """Invite ``email`` into ``tos``; someone already registered with that address confirmed joins at once."""
    from allauth.account.models import EmailAddress

    invitation = TOSInvitation.objects.create(tos=tos, email=email.strip().lower(), role=role, invited_by=invited_by)
    address = EmailAddress.objects.filter(email__iexact=invitation.email, verified=True).select_related("user").first()
    if address is not None:
        join(invitation, address.user)
        link = _site_url(reverse("tos:profile", args=[tos.pk]))
        body = _(
            "Здравствуйте!\n\nВы добавлены в ТОС «%(tos)s» с ролью «%(role)s». "
            "Профиль ТОС можно править в личном кабинете: %(link)s\n"
        )
    else:
        link = _site_url(reverse("account_signup"))
        body = _(
            "Здравствуйте!\n\nВас пригласили вести профиль ТОС «%(tos)s» (роль «%(role)s») на методической платформе "
            "благоустройства Калужской области. Зарегистрируйтесь с этим адресом электронной почты и подтвердите "
            "его — профиль появится в личном кабинете: %(link)s\n"
        )
    send_mail(
        _("Приглашение в ТОС «%(tos)s»") % {"tos": tos.title},
        body % {"tos": tos.title, "role": invitation.get_role_display(), "link": link},
        None,
        [invitation.email],
        fail_silently=True,
    )
    return invitation


def apply_pending_invitations(user):
    """Join every TOS whose invitation was sent to one of the user's confirmed addresses."""
    emails = [
        address.lower() for address in user.emailaddress_set.filter(verified=True).values_list("email", flat=True)
    ]
    pending = TOSInvitation.objects.filter(email__in=emails, accepted_at__isnull=True).select_related("tos")
    return [join(invitation, user) for invitation in pending]
