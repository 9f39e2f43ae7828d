"""Writes for attempts: start, save, submit, close at the deadline, accommodations.

The server's clock is the only clock. Each function states what it refuses; a refused
call writes nothing.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import audit_values, is_training_admin, record_audit_event
from courses.api import (
    CoursePage,
    Enrollment,
    live_module_counts,
    record_final_exam_passed,
)

from . import eligibility, grading, policy, question_types
from .models import (
    Accommodation,
    Attempt,
    AttemptQuestion,
    AttemptStatus,
    DeadlinePolicy,
    ExamPage,
    Question,
)
from .signals import attempt_passed, pass_recorded

logger = logging.getLogger(__name__)


class ExamError(Exception):
    """The request cannot be honoured; ``str(error)`` is a message for the learner."""


class ExamNotAvailable(ExamError):
    pass


class RequirementsNotMet(ExamError):
    pass


class NoAttemptsLeft(ExamError):
    pass


class CoolingDown(ExamError):
    def __init__(self, message: str, available_at):
        super().__init__(message)
        self.available_at = available_at


class AttemptClosed(ExamError):
    pass


class BlueprintError(ExamError):
    """The exam's blueprint cannot be served (e.g. a bank has too few questions)."""


# --- rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptRules:
    """Limits for one learner on one exam, with their accommodation applied."""

    time_limit: timedelta
    attempts_allowed: int  # 0 = unlimited
    closes_at: object  # datetime | None

    @classmethod
    def for_learner(cls, exam: ExamPage, user) -> AttemptRules:
        accommodation = Accommodation.objects.filter(user=user, exam=exam).first()
        extra = accommodation.extra_time_percent if accommodation else 0
        attempts = exam.attempts_allowed
        if attempts and accommodation:
            attempts += accommodation.extra_attempts
        closes_at = exam.closes_at
        if accommodation and accommodation.extended_closes_at:
            closes_at = max(filter(None, [closes_at, accommodation.extended_closes_at]))
        return cls(
            time_limit=timedelta(minutes=exam.time_limit_minutes) * (100 + extra) / 100,
            attempts_allowed=attempts,
            closes_at=closes_at,
        )


def check_can_start(
    *, user, exam: ExamPage, now=None, rules=None, previous=None
) -> None:
    """Raise the first rule that stops ``user`` starting ``exam`` now, if any."""
    now = now or timezone.now()
    rules = rules or AttemptRules.for_learner(exam, user)
    if not exam.live:
        raise ExamNotAvailable(_("This exam is not available."))
    if exam.opens_at and now < exam.opens_at:
        raise ExamNotAvailable(
            _("This exam opens on %(when)s.")
            % {"when": timezone.localtime(exam.opens_at).strftime("%d %b %Y %H:%M %Z")}
        )
    if rules.closes_at and now >= rules.closes_at:
        raise ExamNotAvailable(_("This exam has closed."))
    _check_requirements(user=user, exam=exam)
    if previous is None:
        previous = list(
            Attempt.objects.filter(user=user, exam=exam).order_by("-number")[:1]
        )
        count = Attempt.objects.filter(user=user, exam=exam).count()
    else:
        count = len(previous)
    if rules.attempts_allowed and count >= rules.attempts_allowed:
        raise NoAttemptsLeft(
            _("You have used all %(n)s attempts for this exam.")
            % {"n": rules.attempts_allowed}
        )
    if previous and exam.cooldown_minutes:
        last = previous[0]
        ended = last.submitted_at or last.graded_at or last.deadline
        available_at = ended + timedelta(minutes=exam.cooldown_minutes)
        if now < available_at and not last.is_open:
            raise CoolingDown(
                _("Your next attempt is available from %(when)s.")
                % {
                    "when": timezone.localtime(available_at).strftime(
                        "%d %b %Y %H:%M %Z"
                    )
                },
                available_at,
            )


def _course_of(exam: ExamPage) -> CoursePage | None:
    parent = exam.get_parent()
    # The content type says what the parent is; only a course is read whole.
    if parent.specific_class is None or not issubclass(
        parent.specific_class, CoursePage
    ):
        return None
    return parent.specific


