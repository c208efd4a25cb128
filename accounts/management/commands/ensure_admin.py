import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".admin-login.txt"


class Command(BaseCommand):
    help = (
        "Создаёт учётную запись администратора, если её ещё нет, и печатает логин. "
        "Пароль хранится в .admin-login.txt (файл не попадает в git); смените его после первого входа."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default="admin@example.org")

    def handle(self, *args, email, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            if CREDENTIALS_FILE.exists():
                self.stdout.write(CREDENTIALS_FILE.read_text(encoding="utf-8"))
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
            "Вход в редактор: http://127.0.0.1:8000/admin/\n"
            f"  логин: admin  (или {email} на сайте)\n"
            f"  пароль: {password}\n"
        )
        CREDENTIALS_FILE.write_text(message, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(message))
