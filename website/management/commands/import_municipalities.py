import csv
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from website.models import Municipality, MunicipalityKind

COLUMNS = ["short_name", "official_name", "kind", "centre", "oktmo", "kind_changed_at", "note"]
REQUIRED = ["short_name", "official_name", "kind"]


class Command(BaseCommand):
    help = (
        "Обновляет муниципальные образования из CSV (UTF-8, разделитель — запятая или точка с запятой). "
        "Колонки: " + ", ".join(COLUMNS) + ". Обязательны: " + ", ".join(REQUIRED) + ". "
        "Строки сопоставляются по short_name; при любой ошибке не меняется ничего."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        with translation.override(settings.LANGUAGE_CODE):
            self.import_file(path)

    def import_file(self, path):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(f"Файл не найден: {path}") from error
        except UnicodeDecodeError as error:
            raise CommandError("Файл не в кодировке UTF-8. Сохраните его как «CSV UTF-8».") from error
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;")
        reader = csv.DictReader(text.splitlines(), dialect=dialect)
        missing = [column for column in REQUIRED if column not in (reader.fieldnames or [])]
        if missing:
            raise CommandError("В файле нет обязательных колонок: " + ", ".join(missing))

        errors, records, seen = [], [], {}
        for line, row in enumerate(reader, start=2):
            values = {column: (row.get(column) or "").strip() for column in COLUMNS if column in row}
            if values["short_name"] in seen:
                errors.append(
                    f"строка {line}: short_name «{values['short_name']}» уже был в строке {seen[values['short_name']]}"
                )
                continue
            seen[values["short_name"]] = line
            if values.get("kind") not in MunicipalityKind.values:
                errors.append(
                    f"строка {line}: kind «{values.get('kind')}» — допустимо: {', '.join(MunicipalityKind.values)}"
                )
                continue
            municipality = Municipality.objects.filter(short_name=values["short_name"]).first() or Municipality()
            for column, value in values.items():
                setattr(municipality, column, value or None if column == "kind_changed_at" else value)
            try:
                municipality.full_clean(validate_unique=False)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    errors.append(f"строка {line}: {field} — {' '.join(messages)}")
                continue
            records.append(municipality)
        if errors:
            raise CommandError("Ничего не изменено. Исправьте ошибки:\n" + "\n".join(errors))

        with transaction.atomic():
            created = sum(1 for municipality in records if municipality.pk is None)
            for municipality in records:
                municipality.save()
                municipality.save_revision(log_action=True)
        self.stdout.write(self.style.SUCCESS(f"Готово: обновлено {len(records) - created}, добавлено {created}."))
