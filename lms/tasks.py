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
