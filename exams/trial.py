"""Trying an exam as its author: questions drawn as a learner would get them,
answered and graded, with nothing stored.

A try is not an attempt. No row is written, so it never counts against anyone's
attempts, never reaches item analysis, the reports or a certificate. It uses the
exam as the author is working on it (the latest draft's sections and settings)
and the banks' published questions, which are the ones a learner would draw.

The draw is repeatable: a try carries a seed, and the answers come back with the
seed and the ids of the questions shown. The questions are drawn again from the
seed and must be the same ones; nothing the browser sends is trusted beyond a
number and a list to compare.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from . import grading
from .models import ExamPage
from .selectors import ServedQuestion
from .services import BlueprintError, clean_response, draw_questions, serve

MAX_SEED = 2**31 - 1


class TrialChanged(Exception):
    """The exam or its banks changed between showing the questions and grading."""


@dataclass
class TrialQuestion:
    served: ServedQuestion
    section_index: int
    question_id: int
    snapshot: dict
    error: str = ""

    @property
    def graded_by_examiner(self) -> bool:
        return self.snapshot["type"] in grading.MANUAL_TYPES


@dataclass
class Trial:
    exam: ExamPage
    seed: int
    questions: list[TrialQuestion] = field(default_factory=list)

    @property
    def question_ids(self) -> str:
        return ",".join(str(q.question_id) for q in self.questions)


@dataclass
class TrialReview:
    trial: Trial
    result: grading.AttemptResult
    items: list[dict]

    @property
    def passed(self) -> bool:
        return self.result.passed


def new_seed() -> int:
    return secrets.randbelow(MAX_SEED)


def draft_of(exam: ExamPage) -> ExamPage:
    """The exam as its author is working on it."""
    return exam.get_latest_revision_as_object()


def draw(exam: ExamPage, *, seed: int) -> Trial:
    """The questions a learner could be served, in the order they would be.
    Raises ``BlueprintError`` (with the counts) when the banks can't give them."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable draw, not a secret
    drawn = draw_questions(exam, rng=rng)
    if exam.shuffle_questions:
        rng.shuffle(drawn)
    trial = Trial(exam=exam, seed=seed)
    for position, (section_index, section_title, question) in enumerate(drawn, start=1):
        snapshot = serve(question, exam=exam, rng=rng)
        trial.questions.append(
            TrialQuestion(
                served=ServedQuestion(
                    position=position,
                    section_title=section_title,
                    qtype=question.qtype,
                    stem=snapshot["stem"],
                    public=snapshot["public"],
                    response=None,
                    flagged=False,
                ),
                section_index=section_index,
                question_id=question.pk,
                snapshot=snapshot,
            )
        )
    return trial


def redraw(exam: ExamPage, *, seed: int, shown: str) -> Trial:
    """The try that was shown (``shown``: its question ids, comma-separated).
    Raises ``TrialChanged`` if the same seed no longer draws those questions."""
    try:
        trial = draw(exam, seed=seed)
    except BlueprintError as exc:
        raise TrialChanged(str(exc)) from exc
    if trial.question_ids != shown:
        raise TrialChanged(
            _(
                "The exam or its question banks changed while you were trying it, "
                "so these are new questions."
            )
        )
    return trial


def answer(trial: Trial, answers: dict[int, dict]) -> bool:
    """Put the answers (raw, by position) on the questions; False if any was not
    in a form its question takes (each such question then carries the message,
    and keeps what can be shown of the answer)."""
    ok = True
    for question in trial.questions:
        raw = answers.get(question.served.position)
        if question.graded_by_examiner:
            continue
        try:
            question.served.response = clean_response(
                question.served.qtype, question.served.public, raw
            )
        except ValueError as exc:
            question.error = str(exc)
            question.served.response = raw if isinstance(raw, dict) else None
            ok = False
    return ok


def grade(trial: Trial) -> TrialReview:
    """The score a learner would get for these answers, question by question."""
    result = grading.grade_attempt(
        (
            (q.section_index, q.served.section_title, q.snapshot, q.served.response)
            for q in trial.questions
        ),
        pass_mark=trial.exam.pass_mark or Decimal(0),
    )
    # grade_attempt grades each automatically graded question once, in order.
    automatic = [q for q in trial.questions if not q.graded_by_examiner]
    items = [
        {
            "served": question.served,
            "correct": outcome.correct,
            "partial": outcome.partially_correct,
            "points": outcome.points,
            "max_points": outcome.max_points,
            "key": question.snapshot["key"],
            "explanation": question.snapshot.get("explanation", ""),
        }
        for question, outcome in zip(automatic, result.questions, strict=True)
    ]
    return TrialReview(trial=trial, result=result, items=items)
