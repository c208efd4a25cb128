"""Delete what the form engine keeps only for a while: old exports (personal data) and abandoned anonymous drafts.

Submitted answers and drafts of signed-in people are never touched. Run daily from cron.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from forms.models import FormExport, Submission


class Command(BaseCommand):
    help = "Удаляет старые выгрузки ответов и брошенные черновики анонимных ответов."

    def add_arguments(self, parser):
        parser.add_argument("--exports-days", type=int, default=30, help="Хранить выгрузки столько дней (30).")
        parser.add_argument(
            "--anonymous-drafts-days", type=int, default=30, help="Хранить черновики без входа столько дней (30)."
        )

    def handle(self, *args, exports_days, anonymous_drafts_days, **options):
        now = timezone.now()
        exports = FormExport.objects.filter(created_at__lt=now - timedelta(days=exports_days)).exclude(
            status__in=[FormExport.Status.QUEUED, FormExport.Status.RUNNING]
        )
        drafts = (
            Submission.objects.standalone()
            .drafts()
            .filter(user__isnull=True, updated_at__lt=now - timedelta(days=anonymous_drafts_days))
        )
        deleted_exports = deleted_drafts = 0
        for export in exports:
            with transaction.atomic():
                name, storage = export.file.name, export.file.storage
                export.delete()
                if name:
                    transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
            deleted_exports += 1
        for draft in drafts.prefetch_related("files"):
            with transaction.atomic():
                files = [(stored.file.name, stored.file.storage) for stored in draft.files.all()]
                draft.delete()
                for name, storage in files:
                    transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
            deleted_drafts += 1
        self.stdout.write(f"Удалено выгрузок: {deleted_exports}; черновиков без входа: {deleted_drafts}.")
