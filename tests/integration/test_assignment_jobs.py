"""Assigned training's reminders with real parts: PostgreSQL, Redis and a Celery
worker process. Each reminder and digest goes out once, whatever runs at once."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from accounts.models import OutboundEmail
from assignments import reminders, services
from assignments.models import AssignmentReminder, AudienceKind, DigestSent
from tests.factories import make_course, site_tree

from .conftest import delivered_once, kill_mid_batch_and_restart
from .test_certificate_jobs import run_together

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def overdue_team(worker_env, user_factory):
    """A manager with 30 reports, all 5 days overdue with one course."""
    site_tree()
    admin = user_factory()
    admin.groups.add(Group.objects.get_or_create(name=roles.TRAINING_ADMINS)[0])
    manager = user_factory()
    team = [user_factory(manager=manager) for _ in range(30)]
    services.create_assignment(
        actor=admin,
        item=make_course(modules=1),
        audience=AudienceKind.PEOPLE,
        people=team,
        due_on=timezone.localdate() - timedelta(days=5),
    )
    return manager, team


def test_two_schedulers_at_once_send_each_reminder_and_digest_once(overdue_team):
    manager, team = overdue_team

    def both_jobs():
        reminders.send_assignment_reminders()
        reminders.send_overdue_digests()

    errors = run_together(4, both_jobs)

    assert errors == []
    assert AssignmentReminder.objects.count() == len(team)
    assert DigestSent.objects.filter(recipient=manager).count() == 1
    assert OutboundEmail.objects.count() == len(team) + 1


def test_a_worker_killed_mid_batch_delivers_each_reminder_once(
    overdue_team, celery_worker_process, mail_dir
):
    _manager, team = overdue_team
    celery_worker_process.kill()  # queue the batch with no worker running
    assert reminders.send_assignment_reminders() == len(team)
    assert reminders.send_assignment_reminders() == 0  # a rerun claims nothing
    kill_mid_batch_and_restart(celery_worker_process, OutboundEmail.objects, len(team))
    assert delivered_once(mail_dir, len(team))
