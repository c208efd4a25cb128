"""Forms of the moderators' TOS admin: memberships, invitations, and the decision on a registration request."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from tos.models import TOSInvitation, TOSMembership, TOSProfilePage


def person_label(user):
    name = user.get_full_name()
    return f"{user.email} — {name}" if name else user.email or user.username


class TOSChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            TOSProfilePage.objects.select_related("municipality").order_by("title"),
            label=_("ТОС"),
            help_text=_("В списке и опубликованные профили, и черновики."),
            **kwargs,
        )

    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.municipality})"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class MembershipForm(WagtailAdminModelForm):
    tos = TOSChoiceField()
    user = PersonChoiceField(
        get_user_model().objects.order_by("email"),
        label=_("Пользователь"),
        help_text=_("Человек должен быть зарегистрирован на платформе. Если его нет — отправьте приглашение."),
    )
    change_reason = forms.CharField(
        label=_("Причина изменения"),
        max_length=100,
        required=False,
        help_text=_("Попадёт в историю: например, «протокол собрания от 12.03.2026 № 4»."),
    )

    class Meta:
        model = TOSMembership
        fields = ["tos", "user", "role", "can_edit_profile", "started_on", "ended_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["user"].queryset = self.fields["user"].queryset.filter(is_active=True)
        else:
            # A membership belongs to one person in one TOS; another person or TOS is another membership.
            for name in ("tos", "user"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Не меняется: чтобы передать роль, завершите это участие и добавьте новое."
                )

    def save(self, commit=True):
        self.instance._change_reason = self.cleaned_data.get("change_reason") or None
        return super().save(commit=commit)


class InvitationForm(WagtailAdminModelForm):
    tos = TOSChoiceField()

    class Meta:
        model = TOSInvitation
        fields = ["tos", "email", "role"]
        help_texts = {
            "email": _(
                "Если человек уже зарегистрирован с этим адресом и подтвердил его, он сразу станет участником; "
                "иначе — после регистрации и подтверждения адреса."
            )
        }

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned_data = super().clean()
        tos, email = cleaned_data.get("tos"), cleaned_data.get("email")
        if not (tos and email):
            return cleaned_data
        pending = TOSInvitation.objects.filter(tos=tos, email__iexact=email, accepted_at__isnull=True).first()
        if pending is not None:
            self.add_error(
                "email",
                _(
                    "На этот адрес уже отправлено приглашение в этот ТОС (%(date)s), оно ждёт подтверждения адреса. "
                    "Второе не нужно."
                )
                % {"date": timezone.localtime(pending.created_at).strftime("%d.%m.%Y")},
            )
        elif TOSMembership.objects.filter(
            tos=tos, ended_on__isnull=True, user__emailaddress__email__iexact=email, user__emailaddress__verified=True
        ).exists():
            self.add_error(
                "email",
                _("Человек с этим адресом уже участвует в этом ТОС: измените его роль в разделе «Участники ТОС»."),
            )
        return cleaned_data


class AcceptForm(forms.Form):
    comment = forms.CharField(
        label=_("Комментарий для заявителя"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Необязательно. Заявитель увидит его в письме и на странице заявки."),
    )


class RejectForm(forms.Form):
    comment = forms.CharField(
        label=_("Причина отказа"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Заявитель увидит её в письме и на странице заявки: объясните, что исправить, чтобы подать снова."),
        error_messages={"required": _("Напишите причину отказа: без неё заявитель не поймёт, что исправить в заявке.")},
    )
