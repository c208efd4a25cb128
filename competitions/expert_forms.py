"""Forms of the expert's cabinet: a declared tie and the signature under the declaration of no conflict of interest.

A tie is checked by the model's own clean() (which field a kind of tie needs), so the admin and this page refuse
the same things with the same words.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from competitions.models import ExpertTie
from tos.models import TOSProfilePage
from website.models import Municipality


class TieForm(forms.ModelForm):
    class Meta:
        model = ExpertTie
        fields = ["kind", "tos", "municipality", "organisation", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3, "maxlength": 2000})}
        help_texts = {
            "tos": _("Для связи «состою в ТОС / связан с ТОС»."),
            "municipality": _("Для связи с муниципалитетом: все заявители из него будут считаться связанными с вами."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("— выберите вид связи —")), *ExpertTie.Kind.choices]
        self.fields["kind"].error_messages["required"] = _("Выберите вид связи.")
        self.fields["kind"].error_messages["invalid_choice"] = _("Выберите вид связи из списка.")
        profiles = TOSProfilePage.objects.live().filter(locale=Locale.get_default())
        self.fields["tos"].queryset = profiles.order_by("title")
        self.fields["tos"].empty_label = _("— выберите ТОС —")
        self.fields["municipality"].queryset = Municipality.objects.order_by("short_name")
        self.fields["municipality"].empty_label = _("— выберите муниципалитет —")
        for name in ("tos", "municipality"):
            self.fields[name].error_messages["invalid_choice"] = _("Выберите значение из списка.")


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Подтверждаю, что прочитал(а) текст декларации, у меня нет конфликта интересов, кроме перечисленных "
            "связей, и я возьму самоотвод, если узнаю о связи с заявителем назначенной мне заявки."
        ),
        error_messages={"required": _("Поставьте отметку «Подтверждаю…»: без неё декларация не подписывается.")},
    )
