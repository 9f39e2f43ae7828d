"""Writes for attempts: start, save, submit, close at the deadline, accommodations.

The server's clock is the only clock. Each function states what it refuses; a refused
call writes nothing. One module per concern; this package's names are the ones the
rest of the project uses.
"""

from .accommodations import (
    ACCOMMODATION_EDITABLE_FIELDS,
    ACCOMMODATION_FIELDS,
    MAX_EXTRA_ATTEMPTS,
    MAX_EXTRA_TIME_PERCENT,
    check_accommodation,
    set_accommodation,
)
from .answers import SaveResult, clean_response, save_answers, save_kept_page
from .closing import (
    announce_result,
    close_overdue_attempt,
    close_overdue_attempts,
    record_pass,
    submit_attempt,
    submit_own_attempt,
)
from .errors import (
    AttemptClosed,
    BlueprintError,
    CoolingDown,
    ExamError,
    ExamNotAvailable,
    NoAttemptsLeft,
    RequirementsNotMet,
)
from .rows import attempt_with_page
from .starting import (
    AttemptRules,
    History,
    check_can_start,
    draw_questions,
    go_to_page,
    serve,
    start_attempt,
)

__all__ = [
    "ACCOMMODATION_EDITABLE_FIELDS",
    "ACCOMMODATION_FIELDS",
    "MAX_EXTRA_ATTEMPTS",
    "MAX_EXTRA_TIME_PERCENT",
    "AttemptClosed",
    "AttemptRules",
    "BlueprintError",
    "CoolingDown",
    "ExamError",
    "ExamNotAvailable",
    "History",
    "NoAttemptsLeft",
    "RequirementsNotMet",
    "SaveResult",
    "check_accommodation",
    "check_can_start",
    "clean_response",
    "close_overdue_attempt",
    "close_overdue_attempts",
    "draw_questions",
    "serve",
    "go_to_page",
    "announce_result",
    "attempt_with_page",
    "record_pass",
    "save_answers",
    "save_kept_page",
    "set_accommodation",
    "start_attempt",
    "submit_attempt",
    "submit_own_attempt",
]
