from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import ListingButton

from forms.admin_views import FormIndexView, FormSubmissionsView, SubmissionDetailView
from forms.export_views import ExportDownloadView, ExportProgressView, ExportStatusView, StartExportView
from forms.models import AbstractFormPage, Submission
from forms.permissions import can_view_submissions


@hooks.register("register_admin_urls")
def register_submission_urls():
    return [
        path("form-submissions/", FormIndexView.as_view(), name="forms_admin_index"),
        path("form-submissions/<int:page_id>/", FormSubmissionsView.as_view(), name="forms_admin_submissions"),
        path("form-submissions/<int:page_id>/<int:pk>/", SubmissionDetailView.as_view(), name="forms_admin_detail"),
        path("form-submissions/<int:page_id>/exports/", StartExportView.as_view(), name="forms_admin_export_start"),
        path("form-submissions/<int:page_id>/exports/<int:pk>/", ExportStatusView.as_view(), name="forms_admin_export"),
        path(
            "form-submissions/<int:page_id>/exports/<int:pk>/progress/",
            ExportProgressView.as_view(),
            name="forms_admin_export_progress",
        ),
        path(
            "form-submissions/<int:page_id>/exports/<int:pk>/download/",
            ExportDownloadView.as_view(),
            name="forms_admin_export_download",
        ),
    ]


class SubmissionsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_submissions(request.user)


@hooks.register("register_admin_menu_item")
def register_submissions_menu_item():
    return SubmissionsMenuItem(_("Ответы на формы"), reverse("forms_admin_index"), icon_name="form", order=250)


@hooks.register("register_page_listing_buttons")
def submissions_button(page, user, next_url=None):
    if isinstance(page.specific_deferred, AbstractFormPage) and can_view_submissions(user):
        yield ListingButton(
            _("Ответы"), reverse("forms_admin_submissions", args=[page.pk]), icon_name="form", priority=15
        )


@hooks.register("before_delete_page")
def keep_forms_with_answers(request, page):
    """Answers have legal weight: a form that has them is unpublished, never deleted (nor the section holding it)."""
    own = Submission.objects.filter(page_id=page.pk).count()
    below = Submission.objects.filter(page__path__startswith=page.path).exclude(page_id=page.pk).count()
    if own:
        message = ngettext(
            "Удалить нельзя: на форму есть %(count)d ответ. Снимите страницу с публикации — ответы сохранятся.",
            "Удалить нельзя: на форму есть %(count)d ответов. Снимите страницу с публикации — ответы сохранятся.",
            own,
        ) % {"count": own}
    elif below:
        message = _(
            "Удалить нельзя: в этом разделе есть формы с ответами (ответов: %(count)d). Снимите страницы с "
            "публикации — ответы сохранятся."
        ) % {"count": below}
    else:
        return None
    messages.error(request, message)
    return redirect("wagtailadmin_pages:edit", page.pk)
