from celery import shared_task

from . import services


@shared_task
def close_overdue_attempts() -> int:
    """Beat runs this every minute: grade (or abandon) attempts past their cutoff."""
    return services.close_overdue_attempts()


@shared_task
def build_pool(bank_id: int) -> int:
    """Keep a just-published bank's questions ready for exam starts."""
    from . import pools

    return pools.build(bank_id)
