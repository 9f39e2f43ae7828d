"""What every marking service shares: the limits on what people type, the error, and the audit trail's events."""

from __future__ import annotations

from decimal import Decimal

from ..audit import attempt_values, record_attempt_event
from ..models import (
    MarkingEvent,
)

MAX_APPEAL_REASON = 5000
MAX_FEEDBACK = 20000
# The first bytes a file of each type starts with; text types must decode as UTF-8.


class GradingError(Exception):
    """The request cannot be honoured; ``str(error)`` is a message for the person."""


Action = MarkingEvent.Action


def log_event(attempt, action, *, now, actor=None, marking=None, **detail) -> None:
    """One grading step, in the attempt's grading trail and in the audit log."""
    detail = {k: str(v) if isinstance(v, Decimal) else v for k, v in detail.items()}
    record_attempt_event(
        attempt,
        f"exams.marking.{action}",
        actor=actor,
        after={**attempt_values(attempt), **detail},
    )
    MarkingEvent.objects.create(
        attempt=attempt,
        marking=marking,
        actor=actor,
        action=action,
        detail=detail,
        at=now,
    )
