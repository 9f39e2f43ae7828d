"""The fast unit suite: in-memory e-mail and cache, eager Celery tasks."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key-only-for-the-test-suite-7d1e2f4a9b"
DEBUG = False
WEBHOOKS_ALLOW_HTTP = True  # the tests' receivers listen on 127.0.0.1
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker process started by an integration test writes its mail to files instead.
EMAIL_BACKEND = os.environ.get(
    "LMS_TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("LMS_TEST_EMAIL_FILE_PATH", "")
# Room for what a grown catalog keeps: the default 300 entries would drop kept
# parts in the middle of a test that grows the data and counts its queries.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Integration tests (marked ``integration``) run a real worker: they set the broker.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("LMS_CELERY_EAGER", "1") == "1"
CELERY_TASK_EAGER_PROPAGATES = True
# Tests warm visitors' pages when they mean to, not after every page they make.
VISITOR_PAGES_WARM_DELAY = None
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
# Integration tests kill workers on purpose: redeliver their tasks quickly.
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "visibility_timeout": 5,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
        # A worker killed while sweeping holds the sweep's lock until it expires.
        "unacked_mutex_expire": 3,
    }
    if CELERY_BROKER_URL.startswith("redis://")
    else {}
)
WAGTAILADMIN_BASE_URL = "http://testserver"
SITE_URL = WAGTAILADMIN_BASE_URL
ALLOWED_HOSTS = ["*"]

# Each test process signs credentials and PDFs with its own throwaway keys.
_KEYS = Path(tempfile.mkdtemp(prefix="lms-test-keys-"))
atexit.register(shutil.rmtree, _KEYS, True)
CREDENTIAL_KEYS_DIR = _KEYS / "credentials"
CERTIFICATE_PDF_SIGNING_DIR = _KEYS / "pdf"
