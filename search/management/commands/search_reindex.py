import sys
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from search import service


class Command(BaseCommand):
    help = (
        "Перестраивает поисковый индекс из опубликованных страниц. Сайт продолжает отвечать на поиск: "
        "в базе данных записи обновляются пачками, в Elasticsearch новый индекс подменяет старый через алиас."
    )

    def handle(self, *args, **options):
        total = service.count_candidates()
        started = time.monotonic()
        started_at = timezone.now()
        backend = service.get_backend()
        self.stdout.write(f"Бэкенд: {type(backend).__name__}; страниц-кандидатов: {total}")
        done = backend.rebuild(service.all_documents(), total=total, progress=self._progress)
        # Pages published while the rebuild ran may have gone to the index that was just replaced.
        for page in service.pages_published_since(started_at):
            service.index_page(page)
        if sys.stderr.isatty():
            sys.stderr.write("\n")
        self.stdout.write(
            self.style.SUCCESS(f"Готово: в индексе {done} документов за {time.monotonic() - started:.1f} с.")
        )

    def _progress(self, done, total):
        if total:
            width = 30
            filled = min(width, round(width * done / total))
            line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        else:
            line = f"{done}"
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{line}")
        else:
            self.stdout.write(line)
