"""Reads for exam pages: overview, the questions of one page, results and review."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import grading, policy, question_types
from .marking_services import appeal_window
from .models import (
    Appeal,
    Attempt,
    AttemptFile,
    AttemptQuestion,
    AttemptStatus,
    ExamPage,
    Marking,
    MarkingRole,
    ReviewPolicy,
)
from .models.paper_reads import PaperPage
from .question_types.markup import response_of
from .services import AttemptRules, ExamError, History, check_can_start


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
    files: list = field(default_factory=list)

    @property
    def question_type(self):
        """Its type, which names the templates that show it."""
        return question_types.get(self.qtype)

    @property
    def answered(self) -> bool:
        return _answered(self.qtype, self.response, self.files)

    @property
    def accept(self) -> str:
        """The file input's ``accept`` attribute for a practical task."""
        return ",".join(self.public.get("file_types") or [])

    @property
    def order_rows(self) -> list[dict]:
        """Ordering questions: each item with the rank the learner gave it."""
        order = response_of(self).get("order")
        order = order if isinstance(order, list) else []
        return [
            {
                **item,
                "rank": order.index(item["id"]) + 1 if item["id"] in order else None,
            }
            for item in self.public.get("items", [])
        ]

    @property
    def match_rows(self) -> list[dict]:
        """Matching questions: each prompt with the option the learner chose
        for it (one look-up each, where the template searched every answer
        for every option of every prompt)."""
        matches = response_of(self).get("matches")
        matches = matches if isinstance(matches, dict) else {}
        return [
            {**prompt, "chosen": matches.get(prompt["id"])}
            for prompt in self.public.get("prompts", [])
        ]

    @property
    def rank_choices(self) -> range:
        return range(1, len(self.public.get("items", [])) + 1)


def served(question: AttemptQuestion, files=()) -> ServedQuestion:
    return ServedQuestion(
        position=question.position,
        section_title=question.section_title,
        qtype=question.snapshot["type"],
        stem=question.snapshot["stem"],
        public=question.snapshot["public"],
        response=question.response,
        flagged=question.flagged,
        files=list(files),
    )


def files_by_question(
    attempt: Attempt, positions: range | None = None
) -> dict[int, list[AttemptFile]]:
    """Hand-ins per question position, of ``positions`` only if given (one
    query, none without practical tasks)."""
    if not attempt.has_practical:
        return {}
    files: dict[int, list[AttemptFile]] = {}
    found = AttemptFile.objects.filter(attempt=attempt)
    if positions is not None:
        found = found.filter(position__gte=positions.start, position__lt=positions.stop)
    for record in found:
        files.setdefault(record.position, []).append(record)
    return files


@dataclass(frozen=True)
class Mark:
    """What an exam page's frame shows of one of the attempt's questions: its
    place, and whether it is answered and flagged."""

    position: int
    page: int
    answered: bool
    flagged: bool


