"""Writes for practical tasks: hand-ins, examiners' markings, second marking, the lead
examiner's decision and appeals.

An attempt with practical tasks closes as *awaiting grading*: its theory part is
graded at once, its practical part by examiners. Markings are never edited once
submitted; each step writes a :class:`~exams.models.MarkingEvent`, so the audit
trail says who did what and when. The final result goes through the same
``record_pass`` as an auto-graded exam, so a pass sends the same ``attempt_passed``.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import queue_email

from . import conflicts, grading
from .models import (
    LEAD_ROLES,
    Appeal,
    Attempt,
    AttemptFile,
    AttemptQuestion,
    AttemptStatus,
    Marking,
    MarkingEvent,
    MarkingRole,
)
from .services import record_pass

MAX_APPEAL_REASON = 5000
MAX_FEEDBACK = 20000
# The first bytes a file of each type starts with; text types must decode as UTF-8.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".zip": (b"PK\x03\x04",),
}
TEXT_TYPES = {".txt", ".log", ".md", ".csv", ".json", ".yaml", ".yml", ".conf"}


class GradingError(Exception):
    """The request cannot be honoured; ``str(error)`` is a message for the person."""


Action = MarkingEvent.Action


def _event(attempt, action, *, now, actor=None, marking=None, **detail) -> None:
    MarkingEvent.objects.create(
        attempt=attempt,
        marking=marking,
        actor=actor,
        action=action,
        detail={k: str(v) if isinstance(v, Decimal) else v for k, v in detail.items()},
        at=now,
    )


# --- hand-ins ----------------------------------------------------------------------------


def _practical_question(attempt: Attempt, position: int) -> AttemptQuestion:
    question = AttemptQuestion.objects.filter(
        attempt=attempt, position=position
    ).first()
    if question is None or question.qtype not in grading.MANUAL_TYPES:
        raise GradingError(_("That question does not take files."))
    if not question.snapshot["public"].get("accepts_files"):
        raise GradingError(_("This task takes a written answer, not files."))
    return question


def _read_limited(upload, limit: int) -> bytes:
    """The upload's bytes, stopping one byte past ``limit`` (sizes can lie)."""
    chunks, total = [], 0
    for chunk in upload.chunks():
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            break
    return b"".join(chunks)


def _content_matches(suffix: str, data: bytes) -> bool:
    if suffix in SIGNATURES:
        return data.startswith(SIGNATURES[suffix])
    if suffix in TEXT_TYPES:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in data
    return True


def upload_hand_in(*, attempt: Attempt, position: int, upload, now=None) -> AttemptFile:
    """Keep one file a candidate hands in for the practical task at ``position``.

    Refused with :class:`GradingError` (and nothing stored) when the task takes no
    files, the name's type is not accepted, the content does not match the type,
    the file is empty or larger than the task allows, the task already has its
    most files, or the attempt no longer accepts answers (the deadline applies to
    hand-ins as to every answer). The attempt row is locked, so a hand-in and a
    submit never interleave.
    """
    now = now or timezone.now()
    question = _practical_question(attempt, position)
    public = question.snapshot["public"]
    name = PurePosixPath(str(upload.name or "").replace("\\", "/")).name[:200]
    suffix = PurePosixPath(name).suffix.lower()
    accepted = public.get("file_types") or []
    if not name or suffix not in accepted:
        raise GradingError(
            _("“%(name)s” is not an accepted file type. Accepted: %(types)s.")
            % {"name": name or _("The file"), "types": ", ".join(accepted)}
        )
    limit = int(public["max_file_mb"]) * 1024 * 1024
    too_big = _("“%(name)s” is larger than the %(mb)s MB limit.") % {
        "name": name,
        "mb": public["max_file_mb"],
    }
    if upload.size is not None and upload.size > limit:
        raise GradingError(too_big)
    data = _read_limited(upload, limit)
    if len(data) > limit:
        raise GradingError(too_big)
    if not data:
        raise GradingError(_("“%(name)s” is empty.") % {"name": name})
    if not _content_matches(suffix, data):
        raise GradingError(
            _("“%(name)s” does not contain what a %(type)s file should.")
            % {"name": name, "type": suffix}
        )
    record = AttemptFile(
        question=question,
        original_name=name,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_at=now,
    )
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.accepts_answers(now):
            raise GradingError(
                _(
                    "Time is up: the file was not handed in. What you saved before counts."
                )
            )
        if AttemptFile.objects.filter(question=question).count() >= public["max_files"]:
            raise GradingError(
                _("This task takes at most %(n)s files: remove one first.")
                % {"n": public["max_files"]}
            )
        record.file.save(name, ContentFile(data), save=False)
        try:
            with transaction.atomic():
                record.save()
        except Exception:
            # No row, no file: a failed hand-in leaves nothing behind.
            record.file.delete(save=False)
            raise
    return record


def remove_hand_in(*, attempt: Attempt, file_id: int, now=None) -> None:
    """Remove a handed-in file while the attempt still accepts answers."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.accepts_answers(now):
            raise GradingError(_("Time is up: hand-ins can no longer change."))
        record = AttemptFile.objects.filter(
            pk=file_id, question__attempt=attempt
        ).first()
        if record is None:
            raise GradingError(_("That file is not part of this attempt."))
        name, storage = record.file.name, record.file.storage
        record.delete()
        transaction.on_commit(lambda: storage.delete(name))


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
    _event(attempt, Action.QUEUED, now=now, sampled=sampled)


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
        Marking.objects.select_for_update()
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
        _event(marking.attempt, Action.TAKEN, now=now, actor=examiner, marking=marking)
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
        _event(
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
            Attempt.objects.select_for_update()
            .select_related("exam", "user")
            .get(pk=peek["attempt_id"])
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
        _event(
            attempt,
            Action.GRADED,
            now=now,
            actor=examiner,
            marking=marking,
            role=marking.role,
            percent=marking.percent,
        )
        _settle(attempt, now=now, actor=examiner)
    return marking


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


def _settle(attempt: Attempt, *, now, actor) -> None:
    markings = {m.role: m for m in attempt.markings.all()}
    if attempt.status == AttemptStatus.GRADED:
        appeal = markings.get(MarkingRole.APPEAL)
        if appeal and appeal.is_done:
            _decide_appeal(attempt, appeal, now=now, actor=actor)
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
            _event(attempt, Action.SECOND_REQUESTED, now=now, reason="margin")
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
        _event(
            attempt,
            Action.LEAD_REQUESTED,
            now=now,
            first=first,
            second=done(MarkingRole.SECOND),
        )
    if decision.final_percent is not None:
        _release(attempt, decision.final_percent, now=now, actor=actor)


def _apply(attempt: Attempt, practical_percent: Decimal, *, now) -> None:
    combined = _combined(attempt, practical_percent)
    attempt.practical_percent = practical_percent
    attempt.percent = combined.percent
    attempt.passed = combined.passed
    attempt.status = AttemptStatus.GRADED
    attempt.graded_at = now
    attempt.save()


def _release(attempt: Attempt, practical_percent: Decimal, *, now, actor) -> None:
    _apply(attempt, practical_percent, now=now)
    _event(
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
        locked = (
            Attempt.objects.select_for_update()
            .select_related("exam")
            .get(pk=attempt.pk)
        )
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
        _event(locked, Action.APPEALED, now=now, actor=user, marking=marking)
    return appeal


def _decide_appeal(attempt: Attempt, marking: Marking, *, now, actor) -> None:
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
    _event(
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
