"""Closing an attempt locks the attempt, not its exam.

The submit, the deadline sweep, an appeal and the examiners' markings read the
attempt with its exam under a row lock. Without ``OF``, PostgreSQL's
``FOR UPDATE`` also locks every joined row: the exam's page row, so every submit
of an exam waited for the one before it to commit (the exam-day rush), and all of
them waited for an editor saving the exam. Each test here holds the exam's page
row locked, as a concurrent transaction would, and the call must not wait.
"""

import threading
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from accounts import roles
from exams import marking_services, services
from exams.models import Attempt, AttemptStatus, Marking
from tests.exams.marking.support import sit
from tests.factories import (
    make_bank,
    make_exam,
    make_practical_exam,
    rubric_levels,
    site_tree,
)

from .conftest import concurrent_transactions

pytestmark = concurrent_transactions("row locks")


def without_waiting_for_the_exam(exam, call, *, seconds=5):
    """Run ``call`` in another connection while this one holds the exam's rows."""
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            outcome["error"] = exc
        finally:
            connection.close()

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM wagtailcore_page p JOIN exams_exampage e "
                "ON e.page_ptr_id = p.id WHERE p.id = %s FOR UPDATE",
                [exam.pk],
            )
        thread = threading.Thread(target=run)
        thread.start()
        thread.join(seconds)
        waited = thread.is_alive()
    thread.join(30)
    assert not waited, "it waited for the lock on the exam's page"
    assert "error" not in outcome, outcome.get("error")
    return outcome["result"]


def sitting(user_factory):
    site_tree()
    exam = make_exam(bank=make_bank(questions=4), count=4)
    return exam, services.start_attempt(user=user_factory(), exam=exam)


def test_a_submit_does_not_wait_for_the_exams_row(user_factory):
    exam, attempt = sitting(user_factory)
    closed = without_waiting_for_the_exam(
        exam, lambda: services.submit_attempt(attempt=attempt)
    )
    assert closed.status == AttemptStatus.GRADED


def test_the_sweep_does_not_wait_for_the_exams_row(user_factory):
    exam, attempt = sitting(user_factory)
    past = timezone.now() - timedelta(minutes=1)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=past, cutoff=past)
    closed = without_waiting_for_the_exam(
        exam, lambda: services.close_overdue_attempt(attempt_id=attempt.pk)
    )
    assert closed.status == AttemptStatus.GRADED and closed.auto_submitted


def test_an_examiner_takes_and_grades_without_waiting_for_the_exams_row(
    user_factory,
):
    site_tree()
    exam = make_practical_exam(theory=2, tasks=1)
    attempt = sit(user_factory(), exam)
    examiner = user_factory(roles=[roles.EXAMINERS])
    marking = Marking.objects.get(attempt=attempt)
    without_waiting_for_the_exam(
        exam,
        lambda: marking_services.claim_marking(
            marking_id=marking.pk, examiner=examiner
        ),
    )
    without_waiting_for_the_exam(
        exam,
        lambda: marking_services.submit_marking(
            marking_id=marking.pk,
            examiner=examiner,
            levels=rubric_levels(attempt),
            feedback="Clear.",
        ),
    )
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
