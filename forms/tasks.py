"""Background work of the form engine: building exports of answers."""

import tempfile

from django.conf import settings
from django.core.files import File
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from forms.exports import AnswerTable, ExportError, write_csv, write_xlsx
from forms.models import FormExport

PROGRESS_EVERY = 200


@task()
def build_export(export_id):
    """Write the export's file to private storage, reporting progress every PROGRESS_EVERY rows.

    A failure is recorded on the export with a message for the staff page, then raised again for the worker's log.
    """
    claimed = FormExport.objects.filter(pk=export_id, status=FormExport.Status.QUEUED).update(
        status=FormExport.Status.RUNNING
    )
    if not claimed:
        return  # deleted meanwhile, or another worker took it
    export = FormExport.objects.select_related("page").get(pk=export_id)
    updates = FormExport.objects.filter(pk=export_id)
    try:
        # The same headers whether the task runs inside an admin's request (in their language) or in a worker.
        with translation.override(settings.LANGUAGE_CODE):
            written = write_file(export, updates)
    except Exception as error:
        updates.update(status=FormExport.Status.FAILED, error=failure_message(error), finished_at=timezone.now())
        raise
    updates.update(status=FormExport.Status.DONE, done=written, file=export.file.name, finished_at=timezone.now())


def write_file(export, updates):
    """Build the file in a scratch file, then store it; returns the number of answers written."""
    table = AnswerTable(export.page_id, submitted_until=timezone.now())
    updates.update(total=table.count())

    def on_row(count):
        if count % PROGRESS_EVERY == 0:
            updates.update(done=count)

    with tempfile.TemporaryFile() as scratch:
        if export.format == FormExport.Format.XLSX:
            written = write_xlsx(table, scratch, on_row, title=export.page.title)
        else:
            written = write_csv(table, scratch, on_row)
        scratch.seek(0)
        export.file.save(export.download_name(), File(scratch), save=False)
    return written


def failure_message(error):
    if isinstance(error, ExportError):
        return str(error)
    return _(
        "Выгрузка не собралась из-за ошибки на сервере (%(error)s). Попробуйте ещё раз; если не выйдет — "
        "сообщите администратору платформы."
    ) % {"error": f"{type(error).__name__}: {error}"}
