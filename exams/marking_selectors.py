"""Reads for examiners: the grading queue and one marking with the work to grade."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import conflicts
from .models import (
    LEAD_ROLES,
    Appeal,
    AttemptFile,
    AttemptQuestion,
    Marking,
    MarkingEvent,
)
from .selectors import files_by_question

QUEUE_SIZE = 50
PERMISSION = "exams.grade_marking"  # who grades practical work
LEAD_PERMISSION = "exams.decide_marking"  # who settles disagreements
QUEUE_URL = "exams_grading_queue"


def _eligible(examiner):
    """Ungraded markings this examiner may grade, as one query: not their own
    attempt, not a hire they mentor or manage, not an attempt they graded already,
    and lead work only for lead examiners."""
    graded_by_them = Marking.objects.filter(
        examiner=examiner, submitted_at__isnull=False
    ).values("attempt_id")
    markings = conflicts.without_conflicts(
        Marking.objects.filter(submitted_at__isnull=True), examiner=examiner
    ).exclude(attempt_id__in=graded_by_them)
    if not examiner.has_perm("exams.decide_marking"):
        markings = markings.exclude(role__in=LEAD_ROLES)
    return markings.select_related("attempt__exam", "attempt__user")


def waiting_for(examiner):
    """Markings nobody has taken that this examiner may grade, oldest first."""
    return (
        _eligible(examiner)
        .filter(examiner__isnull=True)
        .order_by("attempt__submitted_at", "created_at", "pk")
    )


def grading_queue(*, examiner) -> dict:
    """The examiner's queue, oldest submission first (four queries)."""
    eligible = _eligible(examiner)
    waiting = waiting_for(examiner)
    return {
        "waiting": list(waiting[:QUEUE_SIZE]),
        "waiting_count": waiting.count(),
        "mine": list(
            eligible.filter(examiner=examiner).order_by("attempt__submitted_at", "pk")
        ),
        "done": list(
            Marking.objects.filter(examiner=examiner, submitted_at__isnull=False)
            .select_related("attempt__exam", "attempt__user")
            .order_by("-submitted_at")[:20]
        ),
    }


@dataclass
class TaskToGrade:
    question: AttemptQuestion
    files: list[AttemptFile] = field(default_factory=list)

    @property
    def position(self) -> int:
        return self.question.position

    @property
    def scenario(self) -> str:
        return self.question.snapshot["stem"]

    @property
    def text(self) -> str:
        return (self.question.response or {}).get("text", "")

    @property
    def rubric(self) -> list[dict]:
        return self.question.snapshot["key"]["rubric"]

    @property
    def max_points(self) -> str:
        return self.question.snapshot["key"]["max_points"]


def marking_detail(*, marking: Marking, examiner) -> dict:
    """Everything the grading page shows for ``marking`` (a fixed number of queries).

    The candidate's name is hidden while blind grading applies (until this marking
    is submitted). Second markers never see the first marking; lead examiners and
    appeal re-graders see the earlier markings and the trail.
    """
    attempt = marking.attempt
    files = files_by_question(attempt)
    tasks = [
        TaskToGrade(q, files.get(q.position, [])) for q in attempt.practical_questions()
    ]
    is_lead_work = marking.role in LEAD_ROLES
    earlier: list[Marking] = []
    events: list[MarkingEvent] = []
    appeal = None
    if is_lead_work:
        earlier = list(
            Marking.objects.filter(attempt=attempt, submitted_at__isnull=False)
            .exclude(pk=marking.pk)
            .select_related("examiner")
        )
        events = list(
            MarkingEvent.objects.filter(attempt=attempt).select_related("actor")
        )
        appeal = Appeal.objects.filter(attempt=attempt).first()
    blind = attempt.exam.blind_grading and not marking.is_done
    return {
        "marking": marking,
        "attempt": attempt,
        "exam": attempt.exam,
        "tasks": tasks,
        "blind": blind,
        "candidate": (
            f"Candidate {attempt.candidate_number}"
            if blind
            else f"{attempt.user.get_full_name() or attempt.user.email} ({attempt.user.email})"
        ),
        "earlier": earlier,
        "events": events,
        "appeal": appeal,
        "is_lead_work": is_lead_work,
        "is_mine": marking.examiner_id == examiner.pk,
        "taken_by_other": bool(marking.examiner_id)
        and marking.examiner_id != examiner.pk,
    }
