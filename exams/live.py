"""An open attempt's timer state, kept in the cache so that the exam page's poll
is answered without touching the database in the common case.

The state of one attempt is what the poll shows: its status, deadline and cutoff
(fixed when the attempt starts), the last accepted save's sequence number, and
whose it is: the owner's id and session hash (the one Django keeps in the
session), so the poll can check the caller without loading the user. It is
written by the views that have loaded the attempt anyway (a save, a poll that
missed), and dropped after the commit that closes the attempt (a submit, the
sweep, a late submit that closes it at the deadline). Whatever is missing or
does not match falls back to the database path, which answers exactly as before.

When a person's account changes in a way that can end their sessions (a new
password, deactivation), the states of their open attempts are dropped, so the
next poll goes through the database path and its sign-in checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.db import transaction

from .models import AttemptStatus

TTL = 300


def _key(public_id) -> str:
    return f"exams:live:{public_id}"


@dataclass(frozen=True)
class LiveState:
    user_id: int
    session_hash: str
    status: str
    deadline: float
    cutoff: float
    seq: int

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
    """Keep ``attempt``'s state for the poll (only while it is open)."""
    if attempt.status != AttemptStatus.IN_PROGRESS or not session_hash:
        return
    cache.set(
        _key(attempt.public_id),
        (
            attempt.user_id,
            session_hash,
            attempt.status,
            attempt.deadline.timestamp(),
            attempt.cutoff.timestamp(),
            attempt.last_save_sequence if seq is None else seq,
        ),
        TTL,
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
