from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from website.demo_registry import loaders


class Command(BaseCommand):
    help = "Загружает демонстрационное содержимое. Повторный запуск ничего не меняет: создаётся только недостающее."

    def handle(self, *args, **options):
        autodiscover_modules("demo")
        with transaction.atomic():
            for loader in loaders():
                self.stdout.write(f"— {loader.name}")
                loader.load(lambda message: self.stdout.write(f"    {message}"))
        self.stdout.write(self.style.SUCCESS("Демонстрационное содержимое на месте."))
