"""«Мои формы и опросы» in the personal cabinet: drafts to continue and answers sent."""

from forms.models import Submission


def my_forms(request):
    submissions = (
        Submission.objects.standalone()
        .filter(user=request.user)
        .select_related("page")
        .order_by("status", "-updated_at")[:50]
    )
    return {"drafts": [s for s in submissions if s.is_draft], "sent": [s for s in submissions if not s.is_draft]}
