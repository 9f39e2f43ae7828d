from celery import shared_task

from . import sending


@shared_task(acks_late=True)
def send(statement_pk: int) -> str | None:
    return sending.attempt(statement_pk)


@shared_task
def send_due() -> int:
    """Retries that are due (every minute, from beat)."""
    due = sending.due_ids()
    for pk in due:
        sending.attempt(pk)
    return len(due)
