"""The production settings plus what only a benchmark run needs.

The baseline views (B0, B1) and the no-op task (Bq) exist only under these settings:
``ROOT_URLCONF`` points at :mod:`bench.urls`, which adds them to the real URLs.
The bench talks plain HTTP to gunicorn on 127.0.0.1, so the HTTPS-only cookies and
redirects of production are off; everything else (Redis sessions and cache, a real
Celery worker, PostgreSQL) is the production shape.
"""

import os

from lms.settings.production import *  # noqa: F403
from lms.settings.production import INSTALLED_APPS, STORAGES

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Pages are measured without their static files, so no collectstatic manifest.
STORAGES["staticfiles"] = {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Bq times a task's round trip, so results must come back.
CELERY_RESULT_BACKEND = os.environ.get("BENCH_RESULT_URL", "")
CELERY_TASK_IGNORE_RESULT = not CELERY_RESULT_BACKEND
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# The bench changes no content while it measures: it warms the visitors' pages once
# after building its data, as a deploy does, instead of after each page it builds.
VISITOR_PAGES_WARM_DELAY = None
# The bench's throwaway var/ gets throwaway signing keys, made on first use as in
# development (production mounts the issuer's own).
CREDENTIAL_KEYS_CREATE = True
