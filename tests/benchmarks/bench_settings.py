"""Settings of the gunicorn that the form-submission benchmark starts: production-like, on plain HTTP at 127.0.0.1.

The database comes from DATABASE_URL and the anonymous rate limit from FORMS_ANONYMOUS_SUBMISSIONS_PER_HOUR, both
set by the benchmark. Production settings are not used because they force HTTPS and secure-only cookies.
"""

from website.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-secret-key"
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "tests.benchmarks.bench_urls"
