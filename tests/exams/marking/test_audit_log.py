"""Attempts in the audit log: each step of an attempt and of its grading is an
audit event about the candidate, written with the change; blind grading holds
there until the result is released."""

from datetime import timedelta

import pytest

from accounts import roles
from accounts.models import AuditEvent
from exams import services
from exams.models import Attempt, MarkingRole
from tests.exams.marking.support import T0, grade, sit
from tests.factories import make_exam, site_tree

pytestmark = pytest.mark.django_db


def events_for(attempt):
    return list(AuditEvent.objects.filter(target_id=str(attempt.pk)).order_by("pk"))


def test_an_attempt_s_start_and_submit_are_logged_about_the_candidate(learner):
    site_tree()
    quiz = make_exam(count=3)
    attempt = services.start_attempt(user=learner, exam=quiz, now=T0)
    services.submit_attempt(attempt=attempt, now=T0 + timedelta(minutes=3))
    started, submitted = events_for(attempt)
    assert started.action == "exams.attempt.started"
    assert submitted.action == "exams.attempt.submitted"
    for event in (started, submitted):
        assert event.subject == learner and event.actor == learner
    assert submitted.before["status"] == "in_progress"
    assert submitted.after["status"] == "graded"
    assert submitted.after["percent"] is not None
    # The start's event is written in the attempt's own statement: it names
    # the attempt as a save would.
    assert started.target_type.model_class() is Attempt
    assert started.target_label == str(attempt) and started.created_at is not None
    assert started.after["status"] == "in_progress" and started.before is None


def test_the_sweep_s_closing_is_logged_with_no_one_as_actor(learner):
    site_tree()
    quiz = make_exam(count=3)
    attempt = services.start_attempt(user=learner, exam=quiz, now=T0)
    services.close_overdue_attempts(now=T0 + timedelta(days=1))
    closed = events_for(attempt)[-1]
    assert closed.action in (
        "exams.attempt.closed_at_deadline",
        "exams.attempt.abandoned",
    )
    assert closed.actor is None and closed.subject == learner


def test_blind_grading_keeps_the_candidate_out_of_the_log_until_release(
    user_factory, exam
):
    candidate = user_factory(email="casey@example.com", last_name="Quillfeather")
    examiner = user_factory(email="erin@example.com", roles=[roles.EXAMINERS])
    attempt = sit(candidate, exam)
    before_release = events_for(attempt)
    assert {e.action for e in before_release} >= {
        "exams.attempt.started",
        "exams.attempt.submitted",
        "exams.marking.queued",
    }
    for event in before_release:
        assert event.subject is None and event.actor is None
        assert "Quillfeather" not in event.target_label
        assert attempt.candidate_number in event.target_label
    grade(attempt, MarkingRole.FIRST, examiner)
    attempt = Attempt.objects.get(pk=attempt.pk)
    released = [e for e in events_for(attempt) if e not in before_release]
    assert any(e.action == "exams.marking.finalised" for e in released)
    final = next(e for e in released if e.action == "exams.marking.finalised")
    assert final.subject == candidate and final.actor == examiner
    assert final.after["status"] == "graded"
