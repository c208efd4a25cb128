"""Forms of the secretary's admin: the admissibility decision, the award, the review of a winner's report.

The forms only read what was typed; every rule (all documents ticked to admit, reasons to return or reject, a
deadline in the future) is the service's (competitions.review), whose refusal is shown on the form.
"""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateTimeInput

from competitions.models import AdmissibilityReview
from competitions.review import checklist_for


def to_minute(moment):
    """Deadlines are typed to the minute; an initial value with seconds would read oddly in the field."""
    return moment.replace(second=0, microsecond=0)


class RefusalMixin:
    """Put the (field, message) problems of a service refusal on the fields they name."""

    def add_refusal(self, refusal):
        for field, message in refusal.problems:
            if field in self.fields:
                self.add_error(field, message or refusal.message)


class AdmissibilityForm(RefusalMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Решение"),
        choices=AdmissibilityReview.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Выберите решение: допустить, вернуть на доработку или не допускать.")},
    )
    reasons = forms.CharField(
        label=_("Причины"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Обязательны, если заявку возвращаете или не допускаете: заявитель увидит их в письме и в личном "
            "кабинете. Напишите, что именно исправить."
        ),
    )
    correction_deadline = forms.DateTimeField(
        label=_("Доработать до (мск)"),
        required=False,
        widget=AdminDateTimeInput,
        help_text=_("Только для возврата на доработку. По умолчанию — срок доработки из правил конкурса."),
        error_messages={"invalid": _("Срок доработки — дата и время, например 2026-04-10 18:00.")},
    )

    def __init__(self, application, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = checklist_for(application)
        for row in self.rows:
            document_id = row["document_id"]
            self.fields[f"ok_{document_id}"] = forms.BooleanField(label=_("в порядке"), required=False)
            self.fields[f"note_{document_id}"] = forms.CharField(label=_("Замечание"), required=False, max_length=500)
        self.fields["correction_deadline"].initial = to_minute(
            timezone.now() + timedelta(days=application.competition.correction_days)
        )

    @property
    def checklist_rows(self):
        return [(row, self[f"ok_{row['document_id']}"], self[f"note_{row['document_id']}"]) for row in self.rows]

    def checklist(self):
        return {
            row["document_id"]: {
                "ok": self.cleaned_data[f"ok_{row['document_id']}"],
                "note": self.cleaned_data[f"note_{row['document_id']}"],
            }
            for row in self.rows
        }


class AwardForm(RefusalMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Присуждённая сумма, ₽"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        localize=True,
        error_messages={
            "required": _("Укажите присуждённую сумму в рублях."),
            "invalid": _("Сумма — число рублей, например 950000 или 950000,50."),
            "min_value": _("Сумма должна быть больше нуля."),
            "max_decimal_places": _("В сумме не больше двух знаков после запятой (копейки)."),
            "max_digits": _("Сумма слишком велика: проверьте число."),
            "max_whole_digits": _("Сумма слишком велика: проверьте число."),
        },
    )

    def __init__(self, application, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].initial = min(
            application.requested_amount or Decimal("0"), application.competition.max_per_project
        )
        self.fields["amount"].help_text = _("Не больше запрошенной суммы и предела на один проект.")


class ReportReviewForm(RefusalMixin, forms.Form):
    ACCEPT, RETURN = "accept", "return"

    decision = forms.ChoiceField(
        label=_("Решение по отчёту"),
        choices=[(ACCEPT, _("принять")), (RETURN, _("вернуть с замечаниями"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Выберите: принять отчёт или вернуть его с замечаниями.")},
    )
    remarks = forms.CharField(
        label=_("Замечания"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Обязательны при возврате: что исправить в отчёте."),
    )
    due_at = forms.DateTimeField(
        label=_("Новый срок сдачи (мск)"),
        required=False,
        widget=AdminDateTimeInput,
        help_text=_("Только при возврате. Пусто — прежний срок, но не меньше недели от сегодня."),
        error_messages={"invalid": _("Срок — дата и время, например 2026-04-10 18:00.")},
    )

    def __init__(self, report, *args, **kwargs):
        super().__init__(*args, prefix=f"report-{report.pk}", **kwargs)
        self.fields["due_at"].initial = to_minute(max(report.due_at, timezone.now() + timedelta(days=7)))

    @property
    def accept(self):
        return self.cleaned_data["decision"] == self.ACCEPT
