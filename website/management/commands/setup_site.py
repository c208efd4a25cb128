from django.core.management.base import BaseCommand
from django.db import transaction

from website.site_setup import ensure_home_pages


class Command(BaseCommand):
    help = (
        "Готовит сайт на новой установке: русская главная страница в корне сайта, её английский перевод, "
        "имя хоста и порт сайта (для ссылок в письмах и sitemap.xml). Повторный запуск создаёт только недостающее."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hostname", required=True, help="Например: blago.example.ru")
        parser.add_argument("--port", type=int, default=443, help="443 для https (по умолчанию), 80 для http.")

    def handle(self, *args, hostname, port, **options):
        with transaction.atomic():
            _home, site = ensure_home_pages(lambda message: self.stdout.write(f"  {message}"))
            if (site.hostname, site.port) != (hostname, port):
                site.hostname, site.port = hostname, port
                site.save()
                self.stdout.write(f"  адрес сайта: {hostname}:{port}")
        self.stdout.write(self.style.SUCCESS("Сайт готов."))
