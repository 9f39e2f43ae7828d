"""Settling a practical attempt's result: second marking, the lead examiner, the combined result, an appeal's outcome, and telling the candidate."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.api import queue_email

from .. import grading
from ..models import (
    Appeal,
    Attempt,
    AttemptStatus,
    Marking,
    MarkingRole,
)
from ..services import announce_result, record_pass
from .common import Action, log_event

# --- settling the result ---------------------------------------------------------------


def close_without_practical(*, attempt: Attempt, now) -> Attempt:
    """Grade an attempt whose practical tasks were handed in empty: the practical
    part scores 0 and the result is final at once (nothing is queued). The
    candidate is told the result like any other. Runs inside the caller's
    transaction (the attempt's close)."""
    combined = _combined(attempt, Decimal(0))
    attempt.practical_percent = Decimal(0)
    attempt.percent = combined.percent
    attempt.passed = combined.passed
    attempt.status = AttemptStatus.GRADED
    attempt.graded_at = now
    attempt.save()
    announce_result(attempt)
    if attempt.passed:
        record_pass(attempt)
    return attempt


def _combined(attempt: Attempt, practical_percent: Decimal) -> grading.CombinedResult:
    exam = attempt.exam
    return grading.combine(
        theory_percent=attempt.theory_percent,
        practical_percent=practical_percent,
        practical_weight=exam.practical_weight,
        pass_mark=attempt.pass_mark,
        minimum_theory=exam.minimum_theory_percent,
        minimum_practical=exam.minimum_practical_percent,
    )


def settle(attempt: Attempt, *, now, actor) -> None:
    markings = {m.role: m for m in attempt.markings.all()}
    if attempt.status == AttemptStatus.GRADED:
        appeal = markings.get(MarkingRole.APPEAL)
        if appeal and appeal.is_done:
            decide_appeal(attempt, appeal, now=now, actor=actor)
        return
    if attempt.status != AttemptStatus.SUBMITTED:
        return

    def done(role):
        marking = markings.get(role)
        return marking.percent if marking and marking.is_done else None

    first = done(MarkingRole.FIRST)
    if first is not None and not attempt.second_marking:
        margin = attempt.exam.second_marking_margin
        if abs(_combined(attempt, first).percent - attempt.pass_mark) <= margin:
            attempt.second_marking = True
            attempt.save(update_fields=["second_marking"])
            log_event(attempt, Action.SECOND_REQUESTED, now=now, reason="margin")
    decision = grading.settle_markings(
        first=first,
        second=done(MarkingRole.SECOND),
        lead=done(MarkingRole.LEAD),
        second_required=attempt.second_marking,
        tolerance=attempt.exam.marking_tolerance,
    )
    if decision.needs == "second" and MarkingRole.SECOND not in markings:
        Marking.objects.create(attempt=attempt, role=MarkingRole.SECOND, created_at=now)
    elif decision.needs == "lead" and MarkingRole.LEAD not in markings:
        Marking.objects.create(attempt=attempt, role=MarkingRole.LEAD, created_at=now)
        log_event(
            attempt,
            Action.LEAD_REQUESTED,
            now=now,
            first=first,
            second=done(MarkingRole.SECOND),
        )
    if decision.final_percent is not None:
        _release(attempt, decision.final_percent, now=now, actor=actor)


def _apply(attempt: Attempt, practical_percent: Decimal, *, now) -> None:
    """The examiners' final result (a release or an appeal's decision)."""
    combined = _combined(attempt, practical_percent)
    attempt.practical_percent = practical_percent
    attempt.percent = combined.percent
    attempt.passed = combined.passed
    attempt.status = AttemptStatus.GRADED
    attempt.graded_at = now
    attempt.save()
    announce_result(attempt)


def _release(attempt: Attempt, practical_percent: Decimal, *, now, actor) -> None:
    _apply(attempt, practical_percent, now=now)
    log_event(
        attempt,
        Action.FINALISED,
        now=now,
        actor=actor,
        practical=practical_percent,
        percent=attempt.percent,
        passed=attempt.passed,
    )
    _tell_candidate(attempt, appeal=False)
    if attempt.passed:
        record_pass(attempt)


def _tell_candidate(attempt: Attempt, *, appeal: bool) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse(
        "exams:result", args=[attempt.public_id]
    )
    subject = (
        _("Your appeal for %(exam)s is decided")
        if appeal
        else _("Your result for %(exam)s is ready")
    ) % {"exam": attempt.exam.title}
    verdict = _("passed") if attempt.passed else _("did not pass")
    body = _(
        "Hello %(name)s,\n\nThe examiners have graded your practical work for "
        "%(exam)s (attempt %(number)s). Your result: %(percent)s%% — you %(verdict)s."
        "\n\nYour scores and the examiners' feedback: %(link)s\n"
    ) % {
        "name": attempt.user.get_full_name() or attempt.user.email,
        "exam": attempt.exam.title,
        "number": attempt.number,
        "percent": attempt.percent,
        "verdict": verdict,
        "link": link,
    }
    queue_email(to=[attempt.user.email], subject=subject, body_text=body)


def decide_appeal(attempt: Attempt, marking: Marking, *, now, actor) -> None:
    appeal = Appeal.objects.select_for_update().get(attempt=attempt)
    if appeal.decided_at:
        return
    was_passed = bool(attempt.passed)
    _apply(attempt, marking.percent, now=now)
    appeal.decided_at = now
    appeal.decided_by = actor
    appeal.new_percent = attempt.percent
    appeal.new_passed = attempt.passed
    appeal.save()
    log_event(
        attempt,
        Action.APPEAL_DECIDED,
        now=now,
        actor=actor,
        marking=marking,
        previous=appeal.previous_percent,
        percent=attempt.percent,
        passed=attempt.passed,
    )
    _tell_candidate(attempt, appeal=True)
    if attempt.passed and not was_passed:
        record_pass(attempt)
