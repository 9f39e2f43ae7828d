from celery import shared_task

from . import notices, services


@shared_task(acks_late=True)
def send_scheduled_notifications() -> int:
    """Hourly (people's days start at different hours): weeks opening today, classes
    tomorrow. Each goes once (a keyed notification), whatever reruns."""
    return notices.weeks_opening() + notices.classes_tomorrow()


@shared_task(acks_late=True)
def purge_old_notifications() -> int:
    return services.purge_old()
