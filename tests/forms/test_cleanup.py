"""forms_cleanup: old exports and abandoned anonymous drafts go; answers and signed-in drafts stay."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from forms.models import FormExport, Submission
from tests.factories import UserFactory
from tests.forms.factories import block, publish_form

pytestmark = pytest.mark.django_db


def test_old_exports_and_abandoned_anonymous_drafts_are_deleted(site_tree, client, django_capture_on_commit_callbacks):
    page = publish_form(
        site_tree["home"],
        [block("short_text", "Предложение", id="idea"), block("email", "Почта", id="mail")],
        allow_anonymous=True,
    )
    long_ago = timezone.now() - timedelta(days=40)

    client.post(page.url, {"step": "1", "action": "submit", "idea": "Фонтан", "mail": "a@mail.ru"})
    client.cookies.clear()
    client.post(page.url, {"step": "1", "action": "save", "idea": "Скамейки"})  # anonymous draft, abandoned
    signed_in = UserFactory()
    client.force_login(signed_in)
    client.post(page.url, {"step": "1", "action": "save", "idea": "Свет"})
    Submission.objects.update(updated_at=long_ago)

    old = FormExport.objects.create(page=page, requested_by=signed_in, format="csv", status="done")
    old.file.save("old.csv", ContentFile(b"x"))
    FormExport.objects.filter(pk=old.pk).update(created_at=long_ago)
    fresh = FormExport.objects.create(page=page, requested_by=signed_in, format="csv", status="done")
    old_path = Path(old.file.path)

    output = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("forms_cleanup", stdout=output)

    assert "Удалено выгрузок: 1; черновиков без входа: 1." in output.getvalue()
    assert list(FormExport.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not old_path.exists()
    remaining = Submission.objects.order_by("pk")
    assert [(s.status, s.user_id) for s in remaining] == [("submitted", None), ("draft", signed_in.pk)]
