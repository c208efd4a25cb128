"""Exports of a form's answers in the Wagtail admin: start one, follow its progress, download the file."""

from functools import partial

from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from forms.admin_views import SubmissionViewerMixin, form_page_or_404
from forms.models import FormExport
from forms.tasks import build_export
from forms.views import private_file_response

RECENT_EXPORTS = 5
CONTENT_TYPES = {
    FormExport.Format.CSV: "text/csv; charset=utf-8",
    FormExport.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_or_404(page_id, pk):
    return get_object_or_404(FormExport.objects.select_related("page", "requested_by"), pk=pk, page_id=page_id)


def refusal(request, form_page, title, message, *, status, export=None):
    context = {"form_page": form_page, "title": title, "message": message, "export": export}
    return TemplateResponse(request, "forms/admin/export_refused.html", context, status=status)


class StartExportView(SubmissionViewerMixin, View):
    http_method_names = ["post"]

    def post(self, request, page_id):
        form_page = form_page_or_404(page_id)
        export_format = request.POST.get("format", "")
        if export_format not in FormExport.Format.values:
            message = _(
                "Неизвестный формат выгрузки «%(format)s». Нажмите «Выгрузить CSV» или «Выгрузить XLSX» "
                "на странице ответов."
            ) % {"format": export_format[:20]}
            return refusal(request, form_page, _("Выгрузка не начата"), message, status=400)
        export = FormExport.objects.create(page=form_page, requested_by=request.user, format=export_format)
        transaction.on_commit(partial(build_export.enqueue, export.pk))
        return redirect("forms_admin_export", form_page.pk, export.pk)


class ExportStatusView(SubmissionViewerMixin, WagtailAdminTemplateMixin, TemplateView):
    """The export's progress; the page polls ExportProgressView, or refreshes itself where scripts are off."""

    template_name = "forms/admin/export_status.html"
    header_icon = "download"

    def get(self, request, *args, **kwargs):
        self.export = export_or_404(kwargs["page_id"], kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return _("Выгрузка № %(number)d") % {"number": self.export.pk}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("forms_admin_index"), "label": _("Ответы на формы")},
            {"url": reverse("forms_admin_submissions", args=[self.export.page_id]), "label": self.export.page.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        recent = FormExport.objects.filter(page_id=self.export.page_id).select_related("requested_by")
        return {
            **super().get_context_data(**kwargs),
            "export": self.export,
            "form_page": self.export.page,
            "recent_exports": recent[:RECENT_EXPORTS],
            "progress_url": reverse("forms_admin_export_progress", args=[self.export.page_id, self.export.pk]),
        }


class ExportProgressView(SubmissionViewerMixin, View):
    http_method_names = ["get"]

    def get(self, request, page_id, pk):
        export = export_or_404(page_id, pk)
        return JsonResponse(
            {
                "status": export.status,
                "status_label": export.get_status_display(),
                "finished": export.is_finished,
                "total": export.total,
                "done": export.done,
                "percent": export.percent,
            }
        )


class ExportDownloadView(SubmissionViewerMixin, View):
    http_method_names = ["get"]

    def get(self, request, page_id, pk):
        export = export_or_404(page_id, pk)
        if export.status != FormExport.Status.DONE:
            message = _("Выгрузка ещё не готова или не удалась: её состояние — «%(status)s».") % {
                "status": export.get_status_display()
            }
            return refusal(request, export.page, _("Файла пока нет"), message, status=409, export=export)
        try:
            handle = export.file.open("rb")
        except FileNotFoundError:
            message = _("Файл выгрузки не найден в хранилище: запустите выгрузку заново.")
            return refusal(request, export.page, _("Файла нет"), message, status=410)
        return private_file_response(handle, export.download_name(), CONTENT_TYPES[export.format])
