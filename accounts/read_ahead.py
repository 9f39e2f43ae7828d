"""Reading ahead what a signed-in person's page will read from the cache: two
reads at the start of the request instead of one for each part as the page is
made (a dashboard made eighteen, each a round trip it waited for).

Each app registers what its parts read for a person (:func:`register`): the
generation numbers their copies are kept under, and the keys of those copies,
built from the numbers. :func:`read_ahead` reads every number in one read
(remembered for the request, as :func:`~accounts.generations.generations`
does), with the session's own data when it lives in the cache and was not
loaded yet (:func:`read_with_session`), and then every copy, and whatever else
the caller names, in a second.
Each part still asks for its copy as before and gets it from what was read
ahead, once (:func:`~accounts.generations.kept_entry`); what was not kept is
made and kept as before. Nothing is decided by what is read ahead that the
part would not have read itself: the same keys, a few milliseconds earlier.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache

from .generations import read_along, remember_numbers, start_numbers

# Which pages read a part: every signed-in page's frame (the header's roles
# and unread count), the pages that show courses (the learner's enrollments),
# and the dashboard (certificates, assigned training, the paths). A page reads
# ahead only what it shows: every copy read is unpickled, used or not.
FRAME, COURSES, DASHBOARD = "frame", "courses", "dashboard"

# Each: (the pages, the numbers a person's part is kept under).
_NUMBERS: list[tuple[frozenset[str], Callable[[int], Iterable[str]]]] = []
# Each: (the pages, the keys of the person's kept copies once the numbers are
# known; None for a copy that would not be read).
_ENTRIES: list[tuple[frozenset[str], Callable[[int], Iterable[str | None]]]] = []


def register(
    *,
    on: Iterable[str],
    numbers: Callable[[int], Iterable[str]] | None = None,
    entries: Callable[[int], Iterable[str | None]] | None = None,
) -> None:
    """What the pages ``on`` (:data:`FRAME`, :data:`COURSES`, :data:`DASHBOARD`)
    read for the person whose id they are given."""
    pages = frozenset(on)
    for registry, each in ((_NUMBERS, numbers), (_ENTRIES, entries)):
        if each is not None and (pages, each) not in registry:
            registry.append((pages, each))


def read_ahead(
    person_id: int | None,
    *,
    on: Iterable[str] = (),
    numbers: Iterable[str] = (),
    also: Callable[[], Iterable[str]] | None = None,
    session=None,
) -> None:
    """Read ``numbers`` and the numbers registered for the pages ``on`` for
    ``person_id`` (none when None) in one cache read, with ``session``'s data
    (:func:`read_with_session`); then those pages' registered copies of
    ``person_id`` and the keys ``also`` names (it is called once the numbers
    are known) in another. Inside a request only; the cache being down is left
    for each part to meet as it does without this."""
    pages = frozenset(on)
    try:
        names = list(numbers)
        if person_id is not None:
            names.extend(_registered(_NUMBERS, pages, person_id))
        names = list(dict.fromkeys(names))
        found = read_with_session(session, names)
        remember_numbers(found)
        start_numbers([name for name in names if name not in found])
        keys = []
        if person_id is not None:
            keys.extend(key for key in _registered(_ENTRIES, pages, person_id) if key)
        if also is not None:
            keys.extend(also())
        read_along(list(dict.fromkeys(keys)))
    except Exception:  # noqa: BLE001 - an aid: each part reads for itself
        return


def _registered(registry, pages: frozenset[str], person_id: int) -> list:
    return [
        item
        for wanted_on, each in registry
        if wanted_on & pages
        for item in each(person_id)
    ]


def read_ahead_signed_in(
    request,
    *,
    on: Iterable[str],
    numbers: Iterable[str] = (),
    also: Callable[[], Iterable[str]] | None = None,
) -> None:
    """:func:`read_ahead` for the person signed in on ``request``, with their
    session. Not for a visitor without a session (their session is never
    loaded here), nor for a change (it may change what it reads). The session
    is read with the numbers once this process knows whose it is (signing in
    gives a new key). A session that no longer names that person (signed out,
    ended) is forgotten; whatever is read ahead for a person is only a choice
    of keys, each named by its person, and the request's own sign-in check
    decides who it serves, so a session that still names a deactivated
    person reads ahead what nobody is then shown."""
    if request.method not in ("GET", "HEAD"):
        return
    cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not cookie:
        return
    person_id = _PERSON_OF_SESSION.get(cookie)
    if person_id is None:
        # Not seen by this process: the session is read first, on its own.
        person_id = _person_of(request.session)
        if person_id is None:
            return
    read_ahead(person_id, on=on, numbers=numbers, also=also, session=request.session)
    if _person_of(request.session) == person_id:
        _PERSON_OF_SESSION.remember(cookie, person_id)
    else:
        _PERSON_OF_SESSION.forget(cookie)


class ProcessMemo:
    """Facts this process saw that do not change (whose a session is, whose an
    attempt is), to choose what to read with what: a wrong or missing entry may
    cost a read, never decide anything. Emptied when it grows past ``bound``."""

    def __init__(self, bound: int = 50_000) -> None:
        self.bound = bound
        self._seen: dict = {}

    def get(self, key):
        return self._seen.get(key)

    def remember(self, key, value) -> None:
        if len(self._seen) >= self.bound:
            self._seen.clear()
        self._seen[key] = value

    def forget(self, key) -> None:
        self._seen.pop(key, None)

    def clear(self) -> None:
        self._seen.clear()


# Whose each session is, as this process saw it: which person's copies to read
# with the session's data.
_PERSON_OF_SESSION = ProcessMemo()


def _person_of(session) -> int | None:
    try:
        return int(session.get(SESSION_KEY))
    except (TypeError, ValueError):
        return None


def read_with_session(session, keys: list[str]) -> dict:
    """The cache's entries ``keys`` (those it holds), in one read that also
    reads ``session``'s data when it lives in this cache (Django's cache and
    cached_db sessions in the default cache) and was not loaded yet: the
    session is given it as Django's own load would (a session the cache does
    not hold is loaded as Django loads it, when first asked)."""
    session_key = _session_cache_key(session)
    if session_key is None:
        return cache.get_many(keys) if keys else {}
    try:
        found = cache.get_many([*keys, session_key])
    except Exception:  # noqa: BLE001 - a cookie the cache refuses as a key
        # (Django's own load reads such a session as empty): without it.
        return cache.get_many(keys) if keys else {}
    data = found.pop(session_key, None)
    if isinstance(data, dict):
        # What SessionBase._get_session keeps of load(); the session is then
        # as loaded (``accessed`` is set when the data is first asked for).
        session._session_cache = data
    return found


def _session_cache_key(session) -> str | None:
    if (
        session is None
        or settings.SESSION_CACHE_ALIAS != "default"
        or not hasattr(session, "cache_key_prefix")
        or session.session_key is None
        or hasattr(session, "_session_cache")
    ):
        return None
    return session.cache_key
