"""What the other apps may use of exams.

- ``ExamPage``, ``Attempt``, ``AttemptStatus``, ``AttemptQuestion``, ``Question``:
  exams and attempts, for reading (reports, certificates).
- ``item_analysis``: the statistics of questions and exams; ``question_types``:
  the registry of question types (what a type shows, scores and analyses).
- ``register_eligibility_check``: a higher app adds a rule for who may start an
  exam (certificates: an approved experience attestation).
- ``register_conflict_source``: a higher app adds who may not grade whom
  (onboarding: a mentor never grades their hire).
- ``MarkingRole``: first, second or lead marking (templates compare to it).
Signals are in ``exams.signals``.
"""

from . import item_analysis, question_types
from .conflicts import register_conflict_source
from .eligibility import register_eligibility_check
from .models import (
    Attempt,
    AttemptQuestion,
    AttemptStatus,
    ExamPage,
    MarkingRole,
    Question,
)

__all__ = [
    "Attempt",
    "AttemptQuestion",
    "AttemptStatus",
    "ExamPage",
    "MarkingRole",
    "Question",
    "item_analysis",
    "question_types",
    "register_conflict_source",
    "register_eligibility_check",
]
