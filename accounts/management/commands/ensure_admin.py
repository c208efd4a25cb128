import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Создаёт учётную запись администратора, если её ещё нет, и печатает логин. "
        "Пароль хранится в .admin-login.txt (файл не попадает в git); смените его после первого входа."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default="admin@example.org")
        parser.add_argument("--url", default=settings.WAGTAILADMIN_BASE_URL, help="Адрес сайта для подсказки входа.")

    def handle(self, *args, email, url, **options):
        credentials_file = Path(settings.ADMIN_CREDENTIALS_FILE)
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            if credentials_file.exists():
                self.stdout.write(credentials_file.read_text(encoding="utf-8"))
            else:
                self.stdout.write(
                    "Администратор уже есть. Забыли пароль: .venv/bin/python manage.py changepassword <логин>"
                )
            return
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            user = User.objects.create_superuser(username="admin", email=email, password=password)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        message = (
            f"Вход в редактор: {url.rstrip('/')}/admin/\n  логин: admin  (или {email} на сайте)\n  пароль: {password}\n"
        )
        credentials_file.write_text(message, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(message))