def _check_requirements(*, user, exam: ExamPage) -> None:
    missing = eligibility.missing_for(user=user, exam=exam)
    if missing:
        raise RequirementsNotMet(
            _("Before you can start this exam: %(missing)s")
            % {"missing": " ".join(missing)}
        )
    course = _course_of(exam)
    if course is None:
        return
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    if enrollment is None:
        raise RequirementsNotMet(
            _("Enroll in %(course)s before taking its exam.") % {"course": course.title}
        )
    if exam.requires_course_modules:
        total = live_module_counts([course]).get(course.pk, 0)
        done = enrollment.module_progress.filter(
            completed_at__isnull=False, module__live=True
        ).count()
        if done < total:
            raise RequirementsNotMet(
                _(
                    "Complete every module of %(course)s first "
                    "(%(done)s of %(total)s done)."
                )
                % {"course": course.title, "done": done, "total": total}
            )


# --- start -----------------------------------------------------------------------------


def draw_questions(
    exam: ExamPage, *, rng: random.Random
) -> list[tuple[int, str, Question]]:
    """Pick each section's questions from the published banks (one query per exam)."""
    sections = list(exam.sections.select_related("bank").order_by("sort_order", "pk"))
    if not sections:
        raise BlueprintError(_("This exam has no questions yet."))
    bank_ids = {section.bank_id for section in sections}
    pool: dict[tuple[int, str], list[Question]] = {}
    # Draw from light rows; only the drawn questions are then read whole.
    for question in (
        Question.objects.filter(bank_id__in=bank_ids, bank__live=True)
        .only("pk", "bank_id", "topic", "sort_order")
        .order_by("bank_id", "sort_order", "pk")
    ):
        pool.setdefault((question.bank_id, ""), []).append(question)
        pool.setdefault((question.bank_id, question.topic), []).append(question)
    drawn: list[tuple[int, str, Question]] = []
    used: set[int] = set()
    for index, section in enumerate(sections):
        candidates = [
            q
            for q in pool.get((section.bank_id, section.topic), [])
            if q.pk not in used
        ]
        if len(candidates) < section.count:
            raise BlueprintError(
                _(
                    "Section “%(title)s” needs %(n)s questions but its bank has %(have)s."
                )
                % {"title": section.title, "n": section.count, "have": len(candidates)}
            )
        # Drawn at random, served in bank order unless the exam shuffles questions.
        order = {q.pk: i for i, q in enumerate(candidates)}
        chosen = sorted(
            rng.sample(candidates, section.count), key=lambda q: order[q.pk]
        )
        used.update(q.pk for q in chosen)
        drawn.extend((index, section.title, question) for question in chosen)
    whole = Question.objects.in_bulk([question.pk for _i, _t, question in drawn])
    return [(index, title, whole[question.pk]) for index, title, question in drawn]