def paper_marks(attempt: Attempt, paper: PaperPage, files: dict) -> list[Mark]:
    """Each of the attempt's questions as its frame shows it, in order."""
    return sorted(
        (
            Mark(
                position=int(key),
                page=attempt.page_of(int(key)),
                answered=_answered(
                    qtype, paper.responses.get(key), files.get(int(key))
                ),
                flagged=bool(paper.flags.get(key, False)),
            )
            for key, qtype in paper.types.items()
        ),
        key=lambda mark: mark.position,
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
                    history=History.of(attempts),
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


def _frame(attempt: Attempt, marks: list[Mark]) -> dict:
    """What the exam page and the review before a submit both show: the
    attempt, each question's mark, how many are answered and flagged, and the
    time left."""
    return {
        "attempt": attempt,
        "exam": attempt.exam,
        "marks": marks,
        "answered_count": sum(1 for mark in marks if mark.answered),
        "flagged_count": sum(1 for mark in marks if mark.flagged),
        "remaining_seconds": attempt.remaining_seconds(),
    }


def attempt_review(*, attempt: Attempt, paper: PaperPage) -> dict:
    """The review before a submit: every question's mark, and the unanswered
    and flagged ones, each linked to its page. ``paper``: read without a
    page's questions (``services.attempt_with_page`` with page None)."""
    marks = paper_marks(attempt, paper, files_by_question(attempt))
    return {
        **_frame(attempt, marks),
        "unanswered": [mark for mark in marks if not mark.answered],
        "flagged": [mark for mark in marks if mark.flagged],
        "per_page": attempt.per_page,
    }


def attempt_page(*, attempt: Attempt, page: int, paper: PaperPage) -> dict:
    """The questions on one page of an attempt, plus the navigation summary.

    ``paper``: the attempt's paper as ``services.attempt_with_page`` read it,
    with the questions of the page it was asked for. Another page (the one
    asked for is out of range, or left behind in a sequential exam) reads its
    questions in one more query."""
    per_page = attempt.per_page
    page_count = attempt.page_count()
    page = min(max(1, page), page_count)
    files = files_by_question(attempt)
    rows = _page_rows(attempt, page, paper)
    questions = [served(q, files.get(q.position, ())) for q in rows]
    for question in questions:
        question.page = page
    frame = _frame(attempt, paper_marks(attempt, paper, files))
    on_page = sum(1 for q in questions if q.answered)
    return {
        **frame,
        "page": page,
        "page_count": page_count,
        "questions": questions,
        # A save answers for its own page; the other pages are counted here.
        "answered_elsewhere": frame["answered_count"] - on_page,
        "sequential": attempt.sequential,
        "page_links": [
            {
                "number": n,
                "first": (n - 1) * per_page + 1,
                "last": min(n * per_page, len(frame["marks"])),
            }
            for n in range(1, page_count + 1)
        ],
    }


def _page_rows(attempt: Attempt, page: int, paper: PaperPage) -> list:
    """The served questions of ``page`` (in range): those ``paper`` holds when
    it was read for that page, else read now (one query)."""
    if paper.page == page:
        return paper.questions
    return attempt.served_questions(attempt.positions_on_page(page))


def questions_on_page(
    *, attempt: Attempt, page: int, paper: PaperPage
) -> tuple[int, list]:
    """(page, its served questions) without reading the attempt's other questions.

    The page is clamped to the attempt's pages like :func:`attempt_page`. What an
    autosave needs: the page's rows (those of ``paper`` when it was read for
    that page, else one small query), and its hand-ins when the attempt has
    practical tasks (one more).
    """
    page = min(max(1, page), attempt.page_count())
    positions = attempt.positions_on_page(page)
    rows = _page_rows(attempt, page, paper)
    files = files_by_question(attempt, positions)
    questions = [served(q, files.get(q.position, ())) for q in rows]
    for question in questions:
        question.page = page
    return page, questions


def _answered(qtype: str, response, files) -> bool:
    return grading.is_answered(qtype, response) or bool(files)


def answered_on_page(questions, responses: dict) -> int:
    """How many of a page's questions are answered once ``responses`` (by
    position, as a save stored them) replace what was read before the save.
    ``questions``: served (``ServedQuestion``) or kept (``live.PageQuestion``)."""
    return sum(
        1
        for q in questions
        if _answered(q.qtype, responses.get(q.position, q.response), q.files)
    )


def _theory_visible(attempt: Attempt, now=None) -> bool:
    """While examiners grade, the theory score shows if the review timing allows."""
    exam = attempt.exam
    if attempt.theory_percent is None:
        return False
    return policy.review_timing_allows(exam, now)


def review_allowed(attempt: Attempt, now=None) -> bool:
    if attempt.status != AttemptStatus.GRADED:
        return False
    return policy.review_timing_allows(attempt.exam, now)


def answer_keys_shown(attempt: Attempt, *, attempts_used: int, rules) -> bool:
    """Whether the review may show the right answers: only where the exam shows
    answers, and only once they can no longer help a next attempt at the same
    bank (the learner passed, or used the last attempt allowed)."""
    if attempt.exam.review_policy != ReviewPolicy.ANSWERS:
        return False
    if attempt.passed:
        return True
    return bool(rules.attempts_allowed) and attempts_used >= rules.attempts_allowed


def attempt_result(*, attempt: Attempt) -> dict:
    exam = attempt.exam
    history = list(
        Attempt.objects.filter(user=attempt.user, exam=exam).order_by("-number")
    )
    allowed = review_allowed(attempt)
    rules = AttemptRules.for_learner(exam, attempt.user)
    keys_shown = answer_keys_shown(attempt, attempts_used=len(history), rules=rules)
    review = []
    if allowed and exam.review_policy != ReviewPolicy.SCORE:
        for question in attempt.served_questions():
            if question.qtype in grading.MANUAL_TYPES:
                continue
            result = grading.grade_question(question.snapshot, question.response)
            item = {
                "served": served(question),
                "correct": result.correct,
                "partial": result.partially_correct,
                "points": result.points,
                "max_points": result.max_points,
            }
            if keys_shown:
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
                rules=rules,
                history=History.of(history),
            )
            next_attempt = "now"
        except ExamError as exc:
            reason = str(exc)
    return {
        "attempt": attempt,
        "exam": exam,
        "practical": practical_result(attempt) if attempt.has_practical else None,
        "theory_visible": _theory_visible(attempt),
        "history": history,
        "review": review,
        "review_allowed": allowed,
        "review_policy": exam.review_policy,
        "keys_shown": keys_shown,
        "keys_withheld": allowed
        and exam.review_policy == ReviewPolicy.ANSWERS
        and not keys_shown,
        "next_attempt": next_attempt,
        "next_attempt_reason": reason,
    }


