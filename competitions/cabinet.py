"""«Мои заявки на конкурсы» in the personal cabinet: the latest applications and the reports still owed."""

from competitions.models import Application, ApplicationReport, CompetitionIndexPage

LATEST = 5


def my_competitions(request):
    """Shown when the person has applications or there is a competitions page to start from; hidden otherwise."""
    own = Application.objects.of_applicant(request.user).select_related("competition")
    latest = list(own[:LATEST])
    index = CompetitionIndexPage.objects.live().first()
    if not latest and index is None:
        return None
    due = (
        ApplicationReport.objects.filter(
            application__in=own, status__in=[ApplicationReport.Status.DUE, ApplicationReport.Status.RETURNED]
        )
        .select_related("application", "report_form")
        .order_by("due_at")
    )
    return {
        "applications": latest,
        "more": own.count() > len(latest),
        "reports": list(due),
        "index_url": index.get_url(request) if index else "",
    }
