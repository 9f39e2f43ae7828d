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
password, deactivation, erasure), their token is dropped, at once and again at
the commit. A state is kept under the token read before the person is checked
in the database, so every state kept before the change, or by a request that
checked the person before it committed, stops matching, and the next poll or
save goes through the database path and its sign-in checks. The token's name
carries a digest of the signing key, so a new ``SECRET_KEY`` does the same
(sessions signed with a key in ``SECRET_KEY_FALLBACKS`` are checked again on
the database path, as Django checks them).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import astuple, dataclass, replace
from datetime import datetime

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import constant_time_compare

from accounts.api import ProcessMemo, read_person, read_with_session, write_together

from .models import AttemptStatus, page_positions

logger = logging.getLogger(__name__)

TTL = 300
# A person's token lives this long from when it is made; a missing one is made
# again (and every state kept under the old one stops answering).
PERSON_TTL = 24 * 3600


def _key(public_id) -> str:
    return f"exams:live:3:{public_id}"


def _page_key(public_id, page: int) -> str:
    return f"exams:page:1:{public_id}:{page}"


def _closed_key(public_id) -> str:
    return f"exams:closed:{public_id}"


def _person_key(user_id) -> str:
    # The signing key is part of the name: a new SECRET_KEY, which ends every
    # session, leaves every kept state without its person's token.
    signer = hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest()[:12]
    return f"exams:person:{signer}:{user_id}"


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
    # The person's token when the state was kept (see ``person_token``).
    person_token: str

    def remaining_seconds(self, now: datetime) -> int:
        return max(0, int(self.deadline - now.timestamp()))

    def as_poll(self, now: datetime) -> dict:
        """The poll's answer, the same fields and meaning as from the database."""
        at = now.timestamp()
        is_open = self.status == AttemptStatus.IN_PROGRESS
        return {
            "status": self.status,
            "remaining_seconds": self.remaining_seconds(now),
            "accepts_answers": is_open and at <= self.cutoff,
            "server_time": now.isoformat(),
            "seq": self.seq,
        }


def person_token(session) -> str | None:
    """The token of the person signed in on ``session``, to keep a state under
    (see ``remember``): a change that may end their sessions drops it
    (``forget_person``). None when nobody is signed in."""
    user_id = session.get(SESSION_KEY)
    if user_id is None:
        return None
    key = _person_key(user_id)
    token = cache.get(key)
    if token is None:
        cache.add(key, secrets.token_hex(8), PERSON_TTL)
        token = cache.get(key)
    return token


def remember(
    attempt, *, session, seq: int | None = None, page: tuple[int, list] | None = None
) -> None:
    """Keep ``attempt``'s state for the poll and the save (only while it is open
    and its person may still be signed in on ``session``), and with it the
    ``page`` (number, served questions) a save read, in the same round trip.

    The person's token is read first, then whether they are active and the
    session's hash is theirs, from the database (one query: whatever loaded the
    person earlier in the request may have read them before a change
    committed). A change committed before that read is seen; one committed after
    it drops the token read before it, so the state kept here never matches.
    """
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return
    token = person_token(session)
    if token is None:
        return
    session_hash = _session_hash_now(attempt.user_id, session)
    if session_hash is None:
        return
    _remember_owner(attempt.public_id, attempt.user_id)
    state = LiveState(
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
        person_token=token,
    )
    _keep(attempt.public_id, state, page)


def _session_hash_now(user_id, session) -> str | None:
    """``user_id``'s session hash as the database has it now, if they are active
    and it is the one ``session`` carries; None otherwise."""
    person = read_person(user_id)
    if person is None or not person.is_active:
        return None
    session_hash = person.get_session_auth_hash()
    if not constant_time_compare(session_hash, session.get(HASH_SESSION_KEY) or ""):
        return None
    return session_hash


def remember_save(
    state: LiveState, public_id, *, seq: int, page: tuple[int, list] | None = None
) -> None:
    """Keep ``state`` with a newer accepted save's sequence number, and the
    ``page`` (number, questions) the save read from the database, if it did:
    one round trip for both."""
    _keep(public_id, replace(state, seq=seq), page)


def _keep(public_id, state: LiveState, page: tuple[int, list] | None) -> None:
    """Keep ``state``, and the ``page`` (number, served questions) if given,
    in one round trip."""
    writes = [("set", _key(public_id), astuple(state), TTL)]
    if page is not None:
        writes.append(("set", *_page_entry(public_id, *page, cutoff=state.cutoff)))
    write_together(writes)


@dataclass(frozen=True)
class PageQuestion:
    """What a save needs of a served question: where it is and what it takes."""

    position: int
    qtype: str
    public: dict
    # Before the save: a kept page carries no answer and no hand-in.
    response: None = None
    files: tuple = ()


