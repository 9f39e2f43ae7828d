from celery import shared_task

from . import services


@shared_task(acks_late=True)
def refresh_item_analysis(exam_id: int) -> bool:
    """Recompute one exam's stored item analysis; idempotent."""
    return services.refresh_item_analysis(exam_id=exam_id) is not None


@shared_task(acks_late=True)
def refresh_all_item_analyses() -> int:
    """Beat runs this nightly: one refresh task per exam with graded attempts."""
    return services.schedule_all_item_analyses()