def start_attempt(
    *, user, exam: ExamPage, now=None, seed: int | None = None
) -> Attempt:
    """Start (or return the open) attempt of ``user`` on ``exam``.

    The deadline is stored now: min(start + time limit x accommodation, window close).
    At most one attempt is open per learner and exam (a database constraint); a
    second start while one is open returns that attempt. Raises :class:`ExamError`
    subclasses for a closed window, unmet requirements, no attempts left or a
    cooling-down period. Questions are drawn and frozen in bulk.
    """
    now = now or timezone.now()
    User = get_user_model()
    with transaction.atomic():
        # Serialise this learner's starts: limits and cooldown are read under lock.
        User.objects.select_for_update().filter(pk=user.pk).first()
        open_attempt = Attempt.objects.filter(
            user=user, exam=exam, status=AttemptStatus.IN_PROGRESS
        ).first()
        if open_attempt:
            return open_attempt
        rules = AttemptRules.for_learner(exam, user)
        previous = list(
            Attempt.objects.filter(user=user, exam=exam).order_by("-number")
        )
        check_can_start(user=user, exam=exam, now=now, rules=rules, previous=previous)
        rng = random.Random(seed)  # noqa: S311 - shuffling, not secrecy
        drawn = draw_questions(exam, rng=rng)
        if exam.shuffle_questions:
            rng.shuffle(drawn)
        deadline = now + rules.time_limit
        if rules.closes_at:
            deadline = min(deadline, rules.closes_at)
        grace = (
            timedelta(minutes=exam.grace_minutes)
            if exam.deadline_policy == DeadlinePolicy.GRACE
            else timedelta(0)
        )
        number = (
            Attempt.objects.filter(user=user, exam=exam).aggregate(n=Max("number"))["n"]
            or 0
        ) + 1
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    user=user,
                    exam=exam,
                    number=number,
                    started_at=now,
                    deadline=deadline,
                    cutoff=deadline + grace,
                    deadline_policy=exam.deadline_policy,
                    pass_mark=exam.pass_mark,
                    has_practical=any(
                        q.qtype in grading.MANUAL_TYPES for _i, _t, q in drawn
                    ),
                )
        except IntegrityError:
            # A simultaneous start won the race: serve the attempt it created.
            return Attempt.objects.get(
                user=user, exam=exam, status=AttemptStatus.IN_PROGRESS
            )
        AttemptQuestion.objects.bulk_create(
            AttemptQuestion(
                attempt=attempt,
                position=position,
                section_index=section_index,
                section_title=section_title,
                question=question,
                snapshot=grading.build_snapshot(
                    qtype=question.qtype,
                    answer=question.answer_data(),
                    stem=question.stem,
                    explanation=question.explanation,
                    points=question.points,
                    rng=rng,
                    shuffle_choices=exam.shuffle_choices,
                    ids=grading.opaque_ids(),
                ),
            )
            for position, (section_index, section_title, question) in enumerate(
                drawn, start=1
            )
        )
    return attempt


