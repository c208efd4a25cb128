"""Staff views of answers in the Wagtail admin: forms with their counts, a form's submissions, one submission."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page, get_page_models

from forms.models import AbstractFormPage, Submission
from forms.permissions import can_view_submissions

PREVIEW_COLUMNS = 3
PAGE_SIZE = 50


def form_page_models():
    return [model for model in get_page_models() if issubclass(model, AbstractFormPage)]


def form_page_or_404(page_id):
    return get_object_or_404(Page.objects.type(*form_page_models()), pk=page_id).specific


class SubmissionViewerMixin:
    def dispatch(self, request, *args, **kwargs):
        if not can_view_submissions(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class FormIndexView(SubmissionViewerMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "forms/admin/form_index.html"
    page_title = _("Ответы на формы")
    header_icon = "form"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        pages = (
            Page.objects.type(*form_page_models())
            .annotate(
                submitted=Count("form_submissions", filter=Q(form_submissions__status=Submission.Status.SUBMITTED)),
                drafts=Count("form_submissions", filter=Q(form_submissions__status=Submission.Status.DRAFT)),
                last_submitted=Max("form_submissions__submitted_at"),
            )
            .select_related("content_type", "locale")
            .order_by("-last_submitted", "title")
        )
        return {**super().get_context_data(**kwargs), "pages": pages}


class FormSubmissionsView(SubmissionViewerMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "forms/admin/submission_list.html"
    header_icon = "form"

    def get_page_title(self):
        return _("Ответы: %(title)s") % {"title": self.form_page.title}

    def dispatch(self, request, *args, **kwargs):
        self.form_page = form_page_or_404(kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("forms_admin_index"), "label": _("Ответы на формы")},
            {"url": "", "label": self.form_page.title},
        ]

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", Submission.Status.SUBMITTED)
        submissions = Submission.objects.filter(page_id=self.form_page.pk).select_related("user", "version")
        if status in Submission.Status.values:
            submissions = submissions.filter(status=status)
        page_obj = Paginator(submissions.order_by("-submitted_at", "-updated_at"), PAGE_SIZE).get_page(
            self.request.GET.get("p")
        )
        columns = [item for item in self.form_page.definition.fields if item.kind not in {"consent"}][:PREVIEW_COLUMNS]
        definitions = {}  # a version's definition is read once per page of the list, not once per row
        rows = []
        for submission in page_obj:
            own = definitions.setdefault(submission.version_id, submission.version.form)
            cells = [
                own.by_id[item.id].display(submission.data.get(item.id)) if item.id in own.by_id else ""
                for item in columns
            ]
            rows.append({"submission": submission, "cells": cells})
        return {
            **super().get_context_data(**kwargs),
            "form_page": self.form_page,
            "columns": columns,
            "rows": rows,
            "page_obj": page_obj,
            "status": status,
            "statuses": [("submitted", _("Отправленные")), ("draft", _("Черновики")), ("all", _("Все"))],
        }


class SubmissionDetailView(SubmissionViewerMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "forms/admin/submission_detail.html"
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        self.submission = get_object_or_404(
            Submission.objects.select_related("page", "version", "user"), pk=kwargs["pk"], page_id=kwargs["page_id"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Ответ № %(number)d") % {"number": self.submission.pk}

    def get_breadcrumbs_items(self):
        page = self.submission.page
        return [
            *self.breadcrumbs_items,
            {"url": reverse("forms_admin_index"), "label": _("Ответы на формы")},
            {"url": reverse("forms_admin_submissions", args=[page.pk]), "label": page.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "submission": self.submission,
            "form_page": self.submission.page.specific,
            "history": describe_history(self.submission),
            "current_version": self.submission.page.specific.current_version(),
        }


def describe_history(submission):
    """Each history record, newest first, with what it did: started, sent, or which answers it changed."""
    labels = {item.id: item.label for item in submission.version.form.fields}
    records = list(submission.history.select_related("history_user").order_by("history_date", "history_id"))
    described, previous = [], None
    for record in records:
        if previous is None:
            action = _("начат")
        elif record.status != previous.status and record.status == Submission.Status.SUBMITTED:
            action = _("отправлен")
        else:
            action = _("изменён")
        before = previous.data if previous else {}
        changed = [labels.get(key, key) for key in {**before, **record.data} if before.get(key) != record.data.get(key)]
        described.append({"record": record, "action": action, "changed": changed})
        previous = record
    return list(reversed(described))
