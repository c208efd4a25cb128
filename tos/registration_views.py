"""A resident's request to register a new TOS: the form, and the request's status for its applicant."""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import MODERATOR
from tos.forms import RegistrationRequestForm
from tos.models import RegistrationRequest

logger = logging.getLogger(__name__)

MAX_OPEN_REQUESTS = 5


def absolute_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_notice(subject, body, recipients):
    """Send a notice by e-mail; a mail server failure is logged, never undoes the change it reports."""
    if not recipients:
        return
    try:
        send_mail(subject, body, None, recipients, fail_silently=False)
    except (SMTPException, OSError):
        logger.exception("Could not send the notice «%s» to %s", subject, recipients)


def request_status_url(registration_request):
    with translation.override(settings.LANGUAGE_CODE):
        return absolute_url(reverse("tos_registration:detail", args=[registration_request.pk]))


def notify_moderators(registration_request):
    emails = list(
        get_user_model()
        .objects.filter(groups__name=MODERATOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    link = absolute_url(reverse("tos_requests:inspect", args=[registration_request.pk]))
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Новая заявка на регистрацию ТОС: %(name)s") % {"name": registration_request.name}
        body = gettext(
            "Поступила заявка на регистрацию ТОС «%(name)s» (%(municipality)s) от %(applicant)s.\n\n"
            "Рассмотрите её в панели управления: %(link)s\n"
        ) % {
            "name": registration_request.name,
            "municipality": registration_request.municipality,
            "applicant": registration_request.applicant.display_name,
            "link": link,
        }
    send_notice(subject, body, emails)


class RequestForm(RegistrationRequestForm):
    """The registration request of one applicant: at most a few open at once, never the same TOS twice."""

    def __init__(self, *args, applicant, **kwargs):
        super().__init__(*args, **kwargs)
        self.applicant = applicant

    def clean(self):
        cleaned_data = super().clean()
        open_requests = list(
            RegistrationRequest.objects.filter(applicant=self.applicant, status=RegistrationRequest.Status.NEW)
        )
        if len(open_requests) >= MAX_OPEN_REQUESTS:
            raise ValidationError(
                _(
                    "У вас уже %(count)s заявок на рассмотрении — это предел. Дождитесь решения модератора "
                    "по одной из них и подайте новую."
                ),
                params={"count": len(open_requests)},
                code="too_many_open_requests",
            )
        name, municipality = cleaned_data.get("name"), cleaned_data.get("municipality")
        if name and municipality:
            wanted = " ".join(name.split()).casefold()
            for other in open_requests:
                if other.municipality_id == municipality.pk and " ".join(other.name.split()).casefold() == wanted:
                    self.add_error(
                        "name",
                        ValidationError(
                            _(
                                "Заявка на ТОС «%(name)s» в этом муниципалитете уже подана %(date)s и ждёт решения "
                                "модератора. Вторую подавать не нужно: следите за статусом первой в личном кабинете."
                            ),
                            params={
                                "name": other.name,
                                "date": timezone.localtime(other.created_at).strftime("%d.%m.%Y"),
                            },
                            code="duplicate_request",
                        ),
                    )
                    break
        return cleaned_data


@login_required
def request_tos(request):
    user = request.user
    if request.method == "POST":
        form = RequestForm(request.POST, applicant=user)
        with transaction.atomic():
            # The applicant's row is locked so that two quick submissions cannot both pass the limit.
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            accepted = form.is_valid()
            if accepted:
                registration_request = form.save(commit=False)
                registration_request.applicant = user
                registration_request.save()
        if accepted:
            notify_moderators(registration_request)
            messages.success(
                request,
                _(
                    "Заявка принята. Модератор рассмотрит её и сообщит решение на %(email)s; "
                    "статус заявки виден на этой странице и в личном кабинете."
                )
                % {"email": user.email},
            )
            return redirect("tos_registration:detail", registration_request.pk)
        status = 400
    else:
        form = RequestForm(initial={"leader_email": user.email}, applicant=user)
        status = 200
    own_requests = RegistrationRequest.objects.filter(applicant=user).select_related("municipality")
    return render(
        request,
        "tos/registration/request_form.html",
        {"form": form, "own_requests": own_requests, "max_open_requests": MAX_OPEN_REQUESTS},
        status=status,
    )


@login_required
def request_detail(request, pk):
    registration_request = get_object_or_404(
        RegistrationRequest.objects.select_related("municipality", "profile"), pk=pk, applicant=request.user
    )
    return render(request, "tos/registration/request_detail.html", {"registration_request": registration_request})
