from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def generate_certificate_pdf(certificate_id: int) -> bool:
    return services.generate_certificate_pdf(certificate_id=certificate_id) is not None


@shared_task(acks_late=True)
def send_expiry_reminders() -> int:
    """Beat runs this daily; safe to run twice or in parallel."""
    return services.send_expiry_reminders()
