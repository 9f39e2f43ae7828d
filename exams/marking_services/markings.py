"""Examiners' markings: the queue, who may grade what, taking, releasing and submitting a marking."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import conflicts, grading
from ..models import (
    LEAD_ROLES,
    Attempt,
    Marking,
    MarkingRole,
)
from .common import MAX_FEEDBACK, Action, GradingError, log_event
from .results import settle

# --- closing an attempt for grading ----------------------------------------------------


def queue_for_marking(*, attempt: Attempt, now) -> None:
    """Open the first marking (and, for a sampled attempt, the second at once).

    Called by the submit and the deadline sweep inside their transaction, with the
    attempt locked and already marked *awaiting grading*.
    """
    exam = attempt.exam
    sampled = grading.sampled_for_second_marking(
        attempt.public_id.hex, exam.second_marking_percent
    )
    roles = [MarkingRole.FIRST] + ([MarkingRole.SECOND] if sampled else [])
    for role in roles:
        Marking.objects.get_or_create(
            attempt=attempt, role=role, defaults={"created_at": now}
        )
    if sampled:
        Attempt.objects.filter(pk=attempt.pk).update(second_marking=True)
        attempt.second_marking = True
    log_event(attempt, Action.QUEUED, now=now, sampled=sampled)


# --- who may grade what --------------------------------------------------------------------


def refusal(*, marking: Marking, examiner) -> str:
    """Why ``examiner`` may not grade ``marking`` ("" when they may)."""
    if not examiner.has_perm("exams.grade_marking"):
        return _("Only examiners grade practical work.")
    if marking.role in LEAD_ROLES and not examiner.has_perm("exams.decide_marking"):
        return _("Only a lead examiner decides disagreements and appeals.")
    candidate = marking.attempt.user
    if conflicts.is_own_work(examiner=examiner, candidate=candidate):
        return _("You cannot grade your own attempt.")
    if conflicts.oversees(examiner=examiner, candidate=candidate):
        return _("You mentor or manage this candidate, so another examiner grades it.")
    already = (
        Marking.objects.filter(attempt_id=marking.attempt_id, examiner=examiner)
        .exclude(pk=marking.pk)
        .filter(submitted_at__isnull=False)
        .exists()
    )
    if already:
        return _(
            "You have already graded this attempt: this marking must be independent."
        )
    return ""


def _locked_marking(marking_id: int) -> Marking:
    marking = (
        Marking.objects.select_for_update(of=("self", "attempt"))
        .select_related("attempt__user", "attempt__exam")
        .filter(pk=marking_id)
        .first()
    )
    if marking is None:
        raise GradingError(_("That marking does not exist."))
    return marking


def claim_marking(*, marking_id: int, examiner, now=None) -> Marking:
    """Take a marking from the queue, so two examiners never grade the same one.

    Raises :class:`GradingError` when it is already graded, taken by someone else,
    or the examiner may not grade it (see :func:`refusal`).
    """
    now = now or timezone.now()
    with transaction.atomic():
        marking = _locked_marking(marking_id)
        if marking.is_done:
            raise GradingError(_("This marking is already graded."))
        reason = refusal(marking=marking, examiner=examiner)
        if reason:
            raise GradingError(reason)
        if marking.examiner_id == examiner.pk:
            return marking
        if marking.examiner_id:
            raise GradingError(_("Another examiner has taken this marking."))
        marking.examiner = examiner
        marking.claimed_at = now
        marking.save(update_fields=["examiner", "claimed_at"])
        log_event(
            marking.attempt, Action.TAKEN, now=now, actor=examiner, marking=marking
        )
    return marking


def release_marking(*, marking_id: int, examiner, now=None) -> Marking:
    """Give a taken, ungraded marking back to the queue."""
    now = now or timezone.now()
    with transaction.atomic():
        marking = _locked_marking(marking_id)
        if marking.is_done or marking.examiner_id != examiner.pk:
            raise GradingError(_("Only the examiner who took it can give it back."))
        marking.examiner = None
        marking.claimed_at = None
        marking.save(update_fields=["examiner", "claimed_at"])
        log_event(
            marking.attempt, Action.RELEASED, now=now, actor=examiner, marking=marking
        )
    return marking


def submit_marking(
    *, marking_id: int, examiner, levels: dict, feedback: str, now=None
) -> Marking:
    """Record an examiner's grade: one rubric level per criterion of every practical
    task (``levels`` maps position to {criterion id: level id}) and feedback.

    The score is computed from the rubric. Refused with :class:`GradingError` (and
    nothing written) if a criterion has no level, the feedback is empty, the marking
    is already graded, taken by someone else, or not the examiner's to grade. Then
    the second-marking rule decides what happens next: another marking is opened,
    or the result is released (and the candidate told by e-mail).
    """
    now = now or timezone.now()
    feedback = (feedback or "").strip()
    if not feedback:
        raise GradingError(_("Write feedback for the candidate."))
    if len(feedback) > MAX_FEEDBACK:
        raise GradingError(_("The feedback is too long."))
    with transaction.atomic():
        peek = Marking.objects.filter(pk=marking_id).values("attempt_id").first()
        if peek is None:
            raise GradingError(_("That marking does not exist."))
        # Lock the attempt first, then the marking: every settle runs one at a time.
        attempt = (
            Attempt.objects.locked().select_related("user").get(pk=peek["attempt_id"])
        )
        marking = _locked_marking(marking_id)
        if marking.is_done:
            raise GradingError(
                _("This marking is already graded; a grade is never overwritten.")
            )
        if marking.examiner_id and marking.examiner_id != examiner.pk:
            raise GradingError(_("Another examiner has taken this marking."))
        reason = refusal(marking=marking, examiner=examiner)
        if reason:
            raise GradingError(reason)
        points = max_points = Decimal(0)
        chosen: dict[str, dict] = {}
        for question in attempt.practical_questions():
            given = levels.get(question.position) or levels.get(str(question.position))
            try:
                earned, most = grading.rubric_score(
                    question.snapshot["key"], dict(given or {})
                )
            except ValueError as exc:
                raise GradingError(
                    _("Task %(n)s: %(problem)s.")
                    % {"n": question.position, "problem": exc}
                ) from exc
            points += earned
            max_points += most
            chosen[str(question.position)] = dict(given)
        if not max_points:
            raise GradingError(_("This attempt has no practical task to grade."))
        marking.examiner = examiner
        marking.claimed_at = marking.claimed_at or now
        marking.submitted_at = now
        marking.levels = chosen
        marking.feedback = feedback
        marking.points = points
        marking.max_points = max_points
        marking.percent = grading.percent_of(points, max_points)
        marking.save()
        log_event(
            attempt,
            Action.GRADED,
            now=now,
            actor=examiner,
            marking=marking,
            role=marking.role,
            percent=marking.percent,
        )
        settle(attempt, now=now, actor=examiner)
    return marking
