"""The embedded demo: ``make run`` with no environment set."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
# Webhook receivers on this machine (the README's example) use plain HTTP.
WEBHOOKS_ALLOW_HTTP = True
SECRET_KEY = os.environ.get(
    "SECRET_KEY", "dev-only-secret-key-never-used-in-production-3f9b0c5e7a"
)
VAR_DIR.mkdir(parents=True, exist_ok=True)

# The demo's web server, worker and beat share one SQLite file: readers never block
# the writer (WAL), a writer waits for the lock instead of failing at once, and a
# write transaction takes the lock when it starts rather than half way through.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
