"""Forms of the applicant's cabinet: starting an application and its project details with the co-financing ledger.

The forms check only types (a number is a number); the rules (what is required, who may apply, group size, the
maximum amount, the ledger) are the service's (competitions.applications), whose problems the views lay onto these
fields, all at once. The templates mark the fields the service requires.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from competitions.cofinancing import rubles
from competitions.models import ApplicantType, CofinancingSource, ContributionKind
from tos.permissions import editable_profiles

LEDGER_PREFIX = "ledger"
LEDGER_FIELDS = ("source", "kind", "amount", "note")
BLANK_LEDGER_ROWS = 3
MORE_LEDGER_ROWS = 3
MAX_LEDGER_ROWS = 60


def number_messages(field, label):
    field.error_messages["invalid"] = _("«%(field)s»: введите число цифрами, без букв.") % {"field": label}


class RublesField(forms.CharField):
    """An amount in rubles as people type it: «970 000», «970000,50»."""

    def clean(self, value):
        text = super().clean(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(
                _(
                    "«%(field)s»: сумма в рублях цифрами, не больше двух знаков после запятой, например 970000 "
                    "или 970000,50."
                )
                % {"field": self.label},
                code="invalid",
            )
        return amount


class GroupAndNominationMixin:
    """The group fields only where a group applies, and nominations only where the competition has them."""

    def fit_group_and_nomination(self, competition, *, has_group):
        if has_group:
            self.fields["group_size"].help_text = _("Не меньше %(min)d граждан старше 16 лет.") % {
                "min": competition.min_group_size
            }
            number_messages(self.fields["group_size"], self.fields["group_size"].label)
        else:
            del self.fields["group_name"]
            del self.fields["group_size"]
        nominations = competition.nominations.all()
        if nominations:
            self.fields["nomination"].queryset = nominations
        else:
            del self.fields["nomination"]


class StartForm(GroupAndNominationMixin, forms.Form):
    """Who applies and with what project: the first step, which creates the draft."""

    start_key = forms.CharField(widget=forms.HiddenInput, required=False)
    applicant_type = forms.ChoiceField(label=_("Кто подаёт заявку"), widget=forms.RadioSelect, required=False)
    tos = forms.ModelChoiceField(
        label=_("ТОС"),
        queryset=None,
        required=False,
        empty_label=_("— выберите ТОС —"),
        help_text=_("ТОС, в котором вы председатель или член совета с правом правки профиля."),
    )
    group_name = forms.CharField(
        label=_("Название инициативной группы"),
        max_length=255,
        required=False,
        help_text=_("Например, «Жители ул. Садовой, 5»."),
    )
    group_size = forms.IntegerField(label=_("Сколько человек в группе"), required=False, max_value=32767)
    nomination = forms.ModelChoiceField(
        label=_("Номинация"), queryset=None, required=False, empty_label=_("— выберите номинацию —")
    )
    title = forms.CharField(
        label=_("Название проекта"),
        max_length=255,
        required=False,
        help_text=_("Коротко, что будет сделано и где: «Детская площадка во дворе ул. Садовой, 5»."),
    )

    def __init__(self, competition, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.competition = competition
        choices = []
        if competition.accepts_tos:
            choices.append((ApplicantType.TOS.value, ApplicantType.TOS.label))
        if competition.accepts_groups:
            choices.append((ApplicantType.GROUP.value, _("инициативная группа жителей")))
        self.fields["applicant_type"].choices = choices
        if len(choices) == 1:
            self.fields["applicant_type"].initial = choices[0][0]
        self.tos_profiles = editable_profiles(user).order_by("title") if competition.accepts_tos else None
        if self.tos_profiles is not None:
            self.fields["tos"].queryset = self.tos_profiles
            if self.tos_profiles.count() == 1:
                self.fields["tos"].initial = self.tos_profiles.first().pk
        else:
            del self.fields["tos"]
        self.fit_group_and_nomination(competition, has_group=competition.accepts_groups)

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "start_key": data.get("start_key", ""),
            "applicant_type": data.get("applicant_type", ""),
            "title": data.get("title", ""),
            "tos": data.get("tos"),
            "group_name": data.get("group_name", ""),
            "group_size": data.get("group_size"),
            "nomination": data.get("nomination"),
        }


class DetailsForm(GroupAndNominationMixin, forms.Form):
    """The project tab: title, nomination, the group, the amount requested (the ledger rows are posted beside it)."""

    title = forms.CharField(label=_("Название проекта"), max_length=255, required=False)
    nomination = forms.ModelChoiceField(
        label=_("Номинация"), queryset=None, required=False, empty_label=_("— выберите номинацию —")
    )
    group_name = forms.CharField(label=_("Название инициативной группы"), max_length=255, required=False)
    group_size = forms.IntegerField(label=_("Сколько человек в группе"), required=False, max_value=32767)
    requested_amount = RublesField(
        label=_("Запрашиваемая сумма, ₽"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, application, *args, **kwargs):
        competition = application.competition
        kwargs.setdefault(
            "initial",
            {
                "title": application.title,
                "nomination": application.nomination_id,
                "group_name": application.group_name,
                "group_size": application.group_size,
                "requested_amount": _plain(application.requested_amount),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["requested_amount"].help_text = _("Не больше %(max)s на один проект.") % {
            "max": rubles(competition.max_per_project)
        }
        self.fit_group_and_nomination(competition, has_group=application.applicant_type == ApplicantType.GROUP)

    def service_arguments(self):
        data = self.cleaned_data
        arguments = {
            "title": data.get("title", ""),
            "requested_amount": data.get("requested_amount"),
            "nomination": data.get("nomination"),
        }
        if "group_name" in self.fields:
            arguments.update(group_name=data.get("group_name", ""), group_size=data.get("group_size"))
        return arguments


def _plain(amount):
    """An amount for an input: «970000» or «970000,50» (no grouping, so it reads back the same)."""
    if amount is None:
        return ""
    text = f"{amount.quantize(Decimal('0.01')):f}"
    return text.removesuffix(".00").replace(".", ",")


# --- The co-financing ledger as rows of inputs ------------------------------------------------------------------


def source_choices():
    return [("", _("— источник —")), *CofinancingSource.choices]


def kind_choices():
    return [("", _("— вид вклада —")), *ContributionKind.choices]


def ledger_rows_from_post(data):
    """The posted rows in order as dicts (raw strings), with the «удалить» mark; the count comes with the rows."""
    try:
        count = min(int(data.get(f"{LEDGER_PREFIX}-count", "0")), MAX_LEDGER_ROWS)
    except ValueError:
        count = 0
    rows = []
    for index in range(max(count, 0)):
        row = {name: (data.get(f"{LEDGER_PREFIX}-{index}-{name}") or "").strip() for name in LEDGER_FIELDS}
        row["delete"] = bool(data.get(f"{LEDGER_PREFIX}-{index}-delete"))
        rows.append(row)
    return rows


def is_blank(row):
    return not any(row.get(name) for name in LEDGER_FIELDS)


def ledger_for_service(rows):
    """Rows kept for saving: neither blank nor marked for removal, in the order shown."""
    return [{name: row[name] for name in LEDGER_FIELDS} for row in rows if not row.get("delete") and not is_blank(row)]


def ledger_rows_from_application(application):
    return [
        {
            "source": line.get("source", ""),
            "kind": line.get("kind", ""),
            "amount": _plain(Decimal(str(line.get("amount")))) if line.get("amount") not in (None, "") else "",
            "note": line.get("note", ""),
            "delete": False,
        }
        for line in application.ledger
    ]


def ledger_table(rows, errors=None, blank=BLANK_LEDGER_ROWS):
    """Rows for the template: each with its number, input names, choices and errors; ``blank`` empty rows follow."""
    errors = errors or {}
    rows = [*rows, *(dict.fromkeys(LEDGER_FIELDS, "") for _index in range(blank))][:MAX_LEDGER_ROWS]
    return [
        {
            "number": index + 1,
            "names": {name: f"{LEDGER_PREFIX}-{index}-{name}" for name in (*LEDGER_FIELDS, "delete")},
            "values": row,
            "errors": errors.get(index + 1, []),
        }
        for index, row in enumerate(rows)
    ]
