"""An open attempt's timer state, kept in the cache so that the exam page's poll
is answered without touching the database in the common case, and an autosave
with two writes and no read.

The state of one attempt is what the poll shows: its status, deadline and cutoff
(fixed when the attempt starts), the last accepted save's sequence number, and
whose it is: the owner's id and session hash (the one Django keeps in the
session), so the poll can check the caller without loading the user. It is
written by the views that have loaded the attempt anyway (a save, a poll that
missed), and dropped after the commit that closes the attempt (a submit, the
sweep, a late submit that closes it at the deadline). Whatever is missing or
does not match falls back to the database path, which answers exactly as before.
The state also names the attempt's row and pages, so a save of a free-navigation
attempt without practical tasks goes by it, with the page's served questions
kept beside it (``page_questions``); the save's own update still checks the
owner, the status, the cutoff and the sequence in the database.

When a person's account changes in a way that can end their sessions (a new
password, deactivation), the states of their open attempts are dropped, so the
next poll goes through the database path and its sign-in checks.
"""

from __future__ import annotations

import time
from dataclasses import astuple, dataclass, replace
from datetime import datetime

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.db import transaction

from .models import AttemptStatus

TTL = 300


def _key(public_id) -> str:
    return f"exams:live:2:{public_id}"


def _page_key(public_id, page: int) -> str:
    return f"exams:page:{public_id}:{page}"


@dataclass(frozen=True)
class LiveState:
    user_id: int
    session_hash: str
    status: str
    deadline: float
    cutoff: float
    seq: int
    attempt_id: int
    per_page: int
    page_count: int
    # A save may go by this state alone: free navigation (no page closes as the
    # learner moves on) and no practical task (whose hand-ins a save counts).
    quick_save: bool

    def as_poll(self, now: datetime) -> dict:
        """The poll's answer, the same fields and meaning as from the database."""
        at = now.timestamp()
        is_open = self.status == AttemptStatus.IN_PROGRESS
        return {
            "status": self.status,
            "remaining_seconds": max(0, int(self.deadline - at)),
            "accepts_answers": is_open and at <= self.cutoff,
            "server_time": now.isoformat(),
            "seq": self.seq,
        }


def remember(attempt, *, session_hash: str, seq: int | None = None) -> None:
    """Keep ``attempt``'s state for the poll and the save (only while it is open)."""
    if attempt.status != AttemptStatus.IN_PROGRESS or not session_hash:
        return
    _keep(
        attempt.public_id,
        LiveState(
            user_id=attempt.user_id,
            session_hash=session_hash,
            status=attempt.status,
            deadline=attempt.deadline.timestamp(),
            cutoff=attempt.cutoff.timestamp(),
            seq=attempt.last_save_sequence if seq is None else seq,
            attempt_id=attempt.pk,
            per_page=attempt.per_page,
            page_count=attempt.page_count(),
            quick_save=not attempt.sequential and not attempt.has_practical,
        ),
    )


def remember_save(state: LiveState, public_id, *, seq: int) -> None:
    """Keep ``state`` with a newer accepted save's sequence number."""
    _keep(public_id, replace(state, seq=seq))


def _keep(public_id, state: LiveState) -> None:
    cache.set(_key(public_id), astuple(state), TTL)


@dataclass(frozen=True)
class PageQuestion:
    """What a save needs of a served question: where it is and what it takes."""

    position: int
    qtype: str
    public: dict
    # Before the save: a kept page carries no answer and no hand-in.
    response: None = None
    files: tuple = ()


def page_questions(state: LiveState, public_id, page: int) -> list[PageQuestion]:
    """The questions on ``page`` of the attempt, as served (never the key).

    They never change once the attempt starts (its questions and its pages are
    fixed then), so they are kept until the attempt's cutoff: kept by the save
    that read them from the database, or read here (one query).
    """
    kept = cache.get(_page_key(public_id, page))
    if kept is not None:
        return [PageQuestion(*row) for row in kept]
    from .models import AttemptQuestion

    first = (page - 1) * state.per_page + 1
    questions = [
        PageQuestion(q.position, q.qtype, q.snapshot["public"])
        for q in AttemptQuestion.objects.filter(
            attempt_id=state.attempt_id,
            position__gte=first,
            position__lt=first + state.per_page,
        )
        .only("position", "snapshot")
        .order_by("position")
    ]
    keep_page(public_id, page, questions, cutoff=state.cutoff)
    return questions


def keep_page(public_id, page: int, questions, *, cutoff: float) -> None:
    """Keep a page's served ``questions`` (anything with ``position``, ``qtype``
    and ``public``) until the attempt's ``cutoff`` (a timestamp)."""
    cache.set(
        _page_key(public_id, page),
        [(q.position, q.qtype, q.public) for q in questions],
        max(60, int(cutoff - time.time()) + 60),
    )


def forget_on_commit(attempt) -> None:
    """Drop ``attempt``'s state once the transaction that closes it commits."""
    public_id = attempt.public_id
    transaction.on_commit(lambda: cache.delete(_key(public_id)))


def for_session(session, public_id) -> LiveState | None:
    """The state of ``public_id`` if it is kept and belongs to the person signed
    in on ``session`` (same id, same session hash); None otherwise."""
    user_id = session.get(SESSION_KEY)
    if user_id is None:
        return None
    kept = cache.get(_key(public_id))
    if kept is None:
        return None
    state = LiveState(*kept)
    if str(state.user_id) != str(user_id):
        return None
    if state.session_hash != session.get(HASH_SESSION_KEY):
        return None
    return state


def forget_person(user_id: int) -> None:
    """Drop the states of ``user_id``'s open attempts (their sessions may have
    ended: new password, deactivated)."""
    from .models import Attempt

    ids = Attempt.objects.filter(
        user_id=user_id, status=AttemptStatus.IN_PROGRESS
    ).values_list("public_id", flat=True)
    cache.delete_many([_key(public_id) for public_id in ids])


# A save that touches only these cannot end a session.
HARMLESS_FIELDS = frozenset({"last_login", "updated_at"})


def on_person_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields and set(update_fields) <= HARMLESS_FIELDS):
        return
    forget_person(instance.pk)
