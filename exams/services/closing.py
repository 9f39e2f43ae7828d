"""Submitting and closing attempts: grading once, the deadline policies, the overdue sweep, and what a pass sets off."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.api import AuditEvent
from courses.api import (
    record_final_exam_passed,
)

from .. import grading, live
from ..audit import attempt_event, attempt_values, record_attempt_event
from ..exam_facts import course_of_exam, with_kept_exam
from ..models import (
    Attempt,
    AttemptFile,
    AttemptStatus,
    DeadlinePolicy,
    paper_key,
    stored_points,
)
from ..signals import attempt_graded, attempt_passed, pass_recorded
from .rows import locked_attempt, write_result

logger = logging.getLogger(__name__)


# --- submit and close ----------------------------------------------------------------------

# What grading an attempt without practical tasks sets on it.
RESULT_FIELDS = (
    "submitted_at",
    "auto_submitted",
    "section_results",
    "status",
    "graded_at",
    "points",
    "max_points",
    "percent",
    "passed",
)


def _grade_and_close(
    attempt: Attempt, *, now, auto: bool, event: Callable[[Attempt], AuditEvent]
) -> Attempt:
    """Grade what the machine can; an attempt with practical tasks then waits for
    examiners (see ``marking_services``), any other is graded now. ``event``
    makes the audit event that records the closing (written with the result
    when it is final now)."""
    # The paper is one row, read with the attempt under its lock (``_locked``).
    paper = attempt.paper.question_list() if hasattr(attempt, "paper") else []
    served = [q for q in paper if q.qtype not in grading.MANUAL_TYPES]
    result = grading.grade_attempt(
        ((q.section_index, q.section_title, q.snapshot, q.response) for q in served),
        pass_mark=attempt.pass_mark,
    )
    points = {
        paper_key(q.position): stored_points(outcome.points)
        for q, outcome in zip(served, result.questions, strict=True)
    }
    attempt.submitted_at = attempt.submitted_at or min(now, attempt.cutoff)
    attempt.auto_submitted = auto
    attempt.section_results = _section_results(result)
    if attempt.has_practical:
        from ..marking_services import close_without_practical, queue_for_marking

        attempt.theory_percent = result.percent if result.max_points else None
        write_result(attempt=attempt, points=points)
        if not _handed_in_practical_work(attempt):
            # Nothing to grade: the result is final now, and no examiner's queue
            # fills with empty hand-ins.
            attempt = close_without_practical(attempt=attempt, now=now)
        else:
            attempt.status = AttemptStatus.SUBMITTED
            attempt.save()
            queue_for_marking(attempt=attempt, now=now)
        event(attempt).save()
        return attempt
    attempt.status = AttemptStatus.GRADED
    attempt.graded_at = now
    attempt.points = result.points
    attempt.max_points = result.max_points
    attempt.percent = result.percent
    attempt.passed = result.passed
    # The result, the paper's points and the audit event in one statement,
    # under the lock.
    write_result(
        attempt=attempt, points=points, fields=RESULT_FIELDS, event=event(attempt)
    )
    announce_result(attempt)
    if attempt.passed:
        record_pass(attempt)
    return attempt


def _handed_in_practical_work(attempt: Attempt) -> bool:
    """Whether any practical task has a written answer or a file."""
    return (
        any(
            grading.is_answered(task.qtype, task.response)
            for task in attempt.practical_questions()
        )
        or AttemptFile.objects.filter(attempt=attempt).exists()
    )


def _section_results(result: grading.AttemptResult) -> list[dict]:
    return [
        {
            "title": s.title,
            "points": str(s.points),
            "max_points": str(s.max_points),
            "percent": str(s.percent),
            "questions": s.questions,
            "correct": s.correct,
        }
        for s in result.sections
    ]


def announce_result(attempt: Attempt) -> None:
    """A result became final (pass or fail): ``attempt_graded`` after commit."""
    transaction.on_commit(lambda: attempt_graded.send(sender=Attempt, attempt=attempt))


def record_pass(attempt: Attempt) -> None:
    """Everything a pass sets off, for an auto-graded exam and a practical one
    alike: the course's final exam is recorded, ``pass_recorded`` is sent inside
    the grading transaction and ``attempt_passed`` after it commits."""
    exam = attempt.exam
    course = course_of_exam(exam)
    if course is not None:
        record_final_exam_passed(
            user=attempt.user, course=course, passed_at=attempt.graded_at
        )
    pass_recorded.send(sender=Attempt, attempt=attempt, user=attempt.user, exam=exam)
    transaction.on_commit(
        lambda: attempt_passed.send(
            sender=Attempt, attempt=attempt, user=attempt.user, exam=exam
        )
    )


def _close(attempt: Attempt, *, now, by_learner: bool) -> Attempt:
    before = attempt_values(attempt)
    live.forget_on_commit(attempt)
    if attempt.accepts_answers(now) and by_learner:
        action, actor, auto = "exams.attempt.submitted", attempt.user, False
    elif attempt.deadline_policy == DeadlinePolicy.ABANDON:
        attempt.status = AttemptStatus.ABANDONED
        attempt.submitted_at = None
        attempt.save(update_fields=["status", "submitted_at"])
        record_attempt_event(attempt, "exams.attempt.abandoned", before=before)
        return attempt
    else:
        action, actor, auto = "exams.attempt.closed_at_deadline", None, True

    def event(closed: Attempt) -> AuditEvent:
        return attempt_event(closed, action, actor=actor, before=before)

    return _grade_and_close(attempt, now=now, auto=auto, event=event)


def submit_attempt(*, attempt: Attempt, now=None) -> Attempt:
    """Submit and grade ``attempt``; idempotent (double clicks, two tabs, retries).

    The row is re-read under a lock: an attempt already closed is returned as it is,
    graded exactly once. Submitting after the cutoff closes it as the deadline
    policy says (answers saved in time are graded; or abandoned).
    """
    user = attempt.user if Attempt.user.is_cached(attempt) else None
    submitted = _submit({"pk": attempt.pk}, user=user, now=now)
    if submitted is None:
        raise Attempt.DoesNotExist(f"attempt {attempt.pk} no longer exists")
    return submitted


def submit_own_attempt(*, user, public_id, now=None) -> Attempt | None:
    """The learner's Submit: ``user``'s attempt ``public_id`` submitted as
    :func:`submit_attempt` does, found and locked in one read. None when
    ``user`` has no such attempt (nobody else's is read or locked)."""
    return _submit({"public_id": public_id, "user": user}, user=user, now=now)


def _submit(lookup: dict, *, user, now) -> Attempt | None:
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(lookup)
        if locked is None:
            return None
        if user is not None:
            locked.user = user  # the person never changes: not read again
        if not locked.is_open:
            return locked
        return _close(locked, now=now, by_learner=True)


def _locked(lookup: dict) -> Attempt | None:
    """The attempt ``lookup`` finds, under its row lock, with its paper (one
    statement) and its exam page as kept (a cache read)."""
    attempt = locked_attempt(**lookup)
    return None if attempt is None else with_kept_exam(attempt)


def close_overdue_attempt(*, attempt_id: int, now=None) -> Attempt | None:
    """Close one attempt whose cutoff has passed, as its deadline policy says.

    Re-reads the attempt under a row lock: one already submitted (or not yet due) is
    left alone and None is returned.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _locked({"pk": attempt_id})
        if attempt is None or not attempt.is_open or attempt.cutoff >= now:
            return None
        return _close(attempt, now=now, by_learner=False)


def close_overdue_attempts(*, now=None, batch_size: int = 500) -> int:
    """The sweep: close every overdue open attempt, one transaction each.

    Attempts are read in batches of ``batch_size``, those that never failed first.
    An attempt that cannot be closed is logged, stamped ``close_failed_at`` and
    skipped for the rest of the run, so however many fail, every other overdue
    attempt is still closed; a failed one is tried again on the next run, after
    the others. Returns how many were closed.
    """
    now = now or timezone.now()
    closed = 0
    failed: list[int] = []
    # Rows this run already handled that may still match (closed meanwhile by a
    # submit, or failed): never read twice in one run.
    passed_over: list[int] = []
    while True:
        due = list(
            Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS, cutoff__lt=now)
            .exclude(pk__in=passed_over)
            .order_by(F("close_failed_at").asc(nulls_first=True), "cutoff", "pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not due:
            break
        for attempt_id in due:
            try:
                if close_overdue_attempt(attempt_id=attempt_id, now=now):
                    closed += 1
                else:
                    passed_over.append(attempt_id)
            except Exception:  # noqa: BLE001 - one bad attempt must not block the rest
                logger.exception("could not close overdue attempt %s", attempt_id)
                failed.append(attempt_id)
                passed_over.append(attempt_id)
                Attempt.objects.filter(pk=attempt_id).update(close_failed_at=now)
    if failed:
        logger.error(
            "the sweep could not close %s overdue attempt(s): %s",
            len(failed),
            ", ".join(str(pk) for pk in failed),
        )
    return closed
