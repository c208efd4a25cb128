"""Who may see what people answered."""

VIEW_SUBMISSIONS = "forms.view_submission"


def can_view_submissions(user):
    """Staff roles with the model permission (Методист, Секретарь конкурса) and superusers."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(VIEW_SUBMISSIONS))
