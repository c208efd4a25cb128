"""Test settings: fast hashing, isolated media, local-memory cache, tasks run inline."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="platform-test-media-")
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="platform-test-private-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The suite runs on the database backend even where ELASTICSEARCH_URL is set: only the Elasticsearch
# contract tests (tests/search/test_elasticsearch_backend.py) read it, each with an index prefix of its own.
ELASTICSEARCH_URL = None
STATIC_ROOT = tempfile.mkdtemp(prefix="platform-test-static-")
# allauth's rate limits live in the cache and would leak between tests sending the same e-mail.
ACCOUNT_RATE_LIMITS = False
ADMIN_CREDENTIALS_FILE = Path(tempfile.mkdtemp(prefix="platform-test-admin-")) / ".admin-login.txt"
