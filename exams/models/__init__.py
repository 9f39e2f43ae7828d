"""Exams' models: question banks, exam pages, attempts, and marking (one module
each). Migrations and other modules import them from here."""

from .attempts import (
    CLOSED_STATUSES,
    Attempt,
    AttemptFile,
    AttemptQuerySet,
    AttemptQuestion,
    AttemptStatus,
    _hand_in_path,
    _private_storage,
    page_positions,
)
from .authoring import (
    STEM_FEATURES,
    Difficulty,
    Question,
    QuestionBank,
    _plain,
)
from .marking import (
    LEAD_ROLES,
    Appeal,
    Marking,
    MarkingEvent,
    MarkingRole,
)
from .pages import (
    Accommodation,
    DeadlinePolicy,
    ExamIndexPage,
    ExamPage,
    ExamRequiredCourse,
    ExamSection,
    Navigation,
    ReviewPolicy,
    ReviewTiming,
)

__all__ = [
    "page_positions",
    "Accommodation",
    "Appeal",
    "Attempt",
    "AttemptFile",
    "AttemptQuerySet",
    "AttemptQuestion",
    "AttemptStatus",
    "CLOSED_STATUSES",
    "DeadlinePolicy",
    "Difficulty",
    "ExamIndexPage",
    "ExamPage",
    "ExamRequiredCourse",
    "ExamSection",
    "LEAD_ROLES",
    "Marking",
    "MarkingEvent",
    "MarkingRole",
    "Navigation",
    "Question",
    "QuestionBank",
    "ReviewPolicy",
    "ReviewTiming",
    "STEM_FEATURES",
    "_hand_in_path",
    "_plain",
    "_private_storage",
]
