from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_KEY = "lms:scheduler-heartbeat"


@shared_task
def record_heartbeat() -> str:
    """Run every minute by beat, so /healthz can tell when jobs last ran."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now


@shared_task(ignore_result=False)
def warm_visitor_pages(hosts: list[str] | None = None) -> dict:
    """Keep every visitor's page in the cache for the current content version:
    queued after each content change (at most one warm-up a version), or asked
    for on named ``hosts``."""
    from .page_cache import warm, warm_once

    return warm_once() if hosts is None else warm(hosts)
