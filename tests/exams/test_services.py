from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from courses.models import Enrollment
from exams import services
from exams.models import Attempt, AttemptStatus, DeadlinePolicy, Question
from exams.signals import attempt_passed
from tests.factories import (
    any_answer_stored,
    choice_answer,
    correct_response,
    make_bank,
    make_exam,
    served_question,
)

from .conftest import finish_modules

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def answer_all_correctly(attempt, sequence=1, now=None):
    questions = list(attempt.served_questions())
    return services.save_answers(
        attempt=attempt,
        sequence=sequence,
        answers={q.position: correct_response(q.snapshot) for q in questions},
        now=now,
    )


def test_start_stores_the_deadline_and_freezes_the_questions(exam, learner):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    assert attempt.deadline == T0 + timedelta(minutes=30)
    assert attempt.cutoff == attempt.deadline
    assert len(attempt.served_questions()) == 5
    first = attempt.served_questions()[0]
    assert first.snapshot["stem"].startswith("<p>Question")
    assert "key" in first.snapshot and "correct" not in repr(first.snapshot["public"])


def test_editing_the_bank_never_changes_a_served_question(exam, learner):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    served = attempt.served_questions()[0]
    question = Question.objects.get(pk=served.question_id)
    question.stem = "<p>Edited later.</p>"
    question.save()
    served = attempt.served_questions()[0]
    assert served.snapshot["stem"] != "<p>Edited later.</p>"


def test_window_close_caps_the_deadline_and_accommodation_extends(
    exam, learner, user_factory
):
    exam.closes_at = T0 + timedelta(minutes=10)
    exam.save()
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    assert attempt.deadline == T0 + timedelta(minutes=10)
    other = user_factory()
    examiner = user_factory(roles=[roles.TRAINING_ADMINS])
    exam.closes_at = None
    exam.save()
    services.set_accommodation(
        user=other, exam=exam, set_by=examiner, extra_time_percent=50
    )
    extended = services.start_attempt(user=other, exam=exam, now=T0)
    assert extended.deadline == T0 + timedelta(minutes=45)


def test_a_closed_window_refuses_to_start(exam, learner):
    exam.opens_at = T0 + timedelta(hours=1)
    exam.save()
    with pytest.raises(services.ExamNotAvailable, match="opens on"):
        services.start_attempt(user=learner, exam=exam, now=T0)
    exam.opens_at, exam.closes_at = None, T0
    exam.save()
    with pytest.raises(services.ExamNotAvailable, match="closed"):
        services.start_attempt(user=learner, exam=exam, now=T0)
    assert not Attempt.objects.exists()


def test_a_second_start_returns_the_open_attempt(exam, learner):
    first = services.start_attempt(user=learner, exam=exam, now=T0)
    again = services.start_attempt(
        user=learner, exam=exam, now=T0 + timedelta(minutes=5)
    )
    assert first.pk == again.pk
    assert again.deadline == first.deadline  # a restart never extends the clock
    assert Attempt.objects.count() == 1


def test_a_start_that_loses_a_race_serves_the_winners_attempt(
    exam, learner, monkeypatch
):
    """The learner's lock serialises starts; the constraint behind it makes a
    start that got past it anyway roll back whole and serve the open attempt.
    A constraint broken with no open attempt to serve is not hidden."""
    from django.db import IntegrityError

    from exams.services import starting

    winner = services.start_attempt(user=learner, exam=exam)

    def lost(**kwargs):
        raise IntegrityError("one open attempt per learner and exam")

    monkeypatch.setattr(starting, "_start", lost)
    assert services.start_attempt(user=learner, exam=exam) == winner

    Attempt.objects.filter(pk=winner.pk).update(status=AttemptStatus.GRADED)
    with pytest.raises(IntegrityError):
        services.start_attempt(user=learner, exam=exam)


def test_attempt_limit_and_cooldown(exam, learner):
    exam.attempts_allowed = 2
    exam.cooldown_minutes = 60
    exam.save()
    first = services.start_attempt(user=learner, exam=exam, now=T0)
    services.submit_attempt(attempt=first, now=T0 + timedelta(minutes=5))
    with pytest.raises(services.CoolingDown) as caught:
        services.start_attempt(user=learner, exam=exam, now=T0 + timedelta(minutes=64))
    assert caught.value.available_at == T0 + timedelta(minutes=65)
    second = services.start_attempt(
        user=learner, exam=exam, now=T0 + timedelta(minutes=65)
    )
    assert second.number == 2
    services.submit_attempt(attempt=second, now=T0 + timedelta(minutes=70))
    with pytest.raises(services.NoAttemptsLeft):
        services.start_attempt(user=learner, exam=exam, now=T0 + timedelta(days=2))


