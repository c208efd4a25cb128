"""The results page of a survey: a chart per question, or why the results cannot be seen yet."""

from django.template.response import TemplateResponse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from forms.permissions import can_view_submissions
from forms.results import results_unavailable_message, results_visible_to, survey_results


def survey_results_page(page, request):
    context = {"page": page, "self": page}
    if not results_visible_to(page, request.user):
        context["unavailable"] = results_unavailable_message(page)
        return TemplateResponse(request, "forms/survey_results.html", context, status=403)
    staff = can_view_submissions(request.user)
    results = survey_results(page, include_text=staff)
    for question in results["questions"]:
        question["rows"], question["first_column"] = _chart_rows(question)
    context.update(
        results=results,
        last_submitted_at=parse_datetime(results["last_submitted_at"] or ""),
        public=results_visible_to(page, None),
        accepting=page.closed_message() is None,
    )
    return TemplateResponse(request, "forms/survey_results.html", context)


def _chart_rows(question):
    """The rows of a question's bar chart and the heading of their first column."""
    if question["chart"] == "options":
        return question["options"], _("Вариант ответа")
    if question["chart"] == "histogram":
        return question["histogram"], _("Значение")
    if question["chart"] == "months":
        return question["months"], _("Месяц")
    return [], ""
