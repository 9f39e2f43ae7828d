from celery import shared_task


@shared_task(ignore_result=False)
def noop() -> bool:
    """Bq: a task that does nothing, so its round trip is all broker and worker."""
    return True
