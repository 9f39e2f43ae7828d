"""Starting an attempt: the learner's limits, what may stop a start, the draw, and moving between pages."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import insert_chain
from courses.api import (
    Enrollment,
    live_module_counts,
)

from .. import blueprint, eligibility, grading, policy, pools
from ..audit import attempt_event
from ..exam_facts import exam_facts
from ..models import (
    Accommodation,
    Attempt,
    AttemptPaper,
    AttemptStatus,
    DeadlinePolicy,
    ExamPage,
    Question,
    paper_item,
)
from ..pools import PoolQuestion
from .errors import (
    BlueprintError,
    CoolingDown,
    ExamNotAvailable,
    NoAttemptsLeft,
    RequirementsNotMet,
)
from .rows import lock_learner

logger = logging.getLogger(__name__)


# --- rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AttemptRules:
    """Limits for one learner on one exam, with their accommodation applied."""

    time_limit: timedelta
    attempts_allowed: int  # 0 = unlimited
    closes_at: object  # datetime | None

    @classmethod
    def for_learner(cls, exam: ExamPage, user) -> AttemptRules:
        return cls.of(exam, Accommodation.objects.filter(user=user, exam=exam).first())

    @classmethod
    def of(cls, exam: ExamPage, accommodation: Accommodation | None) -> AttemptRules:
        """The exam's limits with ``accommodation`` (the learner's, or None)."""
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


@dataclass(frozen=True)
class History:
    """A learner's attempts on one exam as the rules read them: how many there
    are, and the newest (its status and when it ended)."""

    count: int
    last: Attempt | None

    @classmethod
    def of(cls, attempts) -> History:
        """From the attempts themselves, newest first."""
        attempts = list(attempts)
        return cls(len(attempts), attempts[0] if attempts else None)


def check_can_start(
    *, user, exam: ExamPage, now=None, rules=None, history: History | None = None
) -> None:
    """Raise the first rule that stops ``user`` starting ``exam`` now, if any.
    ``history`` when the caller read it (two queries when not)."""
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
    if history is None:
        theirs = Attempt.objects.filter(user=user, exam=exam)
        history = History(theirs.count(), theirs.order_by("-number").first())
    if rules.attempts_allowed and history.count >= rules.attempts_allowed:
        raise NoAttemptsLeft(
            _("You have used all %(n)s attempts for this exam.")
            % {"n": rules.attempts_allowed}
        )
    last = history.last
    if last is not None and exam.cooldown_minutes:
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


def _check_requirements(*, user, exam: ExamPage) -> None:
    missing = eligibility.missing_for(user=user, exam=exam)
    if missing:
        raise RequirementsNotMet(
            _("Before you can start this exam: %(missing)s")
            % {"missing": " ".join(missing)}
        )
    course = exam_facts(exam).course
    if course is None:
        return
    enrollment = Enrollment.objects.filter(user=user, course_id=course.pk).first()
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
                    "Complete every lesson of %(course)s first "
                    "(%(done)s of %(total)s done)."
                )
                % {"course": course.title, "done": done, "total": total}
            )


# --- start -----------------------------------------------------------------------------


def draw_questions(
    exam: ExamPage, *, rng: random.Random, sections=None
) -> list[tuple[int, str, PoolQuestion]]:
    """Pick each section's questions from the published banks: ``sections`` as a
    start keeps them (``exam_facts``), or the page's own (a draft's, for a trial:
    one query), and each bank's questions from its kept pool (``exams.pools``)."""
    if sections is None:
        sections = exam.sections.select_related("bank").order_by("sort_order", "pk")
    sections = list(sections)
    if not sections:
        raise BlueprintError(_("This exam has no questions yet."))
    banks = {section.bank_id: section.bank for section in sections}
    pool: dict[tuple[int, str], list[PoolQuestion]] = {}
    for bank_id, questions in pools.pools_for(banks.values()).items():
        for question in questions:
            pool.setdefault((bank_id, ""), []).append(question)
            pool.setdefault((bank_id, question.topic), []).append(question)
    drawn: list[tuple[int, str, PoolQuestion]] = []
    used: set[int] = set()
    for index, section in enumerate(sections):
        candidates = [
            q
            for q in pool.get((section.bank_id, section.topic), [])
            if q.pk not in used
        ]
        if len(candidates) < section.count:
            raise BlueprintError(
                blueprint.Shortfall(
                    section.title, section.count, len(candidates), section.topic
                ).message
            )
        # Drawn at random, served in bank order unless the exam shuffles questions.
        order = {q.pk: i for i, q in enumerate(candidates)}
        chosen = sorted(
            rng.sample(candidates, section.count), key=lambda q: order[q.pk]
        )
        used.update(q.pk for q in chosen)
        drawn.extend((index, section.title, question) for question in chosen)
    return drawn


