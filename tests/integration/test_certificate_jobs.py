"""Certificates with real parts: PostgreSQL, Redis and a Celery worker process."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import OutboundEmail
from certificates import services
from certificates.models import Certificate, ReminderSent
from tests.factories import make_exam, make_level, pass_exam, site_tree

from .conftest import delivered_once, kill_mid_batch_and_restart

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_together(count, target):
    barrier = threading.Barrier(count)
    errors = []

    def worker():
        try:
            barrier.wait(timeout=10)
            target()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


def due_certificates(level, user_factory, count, days):
    today = timezone.localdate()
    for n in range(count):
        user = user_factory()
        Certificate.objects.create(
            serial=f"MWR-INT-{n:05d}",
            holder=user,
            holder_name=user.display_name,
            kind="certification",
            level=level,
            title=level.title,
            issued_on=today - timedelta(days=900),
            expires_on=today + timedelta(days=days),
        )


@pytest.fixture
def level(worker_env):
    site_tree()
    return make_level(exams=[make_exam(count=4)], code="associate")


def test_concurrent_attempt_passed_handling_issues_one_certificate(level, learner):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    attempt = pass_exam(learner, level.required_exams.get().exam)
    Certificate.objects.all().delete()
    errors = run_together(6, lambda: services.issue_for_passed_attempt(attempt=attempt))
    assert errors == []
    assert Certificate.objects.filter(holder=learner, level=level).count() == 1


def test_parallel_reminder_runs_send_one_email_each(level, user_factory):
    due_certificates(level, user_factory, 20, days=30)
    errors = run_together(4, services.send_expiry_reminders)
    assert errors == []
    assert ReminderSent.objects.count() == 20
    assert OutboundEmail.objects.count() == 20


def test_a_worker_killed_mid_batch_and_restarted_sends_each_reminder_once(
    level, user_factory, celery_worker_process, mail_dir
):
    due_certificates(level, user_factory, 40, days=7)
    celery_worker_process.kill()  # queue the batch with no worker running
    assert services.send_expiry_reminders() == 40
    assert services.send_expiry_reminders() == 0  # a rerun claims nothing
    kill_mid_batch_and_restart(celery_worker_process, OutboundEmail.objects, 40)
    assert delivered_once(mail_dir, 40)
    assert ReminderSent.objects.count() == 40
