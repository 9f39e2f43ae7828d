"""The periodic jobs Celery beat runs: one entry a job, each task named by its path."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE: dict = {
    "heartbeat": {"task": "lms.tasks.record_heartbeat", "schedule": crontab()},
    "stalled-emails": {
        "task": "accounts.tasks.queue_stalled_emails",
        "schedule": crontab(minute="*/10"),
    },
    "webhook-retries": {"task": "webhooks.tasks.deliver_due", "schedule": crontab()},
    "xapi-retries": {"task": "xapi.tasks.send_due", "schedule": crontab()},
    "close-overdue-attempts": {
        "task": "exams.tasks.close_overdue_attempts",
        "schedule": crontab(),
    },
    "certificate-expiry-reminders": {
        "task": "certificates.tasks.send_expiry_reminders",
        "schedule": crontab(minute=15, hour=6),
    },
    "assignment-reminders": {
        "task": "assignments.tasks.send_assignment_reminders",
        "schedule": crontab(minute=5),
    },
    "overdue-digests": {
        "task": "assignments.tasks.send_overdue_digests",
        "schedule": crontab(minute=20),
    },
    "assignment-rules": {
        "task": "assignments.tasks.sync_assignment_rules",
        "schedule": crontab(minute=40),
    },
    "scheduled-notifications": {
        "task": "notifications.tasks.send_scheduled_notifications",
        "schedule": crontab(minute=10),
    },
    "purge-notifications": {
        "task": "notifications.tasks.purge_old_notifications",
        "schedule": crontab(minute=50, hour=3),
    },
    "item-analysis": {
        "task": "reports.tasks.refresh_all_item_analyses",
        "schedule": crontab(minute=30, hour=2),
    },
}