def serve(question: Question | PoolQuestion, *, exam: ExamPage, rng, ids=None) -> dict:
    """``question`` frozen as ``exam`` serves it (see ``grading.build_snapshot``)."""
    return grading.build_snapshot(
        qtype=question.qtype,
        answer=question.answer_data(),
        stem=question.stem,
        explanation=question.explanation,
        points=question.points,
        rng=rng,
        shuffle_choices=exam.shuffle_choices,
        ids=ids,
    )


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
    try:
        return _start(user=user, exam=exam, now=now, seed=seed)
    except IntegrityError:
        # A simultaneous start won the race (the learner's lock serialises
        # starts; this is the constraint behind it): serve the attempt it made.
        # The start rolled back (its transaction, or its savepoint inside a
        # caller's), so this reads anew.
        open_attempt = Attempt.objects.filter(
            user=user, exam=exam, status=AttemptStatus.IN_PROGRESS
        ).first()
        if open_attempt is None:
            raise
        return open_attempt


def _start(*, user, exam: ExamPage, now, seed) -> Attempt:
    with transaction.atomic():
        # Serialises this learner's starts: limits, cooldown and the attempts
        # made so far are read under it, in the same statement.
        learner = lock_learner(user, exam)
        if learner.open_attempt_id is not None:
            return Attempt.objects.get(pk=learner.open_attempt_id)
        history = History(learner.attempts, learner.last_attempt)
        rules = AttemptRules.of(exam, learner.accommodation)
        check_can_start(user=user, exam=exam, now=now, rules=rules, history=history)
        rng = random.Random(seed)  # noqa: S311 - shuffling, not secrecy
        drawn = draw_questions(exam, rng=rng, sections=exam_facts(exam).sections)
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
        number = (history.last.number if history.last else 0) + 1
        # A simultaneous start that won a race makes this insert fail, and the
        # whole start roll back (see start_attempt): no savepoint of its own.
        attempt = Attempt(
            user=user,
            exam=exam,
            number=number,
            started_at=now,
            deadline=deadline,
            cutoff=deadline + grace,
            deadline_policy=exam.deadline_policy,
            pass_mark=exam.pass_mark,
            question_count=len(drawn),
            questions_per_page=exam.page_size,
            sequential=policy.is_sequential(exam),
            has_practical=any(q.qtype in grading.MANUAL_TYPES for _i, _t, q in drawn),
        )
        # The questions drawn and frozen: one row, the attempt's paper.
        random_hex = grading.RandomHex()
        paper = AttemptPaper(
            attempt=attempt,
            questions=[
                paper_item(
                    position,
                    section_index,
                    section_title,
                    question.pk,
                    serve(
                        question, exam=exam, rng=rng, ids=grading.opaque_ids(random_hex)
                    ),
                )
                for position, (section_index, section_title, question) in enumerate(
                    drawn, start=1
                )
            ],
        )
        # The attempt, the audit event that names it and its paper: one
        # statement on PostgreSQL.
        insert_chain(
            attempt,
            (attempt_event(attempt, "exams.attempt.started", actor=user), "target_id"),
            (paper, "attempt"),
        )
    return attempt


def go_to_page(*, attempt: Attempt, page: int) -> int:
    """The page the learner moves to, clamped to the attempt's pages. In a
    sequential exam, moving forward closes the pages before it for good."""
    page = min(max(1, page), attempt.page_count())
    if attempt.sequential:
        Attempt.objects.filter(pk=attempt.pk, furthest_page__lt=page).update(
            furthest_page=page
        )
    return page
