from celery import shared_task

from . import reminders, services


@shared_task(acks_late=True)
def send_assignment_reminders() -> int:
    """Beat runs this hourly (people's days start at different hours); safe to run
    twice or in parallel."""
    return reminders.send_assignment_reminders()


@shared_task(acks_late=True)
def send_overdue_digests() -> int:
    """Hourly too; each digest goes once per day (manager) or week (organisation)."""
    return reminders.send_overdue_digests()


@shared_task(acks_late=True)
def sync_assignment_rules() -> int:
    """The safety net behind the signals: every rule asked again."""
    return services.sync_rules()