def practical_result(attempt: Attempt) -> dict:
    """What the candidate sees of the practical grading: the state while waiting;
    once graded, each counted marking's levels and feedback (examiners unnamed)."""
    markings = {m.role: m for m in attempt.markings.all()}
    appeal = Appeal.objects.filter(attempt=attempt).first()
    counted: list[Marking] = []
    if attempt.status == AttemptStatus.GRADED:
        if appeal and appeal.decided_at and MarkingRole.APPEAL in markings:
            counted = [markings[MarkingRole.APPEAL]]
        elif markings.get(MarkingRole.LEAD) and markings[MarkingRole.LEAD].is_done:
            counted = [markings[MarkingRole.LEAD]]
        else:
            counted = [
                markings[role]
                for role in (MarkingRole.FIRST, MarkingRole.SECOND)
                if role in markings and markings[role].is_done
            ]
    tasks = attempt.practical_questions()
    graded = []
    for number, marking in enumerate(counted, start=1):
        rows = []
        for task in tasks:
            chosen = (marking.levels or {}).get(str(task.position), {})
            for criterion in task.snapshot["key"]["rubric"]:
                level = next(
                    (
                        lvl
                        for lvl in criterion["levels"]
                        if lvl["id"] == chosen.get(criterion["id"])
                    ),
                    None,
                )
                best = max(Decimal(lvl["points"]) for lvl in criterion["levels"])
                rows.append(
                    {
                        "task": task.position,
                        "criterion": criterion["title"],
                        "level": level["label"] if level else "",
                        "points": level["points"] if level else "",
                        "max_points": best,
                    }
                )
        graded.append(
            {
                "label": marking.get_role_display()
                if len(counted) == 1
                else f"Examiner {number}",
                "percent": marking.percent,
                "feedback": marking.feedback,
                "rows": rows,
            }
        )
    return {
        "awaiting": attempt.status == AttemptStatus.SUBMITTED,
        "markings": graded,
        "appeal": appeal,
        # The window is only shown when there is no appeal yet.
        "appeal_window": appeal_window(attempt) if appeal is None else None,
    }
