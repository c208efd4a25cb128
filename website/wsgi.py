import os

from django.core.wsgi import get_wsgi_application

# Servers run production settings unless told otherwise; `manage.py runserver` uses dev settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.production")

application = get_wsgi_application()
