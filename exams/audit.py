"""Attempts in the audit log: their lifecycle and every grading step, written in
the transaction of the change like every other audit event.

Blind grading holds here too: while an attempt of a blind-graded exam with
practical tasks is open or waits for examiners, its events name neither the
candidate nor (for what the candidate did) the actor, only the candidate number;
the event that releases the result names them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.api import AuditEvent, audit_event, audit_values

from .models import Attempt, AttemptStatus

# What an attempt's events record before and after the change.
ATTEMPT_FIELDS = ["status", "submitted_at", "graded_at", "percent", "passed"]


def attempt_values(attempt: Attempt) -> dict:
    return audit_values(attempt, ATTEMPT_FIELDS)


def hides_candidate(attempt: Attempt) -> bool:
    """Whether events about ``attempt`` must not say who the candidate is."""
    return (
        attempt.has_practical
        and attempt.status in (AttemptStatus.IN_PROGRESS, AttemptStatus.SUBMITTED)
        and attempt.exam.blind_grading
    )


def record_attempt_event(attempt: Attempt, action: str, **event) -> None:
    """Write one audit event about ``attempt`` (see :func:`attempt_event`)."""
    attempt_event(attempt, action, **event).save()


def attempt_event(
    attempt: Attempt,
    action: str,
    *,
    actor=None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """One audit event about ``attempt`` (``action`` such as
    ``"exams.attempt.submitted"``), blind where grading is blind, not yet
    written (a start writes it in the attempt's statement)."""
    subject = attempt.user
    label = None
    if hides_candidate(attempt):
        subject = None
        if actor is not None and actor.pk == attempt.user_id:
            actor = None
        label = _("Candidate %(number)s - %(exam)s #%(attempt)s") % {
            "number": attempt.candidate_number,
            "exam": attempt.exam.title,
            "attempt": attempt.number,
        }
    return audit_event(
        actor=actor,
        action=action,
        target=attempt,
        before=before,
        after=after if after is not None else attempt_values(attempt),
        reason=reason,
        subject=subject,
        label=label,
    )