def go_to_page(*, attempt: Attempt, page: int) -> int:
    """The page the learner moves to, clamped to the attempt's pages. In a
    sequential exam, moving forward closes the pages before it for good."""
    per_page = max(1, attempt.exam.questions_per_page)
    page_count = max(1, -(-attempt.questions.count() // per_page))
    page = min(max(1, page), page_count)
    if policy.is_sequential(attempt.exam):
        Attempt.objects.filter(pk=attempt.pk, furthest_page__lt=page).update(
            furthest_page=page
        )
    return page


# --- save --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    """``accepted``: the attempt still takes answers. ``applied``: this save was
    stored (False for a stale sequence: resend with a higher one)."""

    accepted: bool
    applied: bool
    sequence: int
    saved_at: object
    message: str = ""


def clean_response(qtype: str, public: dict, raw) -> dict | None:
    """Keep only a well-formed response for the question type; None for blank."""
    if raw in (None, "", [], {}):
        return None
    if not isinstance(raw, dict):
        raise ValueError("response must be an object")
    return question_types.get(qtype).clean(public, raw)


def save_answers(
    *,
    attempt: Attempt,
    sequence: int | None,
    answers: dict[int, object],
    flags: dict[int, bool] | None = None,
    now=None,
    allowed_positions: set[int] | None = None,
) -> SaveResult:
    """Store answers (by question position) if ``sequence`` is the newest seen.

    A save whose sequence is not greater than the last accepted one changes nothing
    (a late or out-of-order request never overwrites a newer save); ``sequence=None``
    means "the next one" (a plain form post). ``allowed_positions`` limits which
    questions may change (sequential exams close earlier pages). After the cutoff
    (deadline plus grace) or once the attempt is closed, the save is refused with a
    message; what was last accepted is what gets graded. Raises ``ValueError`` for a
    malformed answer, before anything is written.
    """
    now = now or timezone.now()
    flags = flags or {}
    positions = set(answers) | set(flags)
    questions = {
        q.position: q
        for q in AttemptQuestion.objects.filter(attempt=attempt, position__in=positions)
    }
    if set(positions) - set(questions):
        raise ValueError("unknown question")
    if allowed_positions is not None and not positions <= allowed_positions:
        raise ValueError("that question can no longer be changed")
    cleaned = {
        position: clean_response(
            questions[position].qtype, questions[position].snapshot["public"], raw
        )
        for position, raw in answers.items()
    }
    with transaction.atomic():
        # One conditional update decides: open, in time, and newer than the last save.
        fresh = Attempt.objects.filter(
            pk=attempt.pk, status=AttemptStatus.IN_PROGRESS, cutoff__gte=now
        )
        if sequence is None:
            updated = fresh.update(
                last_save_sequence=F("last_save_sequence") + 1, last_saved_at=now
            )
        else:
            updated = fresh.filter(last_save_sequence__lt=sequence).update(
                last_save_sequence=sequence, last_saved_at=now
            )
        current = Attempt.objects.only(
            "status", "cutoff", "last_save_sequence", "last_saved_at"
        ).get(pk=attempt.pk)
        if not updated:
            if not current.accepts_answers(now):
                return SaveResult(
                    False,
                    False,
                    current.last_save_sequence,
                    current.last_saved_at,
                    _(
                        "Time is up: this answer was not saved. Your earlier answers count."
                    ),
                )
            return SaveResult(
                True, False, current.last_save_sequence, current.last_saved_at
            )
        # Write only what this save carries: answers to the answered questions,
        # flags to the flagged ones. A flag must never write back a response read
        # before a concurrent save committed (that would erase the newer answer).
        answered, flagged = [], []
        for position, question in questions.items():
            if position in cleaned:
                question.response = cleaned[position]
                question.answered_at = now
                answered.append(question)
            if position in flags:
                question.flagged = bool(flags[position])
                flagged.append(question)
        if answered:
            AttemptQuestion.objects.bulk_update(answered, ["response", "answered_at"])
        if flagged:
            AttemptQuestion.objects.bulk_update(flagged, ["flagged"])
    return SaveResult(True, True, current.last_save_sequence, now)


# --- submit and close ----------------------------------------------------------------------


def _grade_and_close(attempt: Attempt, *, now, auto: bool) -> Attempt:
    """Grade what the machine can; an attempt with practical tasks then waits for
    examiners (see ``marking_services``), any other is graded now."""
    questions = [
        q
        for q in AttemptQuestion.objects.filter(attempt=attempt).order_by("position")
        if q.qtype not in grading.MANUAL_TYPES
    ]
    result = grading.grade_attempt(
        ((q.section_index, q.section_title, q.snapshot, q.response) for q in questions),
        pass_mark=attempt.pass_mark,
    )
    for question, outcome in zip(questions, result.questions, strict=True):
        question.points = outcome.points
    AttemptQuestion.objects.bulk_update(questions, ["points"])
    attempt.submitted_at = attempt.submitted_at or min(now, attempt.cutoff)
    attempt.auto_submitted = auto
    attempt.section_results = _section_results(result)
    if attempt.has_practical:
        from .marking_services import close_without_practical, queue_for_marking

        attempt.theory_percent = result.percent if result.max_points else None
        if not _handed_in_practical_work(attempt):
            # Nothing to grade: the result is final now, and no examiner's queue
            # fills with empty hand-ins.
            return close_without_practical(attempt=attempt, now=now)
        attempt.status = AttemptStatus.SUBMITTED
        attempt.save()
        queue_for_marking(attempt=attempt, now=now)
        return attempt
    attempt.status = AttemptStatus.GRADED
    attempt.graded_at = now
    attempt.points = result.points
    attempt.max_points = result.max_points
    attempt.percent = result.percent
    attempt.passed = result.passed
    attempt.save()
    if attempt.passed:
        record_pass(attempt)
    return attempt


def _handed_in_practical_work(attempt: Attempt) -> bool:
    """Whether any practical task has a written answer or a file."""
    return any(
        grading.is_answered(task.qtype, task.response) or task.files.exists()
        for task in attempt.practical_questions()
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


def record_pass(attempt: Attempt) -> None:
    """Everything a pass sets off, for an auto-graded exam and a practical one
    alike: the course's final exam is recorded, ``pass_recorded`` is sent inside
    the grading transaction and ``attempt_passed`` after it commits."""
    exam = attempt.exam
    course = _course_of(exam)
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
    if attempt.accepts_answers(now) and by_learner:
        return _grade_and_close(attempt, now=now, auto=False)
    if attempt.deadline_policy == DeadlinePolicy.ABANDON:
        attempt.status = AttemptStatus.ABANDONED
        attempt.submitted_at = None
        attempt.save(update_fields=["status", "submitted_at"])
        return attempt
    return _grade_and_close(attempt, now=now, auto=True)


def submit_attempt(*, attempt: Attempt, now=None) -> Attempt:
    """Submit and grade ``attempt``; idempotent (double clicks, two tabs, retries).

    The row is re-read under a lock: an attempt already closed is returned as it is,
    graded exactly once. Submitting after the cutoff closes it as the deadline
    policy says (answers saved in time are graded; or abandoned).
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update()
            .select_related("exam")
            .get(pk=attempt.pk)
        )
        if not locked.is_open:
            return locked
        return _close(locked, now=now, by_learner=True)


def close_overdue_attempt(*, attempt_id: int, now=None) -> Attempt | None:
    """Close one attempt whose cutoff has passed, as its deadline policy says.

    Re-reads the attempt under a row lock: one already submitted (or not yet due) is
    left alone and None is returned.
    """
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update()
            .select_related("exam")
            .filter(pk=attempt_id)
            .first()
        )
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


