"""Reads for exam pages: overview, the questions of one page, results and review."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from . import grading
from .models import Attempt, AttemptQuestion, AttemptStatus, ExamPage, ReviewPolicy
from .services import AttemptRules, ExamError, check_can_start


@dataclass
class ServedQuestion:
    """What the template may show of a question during an attempt: never the key."""

    position: int
    section_title: str
    qtype: str
    stem: str
    public: dict
    response: dict | None
    flagged: bool
    page: int = 1

    @property
    def answered(self) -> bool:
        return grading.is_answered(self.qtype, self.response)

    @property
    def order_rows(self) -> list[dict]:
        """Ordering questions: each item with the rank the learner gave it."""
        order = (self.response or {}).get("order") or []
        return [
            {
                **item,
                "rank": order.index(item["id"]) + 1 if item["id"] in order else None,
            }
            for item in self.public.get("items", [])
        ]

    @property
    def rank_choices(self) -> range:
        return range(1, len(self.public.get("items", [])) + 1)


def served(question: AttemptQuestion) -> ServedQuestion:
    return ServedQuestion(
        position=question.position,
        section_title=question.section_title,
        qtype=question.snapshot["type"],
        stem=question.snapshot["stem"],
        public=question.snapshot["public"],
        response=question.response,
        flagged=question.flagged,
    )


def exam_overview(*, exam: ExamPage, user) -> dict:
    attempts = []
    can_start, reason = False, ""
    if user.is_authenticated:
        attempts = list(
            Attempt.objects.filter(user=user, exam=exam).order_by("-number")
        )
        open_attempt = next((a for a in attempts if a.is_open), None)
        if open_attempt is None:
            try:
                check_can_start(
                    user=user,
                    exam=exam,
                    rules=AttemptRules.for_learner(exam, user),
                    previous=attempts,
                )
                can_start = True
            except ExamError as exc:
                reason = str(exc)
    else:
        open_attempt = None
    sections = list(exam.sections.all().order_by("sort_order", "pk"))
    return {
        "attempts": attempts,
        "open_attempt": open_attempt,
        "can_start": can_start,
        "reason": reason,
        "sections": sections,
        "question_count": sum(s.count for s in sections),
    }


def attempt_page(*, attempt: Attempt, page: int) -> dict:
    """The questions on one page of an attempt, plus the navigation summary."""
    exam = attempt.exam
    per_page = max(1, exam.questions_per_page)
    questions = [served(q) for q in attempt.questions.all().order_by("position")]
    for question in questions:
        question.page = (question.position - 1) // per_page + 1
    page_count = max(1, -(-len(questions) // per_page))
    page = min(max(1, page), page_count)
    start = (page - 1) * per_page
    return {
        "attempt": attempt,
        "exam": exam,
        "page": page,
        "page_count": page_count,
        "questions": questions[start : start + per_page],
        "all_questions": questions,
        "answered_count": sum(1 for q in questions if q.answered),
        "flagged_count": sum(1 for q in questions if q.flagged),
        "remaining_seconds": attempt.remaining_seconds(),
        "sequential": exam.navigation == "sequential",
        "page_links": [
            {
                "number": n,
                "first": (n - 1) * per_page + 1,
                "last": min(n * per_page, len(questions)),
            }
            for n in range(1, page_count + 1)
        ],
    }


def positions_on_page(attempt: Attempt, page: int) -> set[int]:
    per_page = max(1, attempt.exam.questions_per_page)
    first = (page - 1) * per_page + 1
    return set(range(first, first + per_page))


def review_allowed(attempt: Attempt, now=None) -> bool:
    if attempt.status != AttemptStatus.GRADED:
        return False
    exam = attempt.exam
    if exam.review_after == "close" and exam.closes_at:
        return (now or timezone.now()) >= exam.closes_at
    return True


def attempt_result(*, attempt: Attempt) -> dict:
    exam = attempt.exam
    history = list(
        Attempt.objects.filter(user=attempt.user, exam=exam).order_by("-number")
    )
    allowed = review_allowed(attempt)
    review = []
    if allowed and exam.review_policy != ReviewPolicy.SCORE:
        for question in attempt.questions.all().order_by("position"):
            result = grading.grade_question(question.snapshot, question.response)
            item = {
                "served": served(question),
                "correct": result.correct,
                "partial": result.partially_correct,
                "points": result.points,
                "max_points": result.max_points,
            }
            if exam.review_policy == ReviewPolicy.ANSWERS:
                item["key"] = question.snapshot["key"]
                item["explanation"] = question.snapshot.get("explanation", "")
            review.append(item)
    next_attempt = None
    reason = ""
    if not attempt.passed:
        try:
            check_can_start(
                user=attempt.user,
                exam=exam,
                rules=AttemptRules.for_learner(exam, attempt.user),
                previous=history,
            )
            next_attempt = "now"
        except ExamError as exc:
            reason = str(exc)
    return {
        "attempt": attempt,
        "exam": exam,
        "history": history,
        "review": review,
        "review_allowed": allowed,
        "review_policy": exam.review_policy,
        "next_attempt": next_attempt,
        "next_attempt_reason": reason,
    }
