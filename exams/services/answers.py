"""Saving answers: only the newest save counts, and nothing is stored after the cutoff."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import question_types
from ..models import (
    Attempt,
    AttemptQuestion,
    AttemptStatus,
)

logger = logging.getLogger(__name__)


# --- save --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    """``accepted``: the attempt still takes answers. ``applied``: this save was
    stored (False for a stale sequence: resend with a higher one)."""

    accepted: bool
    applied: bool
    sequence: int
    saved_at: object
    message: str = ""


def clean_response(qtype: str, public: dict, raw) -> dict | None:
    """Keep only a well-formed response for the question type; None for blank."""
    if raw in (None, "", [], {}):
        return None
    if not isinstance(raw, dict):
        raise ValueError(_("the answer is not in a form this question takes"))
    return question_types.get(qtype).clean(public, raw)


def save_answers(
    *,
    attempt: Attempt,
    sequence: int | None,
    answers: dict[int, object],
    flags: dict[int, bool] | None = None,
    now=None,
    allowed_positions: set[int] | None = None,
) -> SaveResult:
    """Store answers (by question position) if ``sequence`` is the newest seen.

    A save whose sequence is not greater than the last accepted one changes nothing
    (a late or out-of-order request never overwrites a newer save); ``sequence=None``
    means "the next one" (a plain form post). ``allowed_positions`` limits which
    questions may change (sequential exams close earlier pages). After the cutoff
    (deadline plus grace) or once the attempt is closed, the save is refused with a
    message; what was last accepted is what gets graded. Raises ``ValueError`` for a
    malformed answer, before anything is written.
    """
    now = now or timezone.now()
    flags = flags or {}
    positions = set(answers) | set(flags)
    questions = {
        q.position: q
        for q in AttemptQuestion.objects.filter(attempt=attempt, position__in=positions)
    }
    if set(positions) - set(questions):
        raise ValueError(_("that question is not part of this attempt"))
    if allowed_positions is not None and not positions <= allowed_positions:
        raise ValueError(_("that question can no longer be changed"))
    cleaned = {
        position: clean_response(
            questions[position].qtype, questions[position].snapshot["public"], raw
        )
        for position, raw in answers.items()
    }
    with transaction.atomic():
        sequence_now = _record_save(attempt_id=attempt.pk, sequence=sequence, now=now)
        if sequence_now is None:
            # Not stored: closed, too late, or an older sequence. Say which.
            current = Attempt.objects.only(
                "status", "cutoff", "last_save_sequence", "last_saved_at"
            ).get(pk=attempt.pk)
            if not current.accepts_answers(now):
                return SaveResult(
                    False,
                    False,
                    current.last_save_sequence,
                    current.last_saved_at,
                    _(
                        "Time is up: this answer was not saved. Your earlier answers count."
                    ),
                )
            return SaveResult(
                True, False, current.last_save_sequence, current.last_saved_at
            )
        # Write only what this save carries: answers to the answered questions,
        # flags to the flagged ones. A flag must never write back a response read
        # before a concurrent save committed (that would erase the newer answer).
        answered, flagged = [], []
        for position, question in questions.items():
            if position in cleaned:
                question.response = cleaned[position]
                question.answered_at = now
                answered.append(question)
            if position in flags:
                question.flagged = bool(flags[position])
                flagged.append(question)
        if answered:
            AttemptQuestion.objects.bulk_update(answered, ["response", "answered_at"])
        if flagged:
            AttemptQuestion.objects.bulk_update(flagged, ["flagged"])
    return SaveResult(True, True, sequence_now, now)


def _record_save(*, attempt_id: int, sequence: int | None, now) -> int | None:
    """One conditional ``UPDATE … RETURNING`` decides whether a save counts: the
    attempt is open, in time (``cutoff``), and ``sequence`` is newer than the last
    accepted one (None: the next one, for a plain form post). Returns the stored
    sequence number, or None when the save does not count. The row stays locked
    until the caller's transaction ends, so two saves of one attempt write their
    answers one after the other, in the order their sequences were accepted."""
    table = connection.ops.quote_name(Attempt._meta.db_table)
    when = connection.ops.adapt_datetimefield_value(now)
    if sequence is None:
        assignment, newer, params = "last_save_sequence + 1", "", [when]
    else:
        assignment = "%s"
        newer = " AND last_save_sequence < %s"
        params = [sequence, when]
    params += [attempt_id, AttemptStatus.IN_PROGRESS, when]
    if sequence is not None:
        params.append(sequence)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_save_sequence = {assignment}, "  # noqa: S608
            f"last_saved_at = %s WHERE id = %s AND status = %s AND cutoff >= %s"
            f"{newer} RETURNING last_save_sequence",
            params,
        )
        row = cursor.fetchone()
    return row[0] if row else None
