"""What the other apps may use of exams.

- ``ExamPage``, ``Attempt``, ``AttemptStatus``, ``AttemptQuestion``, ``Question``:
  exams and attempts, for reading (reports, certificates); ``AttemptPaper``:
  an attempt's questions and answers in one row (``paper_questions`` reads
  them from its columns).
- ``item_analysis``: the statistics of questions and exams; ``question_types``:
  the registry of question types (what a type shows, scores and analyses).
- ``register_eligibility_check``: a higher app adds a rule for who may start an
  exam (certificates: an approved experience attestation).
- ``register_conflict_source``: a higher app adds who may not grade whom
  (onboarding: a mentor never grades their hire).
- ``MarkingRole``: first, second or lead marking (templates compare to it).
- ``markings_waiting_for(examiner)``: the practical work an examiner may take,
  oldest first, as the grading queue lists it; ``GRADING_PERMISSION`` and
  ``GRADING_QUEUE_URL``: who grades, and where.
- ``live_exams_short_of_questions()``: live exams whose blueprint can't be
  drawn, with the reasons.
Signals are in ``exams.signals``.
"""

from . import item_analysis, question_types
from .blueprint import live_exams_short_of_questions
from .conflicts import register_conflict_source
from .eligibility import register_eligibility_check
from .marking_selectors import PERMISSION as GRADING_PERMISSION
from .marking_selectors import QUEUE_URL as GRADING_QUEUE_URL
from .marking_selectors import waiting_for as markings_waiting_for
from .models import (
    Attempt,
    AttemptPaper,
    AttemptQuestion,
    AttemptStatus,
    ExamPage,
    MarkingRole,
    Question,
    paper_key,
    paper_questions,
)

__all__ = [
    "GRADING_PERMISSION",
    "GRADING_QUEUE_URL",
    "Attempt",
    "AttemptPaper",
    "AttemptQuestion",
    "AttemptStatus",
    "ExamPage",
    "MarkingRole",
    "Question",
    "item_analysis",
    "live_exams_short_of_questions",
    "markings_waiting_for",
    "paper_key",
    "paper_questions",
    "question_types",
    "register_conflict_source",
    "register_eligibility_check",
]
