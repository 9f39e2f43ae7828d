"""Reachability checks for /healthz: each returns (ok, detail) and never raises."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from kombu import Connection

BROKER_TIMEOUT_SECONDS = 2


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "unreachable"
        return False, exc.__class__.__name__
    return True, connection.vendor


def check_cache() -> tuple[bool, str]:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=5)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001
        return False, exc.__class__.__name__
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return ok, backend if ok else "read-back failed"


def check_broker() -> tuple[bool, str]:
    url = settings.CELERY_BROKER_URL
    options = dict(getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}))
    try:
        with Connection(
            url, transport_options=options, connect_timeout=BROKER_TIMEOUT_SECONDS
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
            transport = conn.transport_cls
    except Exception as exc:  # noqa: BLE001
        return False, exc.__class__.__name__
    return True, str(transport)
