"""Saving answers: only the newest save counts, and nothing is stored after the cutoff."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import planned_cursor, quoted

from .. import question_types
from ..models import (
    Attempt,
    AttemptPaper,
    AttemptStatus,
    paper_key,
)
from .rows import paper_update

logger = logging.getLogger(__name__)


# --- save --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    """``accepted``: the attempt still takes answers. ``applied``: this save was
    stored (False for a stale sequence: resend with a higher one). ``responses``:
    what an applied save stored, by question position."""

    accepted: bool
    applied: bool
    sequence: int
    saved_at: object
    message: str = ""
    responses: dict = field(default_factory=dict)


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
    questions: Iterable | None = None,
) -> SaveResult:
    """Store answers (by question position) if ``sequence`` is the newest seen.

    A save whose sequence is not greater than the last accepted one changes nothing
    (a late or out-of-order request never overwrites a newer save); ``sequence=None``
    means "the next one" (a plain form post). ``allowed_positions`` limits which
    questions may change (sequential exams close earlier pages). After the cutoff
    (deadline plus grace) or once the attempt is closed, the save is refused with a
    message; what was last accepted is what gets graded. Raises ``ValueError`` for a
    malformed answer, before anything is written. ``questions``: the served
    questions (``position``, ``qtype``, ``public``) when the caller has read them
    already; otherwise the ones saved are read here.

    One statement writes a save on PostgreSQL, however long the exam: the
    attempt's conditional update with the merge of the answers into its paper
    (two elsewhere; see ``_store``).
    """
    now = now or timezone.now()
    flags = flags or {}
    positions = set(answers) | set(flags)
    if questions is None:
        served = {
            q.position: (q.qtype, q.snapshot["public"])
            for q in AttemptPaper.questions_of(attempt.pk, positions)
        }
    else:
        served = {
            q.position: (q.qtype, q.public)
            for q in questions
            if q.position in positions
        }
    cleaned = _cleaned(served, answers, flags, allowed_positions)
    sequence_now = _store(
        attempt_id=attempt.pk,
        user_id=attempt.user_id,
        sequence=sequence,
        cleaned=cleaned,
        flags=flags,
        now=now,
    )
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
                _("Time is up: this answer was not saved. Your earlier answers count."),
            )
        return SaveResult(
            True, False, current.last_save_sequence, current.last_saved_at
        )
    return SaveResult(True, True, sequence_now, now, responses=cleaned)


def save_kept_page(
    *,
    attempt_id: int,
    user_id: int,
    sequence: int,
    answers: dict[int, object],
    flags: dict[int, bool],
    questions: Iterable,
    now=None,
) -> SaveResult | None:
    """A save from the attempt's kept state (``live``), which names the attempt
    and its owner, of one page's ``questions`` (kept too): no read, the
    write of :func:`save_answers`. None when the save is not stored (closed,
    too late, an older sequence, not the owner's): the caller then saves as
    :func:`save_answers` does, which says why. Raises ``ValueError`` as it does.
    """
    now = now or timezone.now()
    served = {q.position: (q.qtype, q.public) for q in questions}
    cleaned = _cleaned(served, answers, flags, None)
    sequence_now = _store(
        attempt_id=attempt_id,
        user_id=user_id,
        sequence=sequence,
        cleaned=cleaned,
        flags=flags,
        now=now,
    )
    if sequence_now is None:
        return None
    return SaveResult(True, True, sequence_now, now, responses=cleaned)


def _cleaned(
    served: dict, answers: dict, flags: dict, allowed_positions: set[int] | None
) -> dict:
    """The answers, each checked against its served question (by position)."""
    positions = set(answers) | set(flags)
    if positions - set(served):
        raise ValueError(_("that question is not part of this attempt"))
    if allowed_positions is not None and not positions <= allowed_positions:
        raise ValueError(_("that question can no longer be changed"))
    return {
        position: clean_response(*served[position], raw)
        for position, raw in answers.items()
    }


def _store(
    *, attempt_id: int, user_id: int, sequence, cleaned: dict, flags: dict, now
) -> int | None:
    """The conditional update and the answers' write, all or nothing. The stored
    sequence number, or None when the save does not count.

    On PostgreSQL they are one statement: the attempt's update is a ``WITH``
    query and the paper's update joins the row it returns, so the answers are
    written only when the save counts, under the attempt's row lock, with no
    transaction of its own to open and commit. Elsewhere they are two statements
    in one transaction.
    """
    decide, decide_params = _decision_sql(
        attempt_id=attempt_id, user_id=user_id, sequence=sequence, now=now
    )
    columns = _paper_columns(cleaned, flags, now)
    if connection.vendor == "postgresql":
        write = paper_update(columns, source="saved")
        if write is not None:
            decide = f"WITH saved AS ({decide}), written AS ({write[0]}) "  # noqa: S608
            decide += "SELECT id, last_save_sequence FROM saved"
            decide_params = [*decide_params, *write[1]]
        with planned_cursor() as cursor:
            cursor.execute(decide, decide_params)
            row = cursor.fetchone()
        return row[1] if row else None
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(decide, decide_params)
            returned = cursor.fetchall()
            row = returned[0] if returned else None
            write = paper_update(columns, attempt_id=attempt_id)
            if row is not None and write is not None:
                cursor.execute(*write)
    return row[1] if row else None


def _paper_columns(cleaned: dict, flags: dict, now) -> dict[str, dict]:
    """What a save writes to the paper, by column and position: the answers it
    carries (None for a blanked one) with the time, and the flags it carries.
    A position it carries nothing for keeps what the paper holds."""
    when = now.isoformat()
    return {
        "responses": {paper_key(p): response for p, response in cleaned.items()},
        "answered_at": {paper_key(p): when for p in cleaned},
        "flags": {paper_key(p): bool(flag) for p, flag in flags.items()},
    }


def _decision_sql(
    *, attempt_id: int, user_id: int, sequence: int | None, now
) -> tuple[str, list]:
    """The conditional ``UPDATE … RETURNING`` that decides whether a save counts:
    the attempt is ``user_id``'s, open, in time (``cutoff``), and ``sequence`` is
    newer than the last accepted one (None: the next one, for a plain form post).
    It returns the attempt's id and the stored sequence number, or no row when
    the save does not count. The row stays locked until the statement's
    transaction ends, so two saves of one attempt write their answers one after
    the other, in the order their sequences were accepted."""
    table = quoted(Attempt._meta.db_table)
    when = connection.ops.adapt_datetimefield_value(now)
    if sequence is None:
        assignment, newer, params = "last_save_sequence + 1", "", [when]
    else:
        assignment = "%s"
        newer = " AND last_save_sequence < %s"
        params = [sequence, when]
    params += [attempt_id, user_id, AttemptStatus.IN_PROGRESS, when]
    if sequence is not None:
        params.append(sequence)
    sql = (
        f"UPDATE {table} SET last_save_sequence = {assignment}, "  # noqa: S608
        f"last_saved_at = %s WHERE id = %s AND user_id = %s AND status = %s "
        f"AND cutoff >= %s"
        f"{newer} RETURNING id, last_save_sequence"
    )
    return sql, params
