from celery import shared_task

from . import delivery


@shared_task(acks_late=True)
def deliver(delivery_id: int) -> str | None:
    return delivery.attempt(delivery_id)


@shared_task
def deliver_due() -> int:
    """Retries that are due (every minute, from beat)."""
    due = delivery.due_ids()
    for pk in due:
        delivery.attempt(pk)
    return len(due)