# What an admin edits on an accommodation, and what its audit events record.
ACCOMMODATION_EDITABLE_FIELDS = [
    "user",
    "exam",
    "extra_time_percent",
    "extra_attempts",
    "extended_closes_at",
    "note",
]
ACCOMMODATION_FIELDS = [*ACCOMMODATION_EDITABLE_FIELDS, "set_by"]
MAX_EXTRA_TIME_PERCENT = 400
MAX_EXTRA_ATTEMPTS = 10


def check_accommodation(
    *, user, set_by, extra_time_percent: int, extra_attempts: int
) -> None:
    """The rules an accommodation must meet (see :func:`set_accommodation`);
    raises ``PermissionDenied`` or ``ValueError`` with the reason, else nothing."""
    if not is_training_admin(set_by):
        raise PermissionDenied(_("Only training admins grant accommodations."))
    if user.pk == set_by.pk:
        raise ValueError(
            _("You cannot grant yourself an accommodation: ask another training admin.")
        )
    if not 0 <= extra_time_percent <= MAX_EXTRA_TIME_PERCENT:
        raise ValueError(
            _("Extra time must be between 0%% and %(max)s%%.")
            % {"max": MAX_EXTRA_TIME_PERCENT}
        )
    if not 0 <= extra_attempts <= MAX_EXTRA_ATTEMPTS:
        raise ValueError(
            _("Extra attempts must be between 0 and %(max)s.")
            % {"max": MAX_EXTRA_ATTEMPTS}
        )


@transaction.atomic
def set_accommodation(
    *,
    user,
    exam: ExamPage,
    set_by,
    extra_time_percent: int = 0,
    extra_attempts: int = 0,
    extended_closes_at=None,
    note: str = "",
) -> Accommodation:
    """Record a training admin's accommodation; applies to attempts started
    afterwards, and writes an audit event (before -> after) in the same
    transaction.

    Raises ``PermissionDenied`` unless ``set_by`` is a training admin, and
    ``ValueError`` for an accommodation of one's own or values out of range.
    """
    check_accommodation(
        user=user,
        set_by=set_by,
        extra_time_percent=extra_time_percent,
        extra_attempts=extra_attempts,
    )
    existing = (
        Accommodation.objects.select_for_update().filter(user=user, exam=exam).first()
    )
    before = audit_values(existing, ACCOMMODATION_FIELDS)
    accommodation, _created = Accommodation.objects.update_or_create(
        user=user,
        exam=exam,
        defaults={
            "extra_time_percent": extra_time_percent,
            "extra_attempts": extra_attempts,
            "extended_closes_at": extended_closes_at,
            "note": note,
            "set_by": set_by,
        },
    )
    record_audit_event(
        actor=set_by,
        action="exams.accommodation.set",
        target=accommodation,
        before=before,
        after=audit_values(accommodation, ACCOMMODATION_FIELDS),
        reason=note,
    )
    return accommodation