def page_questions(
    state: LiveState, public_id, page: int, read_along: dict | None = None
) -> tuple[list[PageQuestion], bool]:
    """The questions on ``page`` of the attempt, as served (never the key), and
    whether they were read from the database just now (then the save keeps
    them: ``remember_save(page=...)``).

    They never change once the attempt starts (its questions and its pages are
    fixed then), so they are kept until the attempt's cutoff: kept by the save
    that read them from the database, or read here (one query, of this page's
    questions only). ``read_along`` holds the pages :func:`read` looked for
    (None for one not kept).
    """
    if read_along is not None and page in read_along:
        kept = read_along[page]
    else:
        kept = _page_rows(cache.get(_page_key(public_id, page)))
    if kept is not None:
        return kept, False
    from .models import AttemptPaper

    positions = page_positions(state.per_page, page)
    questions = [
        PageQuestion(q.position, q.qtype, q.snapshot["public"])
        for q in AttemptPaper.questions_of(state.attempt_id, positions)
    ]
    return questions, True


def _page_entry(public_id, page: int, questions, *, cutoff: float) -> tuple:
    """(key, value, seconds to keep it) of a page's served questions."""
    return (
        _page_key(public_id, page),
        [(q.position, q.qtype, q.public) for q in questions],
        max(60, int(cutoff - time.time()) + 60),
    )


def forget_on_commit(attempt) -> None:
    """Drop ``attempt``'s state once the transaction that closes it commits, and
    mark it closed for as long as a state lives: a save accepted just before the
    close, which keeps its state after it, is never taken for an open attempt."""
    public_id = attempt.public_id

    def forget():
        cache.set(_closed_key(public_id), True, TTL)
        cache.delete(_key(public_id))

    transaction.on_commit(forget)


def for_session(session, public_id) -> LiveState | None:
    """The state of ``public_id`` if it is kept and belongs to the person signed
    in on ``session`` (see :func:`read`); None otherwise."""
    return read(session, public_id)[0]


def read(
    session, public_id, *, page: int | None = None
) -> tuple[LiveState | None, dict[int, list[PageQuestion] | None]]:
    """The state of ``public_id`` if it is kept and belongs to the person signed
    in on ``session`` (same id, same session hash, the person's token still the
    one it was kept under) and not closed since, else None; and the pages read
    along with it for :func:`page_questions`: ``page``'s kept questions, or
    None when they are not kept.

    One read of the cache in the common case: the session's own data (when the
    session lives in this cache and was not loaded yet), the state, its closed
    mark, the owner's token (the owner of an attempt never changes, so this
    process remembers it from the attempt's last request) and the page, all at
    once. A session not in the cache is loaded as Django loads it; an owner this
    process has not seen costs a second read for the token."""
    key, closed = _key(public_id), _closed_key(public_id)
    keys = [key, closed]
    owner = _OWNERS.get(str(public_id))
    if owner is not None:
        keys.append(_person_key(owner))
    if page is not None:
        keys.append(_page_key(public_id, page))
    kept = read_with_session(session, keys)
    questions = {page: _page_rows(kept.get(keys[-1]))} if page is not None else {}
    user_id = session.get(SESSION_KEY)
    if user_id is None or closed in kept:
        return None, questions
    try:
        state = LiveState(*kept[key])
    except (KeyError, TypeError):
        return None, questions  # not kept, or not in the shape this code keeps
    if str(state.user_id) != str(user_id):
        return None, questions
    if state.session_hash != session.get(HASH_SESSION_KEY):
        return None, questions
    if owner == state.user_id:
        token = kept.get(_person_key(owner))
    else:
        token = cache.get(_person_key(state.user_id))
        _remember_owner(public_id, state.user_id)
    if state.person_token != token:
        return None, questions
    return state, questions


# Whose each attempt is, as this process saw it (it never changes): which
# person's token to read with the state. A wrong or missing entry costs a
# second read, never a wrong answer (the state names its owner, and the token
# read must be that owner's).
_OWNERS = ProcessMemo()


def _remember_owner(public_id, user_id: int) -> None:
    _OWNERS.remember(str(public_id), user_id)


def _page_rows(kept) -> list[PageQuestion] | None:
    if kept is None:
        return None
    try:
        return [PageQuestion(*row) for row in kept]
    except TypeError:
        return None  # not what this code keeps: read it again


def forget_person(user_id: int) -> None:
    """Every kept state of ``user_id`` stops answering (their sessions may have
    ended: a new password, deactivated, erased): their token is dropped now and
    again when the change commits, so no request that read the person before
    the change keeps a state that matches."""
    key = _person_key(user_id)
    try:
        cache.delete(key)
    except Exception:  # noqa: BLE001 - the change itself must not fail with the cache
        logger.warning("could not drop the exam token of person %s now", user_id)
    transaction.on_commit(lambda: cache.delete(key), robust=True)


# A save that touches only these cannot end a session.
HARMLESS_FIELDS = frozenset({"last_login", "updated_at"})


def on_person_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields and set(update_fields) <= HARMLESS_FIELDS):
        return
    forget_person(instance.pk)
