from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    autoretry_for=(OSError, OperationalError),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def send_queued_email(email_id: int) -> bool:
    return services.send_queued_email(email_id=email_id)


@shared_task
def queue_stalled_emails() -> int:
    return services.queue_stalled_emails()