def test_course_final_exam_needs_enrollment_and_modules(
    course_with_exam, learner, user_factory
):
    course, final = course_with_exam
    with pytest.raises(services.RequirementsNotMet, match="0 of 2 done"):
        services.start_attempt(user=learner, exam=final)
    with pytest.raises(services.RequirementsNotMet, match="Enroll in"):
        services.start_attempt(user=user_factory(), exam=final)
    finish_modules(learner, course)
    assert services.start_attempt(user=learner, exam=final).is_open


def test_passing_the_final_exam_completes_the_course_and_signals_once(
    course_with_exam, learner, django_capture_on_commit_callbacks
):
    course, final = course_with_exam
    finish_modules(learner, course)
    received = []
    attempt_passed.connect(
        lambda sender, **kw: received.append(kw["attempt"].pk),
        weak=False,
        dispatch_uid="t",
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            attempt = services.start_attempt(user=learner, exam=final)
            answer_all_correctly(attempt)
            services.submit_attempt(attempt=attempt)
            services.submit_attempt(attempt=attempt)
    finally:
        attempt_passed.disconnect(dispatch_uid="t")
    attempt.refresh_from_db()
    assert attempt.passed and attempt.percent == 100
    assert received == [attempt.pk]
    assert Enrollment.objects.get(user=learner, course=course).completed_at is not None


def test_a_stale_save_never_overwrites_a_newer_one(exam, learner):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    now = T0 + timedelta(minutes=1)
    assert services.save_answers(
        attempt=attempt,
        sequence=2,
        answers={1: choice_answer(attempt, 1, "b")},
        now=now,
    ).applied
    stale = services.save_answers(
        attempt=attempt,
        sequence=1,
        answers={1: choice_answer(attempt, 1, "c")},
        now=now,
    )
    assert stale.accepted and not stale.applied and stale.sequence == 2
    assert served_question(attempt, 1).response == choice_answer(attempt, 1, "b")


def test_malformed_answers_are_refused_and_change_nothing(exam, learner):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    right = choice_answer(attempt, 1, "a")
    for bad in ({1: {"choice": "zz"}}, {99: right}, {1: "not a dict"}):
        with pytest.raises(ValueError):
            services.save_answers(attempt=attempt, sequence=5, answers=bad, now=T0)
    attempt.refresh_from_db()
    assert attempt.last_save_sequence == 0
    assert not any_answer_stored()


@pytest.mark.parametrize(
    ("policy", "grace", "offset_seconds", "accepted"),
    [
        (DeadlinePolicy.AUTO_SUBMIT, 0, -1, True),
        (DeadlinePolicy.AUTO_SUBMIT, 0, 0, True),
        (DeadlinePolicy.AUTO_SUBMIT, 0, 1, False),
        (DeadlinePolicy.GRACE, 2, 119, True),
        (DeadlinePolicy.GRACE, 2, 120, True),
        (DeadlinePolicy.GRACE, 2, 121, False),
    ],
)
def test_saves_at_the_clock_edges(
    exam, learner, policy, grace, offset_seconds, accepted
):
    exam.deadline_policy, exam.grace_minutes = policy, grace
    exam.save()
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    when = attempt.deadline + timedelta(seconds=offset_seconds)
    result = services.save_answers(
        attempt=attempt,
        sequence=1,
        answers={1: choice_answer(attempt, 1, "a")},
        now=when,
    )
    assert result.accepted is accepted
    stored = served_question(attempt, 1).response
    assert (stored is not None) is accepted
    if not accepted:
        assert "Time is up" in result.message


def test_sweep_grades_saved_answers_of_an_overdue_attempt(exam, learner):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    answer_all_correctly(attempt, now=T0 + timedelta(minutes=10))
    assert services.close_overdue_attempts(now=attempt.deadline) == 0  # not yet due
    assert (
        services.close_overdue_attempts(now=attempt.deadline + timedelta(seconds=1))
        == 1
    )
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.auto_submitted and attempt.passed and attempt.percent == 100
    assert attempt.submitted_at == attempt.cutoff


def test_sweep_with_grace_waits_for_the_grace_period(exam, learner):
    exam.deadline_policy, exam.grace_minutes = DeadlinePolicy.GRACE, 2
    exam.save()
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    assert (
        services.close_overdue_attempts(now=attempt.deadline + timedelta(minutes=1))
        == 0
    )
    assert (
        services.close_overdue_attempts(now=attempt.deadline + timedelta(minutes=3))
        == 1
    )


def test_abandon_policy_leaves_no_grade(exam, learner):
    exam.deadline_policy = DeadlinePolicy.ABANDON
    exam.save()
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    answer_all_correctly(attempt, now=T0 + timedelta(minutes=1))
    services.close_overdue_attempts(now=attempt.deadline + timedelta(seconds=1))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.ABANDONED and attempt.passed is None


def test_sweep_handed_an_already_submitted_attempt_changes_nothing(exam, learner):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    services.submit_attempt(attempt=attempt, now=T0 + timedelta(minutes=1))
    attempt.refresh_from_db()
    graded_at = attempt.graded_at
    assert (
        services.close_overdue_attempt(
            attempt_id=attempt.pk, now=T0 + timedelta(hours=1)
        )
        is None
    )
    attempt.refresh_from_db()
    assert attempt.graded_at == graded_at and not attempt.auto_submitted


def test_one_failing_attempt_does_not_block_the_sweep(
    exam, learner, user_factory, monkeypatch
):
    good = services.start_attempt(user=learner, exam=exam, now=T0)
    bad = services.start_attempt(user=user_factory(), exam=exam, now=T0)
    paper = bad.paper  # corrupt: grading will fail
    paper.questions = [{**q, "snapshot": {"type": "single"}} for q in paper.questions]
    paper.save()
    assert services.close_overdue_attempts(now=T0 + timedelta(hours=1)) == 1
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (
        good.status == AttemptStatus.GRADED and bad.status == AttemptStatus.IN_PROGRESS
    )


def test_submit_after_the_deadline_grades_what_was_saved_in_time(exam, learner):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    answer_all_correctly(attempt, now=T0 + timedelta(minutes=5))
    late = services.submit_attempt(
        attempt=attempt, now=attempt.deadline + timedelta(minutes=5)
    )
    assert late.auto_submitted and late.percent == 100


def test_the_frozen_clock_drives_the_remaining_time(exam, learner):
    with time_machine.travel(T0, tick=False):
        attempt = services.start_attempt(user=learner, exam=exam)
        assert attempt.remaining_seconds() == 1800
    with time_machine.travel(T0 + timedelta(minutes=29, seconds=59), tick=False):
        assert attempt.remaining_seconds() == 1
        assert attempt.accepts_answers()
    with time_machine.travel(T0 + timedelta(minutes=30, seconds=1), tick=False):
        assert attempt.remaining_seconds() == 0
        assert not attempt.accepts_answers()


@pytest.mark.parametrize("operation", ["start", "save", "submit"])
def test_query_counts_do_not_grow_with_the_number_of_questions(user_factory, operation):
    counts = []
    # The first round only warms process-wide caches (content types, the site),
    # which a test run may or may not have filled before this test.
    for size in (3, 10, 80):
        bank = make_bank(
            questions=size, types=("single", "multiple", "matching", "ordering")
        )
        exam = make_exam(bank=bank, count=size)
        user = user_factory()
        attempt = answers = None
        if operation != "start":
            attempt = services.start_attempt(user=user, exam=exam, now=T0)
            questions = list(attempt.served_questions())
            answers = {q.position: correct_response(q.snapshot) for q in questions}
        if operation == "submit":
            services.save_answers(attempt=attempt, sequence=1, answers=answers, now=T0)
        with CaptureQueriesContext(connection) as captured:
            if operation == "start":
                services.start_attempt(user=user, exam=exam, now=T0)
            elif operation == "save":
                services.save_answers(
                    attempt=attempt, sequence=1, answers=answers, now=T0
                )
            else:
                services.submit_attempt(attempt=attempt, now=T0)
        counts.append(len(captured))
    assert counts[1] == counts[2], counts


def test_submitting_an_attempt_that_no_longer_exists_says_so(exam, learner):
    attempt = services.start_attempt(user=learner, exam=exam)
    Attempt.objects.filter(pk=attempt.pk).delete()
    with pytest.raises(Attempt.DoesNotExist):
        services.submit_attempt(attempt=attempt)


def test_a_learner_submits_only_their_own_attempt(exam, learner, user_factory):
    attempt = services.start_attempt(user=learner, exam=exam)
    other = user_factory()
    assert services.submit_own_attempt(user=other, public_id=attempt.public_id) is None
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    submitted = services.submit_own_attempt(user=learner, public_id=attempt.public_id)
    assert submitted.pk == attempt.pk and submitted.status == AttemptStatus.GRADED
    again = services.submit_own_attempt(user=learner, public_id=attempt.public_id)
    assert again.graded_at == submitted.graded_at  # graded once
