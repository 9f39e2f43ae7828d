"""Writes for practical tasks: hand-ins, examiners' markings, second marking, the lead
examiner's decision and appeals.

An attempt with practical tasks closes as *awaiting grading*: its theory part is
graded at once, its practical part by examiners. Markings are never edited once
submitted; each step writes a :class:`~exams.models.MarkingEvent`, so the audit
trail says who did what and when. The final result goes through the same
``record_pass`` as an auto-graded exam, so a pass sends the same ``attempt_passed``.
"""

from .appeals import AppealWindow, appeal_window, lodge_appeal
from .common import MAX_APPEAL_REASON, MAX_FEEDBACK, GradingError
from .hand_ins import remove_hand_in, upload_hand_in
from .markings import (
    claim_marking,
    queue_for_marking,
    refusal,
    release_marking,
    submit_marking,
)
from .results import close_without_practical

__all__ = [
    "MAX_APPEAL_REASON",
    "MAX_FEEDBACK",
    "AppealWindow",
    "GradingError",
    "appeal_window",
    "claim_marking",
    "close_without_practical",
    "lodge_appeal",
    "queue_for_marking",
    "refusal",
    "release_marking",
    "remove_hand_in",
    "submit_marking",
    "upload_hand_in",
]
