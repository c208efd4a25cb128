"""Publishing a form freezes its definition as a new version when the fields changed."""

from django.dispatch import receiver
from wagtail.signals import page_published

from forms.models import AbstractFormPage


@receiver(page_published)
def freeze_form_version(sender, instance, **kwargs):
    if isinstance(instance, AbstractFormPage):
        instance.current_version()
