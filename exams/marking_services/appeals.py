"""Appeals: once, within the window, for a result that did not pass."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Appeal,
    Attempt,
    AttemptStatus,
    Marking,
    MarkingRole,
)
from .common import MAX_APPEAL_REASON, Action, GradingError, log_event

# --- appeals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppealWindow:
    open: bool
    closes_at: object = None
    reason: str = ""


def appeal_window(attempt: Attempt, *, now=None) -> AppealWindow:
    """Whether the candidate may appeal ``attempt`` now, and if not, why."""
    now = now or timezone.now()
    exam = attempt.exam
    if not attempt.has_practical or attempt.status != AttemptStatus.GRADED:
        return AppealWindow(False)
    if not exam.appeal_days:
        return AppealWindow(False, reason=_("This exam takes no appeals."))
    if attempt.passed:
        return AppealWindow(False)
    if Appeal.objects.filter(attempt=attempt).exists():
        return AppealWindow(False, reason=_("You have appealed this result."))
    closes_at = attempt.graded_at + timedelta(days=exam.appeal_days)
    if now > closes_at:
        return AppealWindow(
            False, closes_at, _("The time to appeal this result has passed.")
        )
    return AppealWindow(True, closes_at)


def lodge_appeal(*, attempt: Attempt, user, reason: str, now=None) -> Appeal:
    """The candidate's one appeal against a graded practical that did not pass.

    Refused with :class:`GradingError` for someone else's attempt, an empty or
    over-long reason, a second appeal, or after the appeal window. Opens an appeal
    marking for a lead examiner, who did not grade this attempt before.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if attempt.user_id != user.pk:
        raise GradingError(_("Only the candidate can appeal a result."))
    if not reason:
        raise GradingError(_("Say why you are appealing."))
    if len(reason) > MAX_APPEAL_REASON:
        raise GradingError(
            _("Keep the reason under %(n)s characters.") % {"n": MAX_APPEAL_REASON}
        )
    with transaction.atomic():
        locked = Attempt.objects.locked().get(pk=attempt.pk)
        window = appeal_window(locked, now=now)
        if not window.open:
            raise GradingError(window.reason or _("This result cannot be appealed."))
        try:
            with transaction.atomic():
                appeal = Appeal.objects.create(
                    attempt=locked,
                    reason=reason,
                    lodged_at=now,
                    previous_percent=locked.percent,
                    previous_passed=bool(locked.passed),
                )
        except IntegrityError as exc:
            raise GradingError(_("You have appealed this result.")) from exc
        marking = Marking.objects.create(
            attempt=locked, role=MarkingRole.APPEAL, created_at=now
        )
        log_event(locked, Action.APPEALED, now=now, actor=user, marking=marking)
    return appeal
