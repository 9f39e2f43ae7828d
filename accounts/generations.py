"""A generation number kept in the shared cache: whatever was kept under an
older number is out of date.

A number the cache lost (evicted, or the cache restarted) starts again from the
clock, in microseconds: above any number it held before, so that nothing kept
under an old number is ever read again as current.

A change made in a transaction forgets (:func:`forget`) at once and again when the
transaction commits: a copy another process read before that commit, and kept
under the first new number, is kept under a number nobody reads any more. Until
then, the transaction that made the change keeps nothing under that number
(:func:`may_keep`): what it reads may still be rolled back.

Within one request (:class:`GenerationsPerRequest`), each number is read from
the cache once and remembered: a page that asks for the content version six
times reads it once, and all it shows is of one version. A change the request
makes itself (:func:`forget`) drops the remembered number. Outside a request
(a task, a command, the warm-up between its pages) every call reads the cache.
A request may also read ahead the entries it will ask for
(:mod:`accounts.read_ahead`): :func:`kept_entry` gives each once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import partial
from typing import TypeVar

from django.core.cache import cache
from django.db import connection, transaction

logger = logging.getLogger(__name__)

Kept = TypeVar("Kept")

# The keys this thread changed in the transaction it is in (its outermost block).
_changing = threading.local()


# The numbers this thread read in the request it is serving (None outside one).
_request = threading.local()


def _fresh() -> int:
    return time.time_ns() // 1000


def _remembered() -> dict[str, int] | None:
    return getattr(_request, "numbers", None)


@contextmanager
def remembered_per_request():
    """Each number read once in the block (a request; nested requests, as the
    warm-up makes, remember their own numbers and entries read ahead)."""
    outer = (
        _remembered(),
        getattr(_request, "ahead", None),
        getattr(_request, "pending", None),
    )
    _request.numbers, _request.ahead, _request.pending = {}, {}, {}
    try:
        yield
    finally:
        pending = _request.pending
        _request.numbers, _request.ahead, _request.pending = outer
        _keep_now(pending)


def remember_numbers(numbers: dict[str, int]) -> None:
    """Numbers read by the caller's own cache read (with others), remembered
    for the request as :func:`generations` remembers what it reads."""
    remembered = _remembered()
    if remembered is not None:
        remembered.update(numbers)


def read_along(keys: list[str]) -> None:
    """Read the cache entries ``keys`` now, in one read, for :func:`kept_entry`
    to give later in this request (nothing outside a request)."""
    ahead = getattr(_request, "ahead", None)
    if ahead is None or not keys:
        return
    found = cache.get_many(keys)
    for key in keys:
        ahead[key] = found.get(key)


def drop_entry(key: str) -> None:
    """The cache's entry ``key`` is out of date: deleted, and not given from
    what this request read ahead."""
    ahead = getattr(_request, "ahead", None)
    if ahead is not None:
        ahead.pop(key, None)
    cache.delete(key)


def kept_entry(key: str):
    """The cache's entry ``key`` (None when not kept): as read ahead in this
    request, once (a second ask reads the cache, which the request may have
    filled since), or as this request kept it (:func:`keep`), else from the
    cache."""
    ahead = getattr(_request, "ahead", None)
    if ahead is not None and key in ahead:
        return ahead.pop(key)
    pending = getattr(_request, "pending", None)
    if pending and key in pending:
        return pending[key][0]
    return cache.get(key)


def keep(key: str, value, timeout: int) -> None:
    """Keep ``value`` in the cache as ``key``, a key that names the generation
    numbers it was read under: in a request, with the request's other copies in
    one write when it ends (a person's first page keeps five or six); outside
    one, now. A copy kept late is kept under numbers that a change made
    meanwhile has left behind, so it is never read as current; a key that does
    not name its numbers must not be kept this way (a delete made meanwhile
    would be undone)."""
    pending = getattr(_request, "pending", None)
    if pending is None:
        cache.set(key, value, timeout)
    else:
        pending[key] = (value, timeout)


def _keep_now(pending: dict[str, tuple]) -> None:
    if not pending:
        return
    try:
        write_together(
            ("set", key, value, timeout) for key, (value, timeout) in pending.items()
        )
    except Exception:  # noqa: BLE001 - an aid: each is read anew next time
        logger.warning("cache unavailable: %d copies not kept", len(pending))


def write_together(writes: Iterable[tuple[str, str, object, int | None]]) -> None:
    """Cache writes (``"set"`` or ``"add"``, key, value, timeout in seconds or
    None) in one round trip on django-redis (a pipeline), one by one on the
    other caches."""
    client = getattr(cache, "client", None)
    if hasattr(client, "get_client"):
        pipeline = client.get_client(write=True).pipeline(transaction=False)
        for method, key, value, timeout in writes:
            getattr(client, method)(key, value, timeout, client=pipeline)
        pipeline.execute()
    else:
        for method, key, value, timeout in writes:
            getattr(cache, method)(key, value, timeout)


class GenerationsPerRequest:
    """Middleware: each generation number is read once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with remembered_per_request():
            return self.get_response(request)


def generation(key: str) -> int:
    remembered = _remembered()
    if remembered is not None and key in remembered:
        return remembered[key]
    number = cache.get(key)
    if number is None:
        return start_numbers([key])[key]
    if remembered is not None:
        remembered[key] = number
    return number


def generations(keys: Iterable[str]) -> dict[str, int]:
    """:func:`generation` of several keys, in one cache read when all are held
    (and in three when some are not: :func:`start_numbers`)."""
    keys = list(keys)
    remembered = _remembered()
    numbers = {key: remembered[key] for key in keys if key in (remembered or ())}
    missing = [key for key in keys if key not in numbers]
    if missing:
        found = cache.get_many(missing)
        remember_numbers(found)
        numbers.update(found)
        numbers.update(start_numbers([key for key in missing if key not in found]))
    return numbers


def start_numbers(keys: list[str]) -> dict[str, int]:
    """The numbers ``keys``, which the cache did not hold when read: each
    started from the clock unless another process started it first, then read
    back (remembered for the request). On Redis the starts go out together,
    so a person's first page starts all their numbers in two round trips, not
    three for each. A number the cache cannot give (it is down) is one nothing
    was kept under, and is not remembered."""
    if not keys:
        return {}
    fresh = _fresh()
    write_together(("add", key, fresh, None) for key in keys)
    found = cache.get_many(keys)
    remember_numbers(found)
    return {key: found.get(key) or _fresh() for key in keys}


def advance_generation(key: str) -> None:
    remembered = _remembered()
    if remembered is not None:
        remembered.pop(key, None)
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, _fresh(), None)


def forget(key: str) -> None:
    """Whatever was kept under ``key``'s generation is out of date: it advances
    now and again when the transaction commits."""
    if connection.in_atomic_block:
        block = connection.atomic_blocks[0]
        if getattr(_changing, "block", None) is not block:
            _changing.block, _changing.keys = block, set()
        _changing.keys.add(key)
    _advance(key)
    transaction.on_commit(partial(_committed, key), robust=True)


def may_keep(key: str) -> bool:
    """Whether what this thread reads may be kept under ``key``'s generation: not
    while the transaction it is in changed it (a transaction that ended does not
    count)."""
    return not (
        connection.in_atomic_block
        and getattr(_changing, "block", None) is connection.atomic_blocks[0]
        and key in _changing.keys
    )


def _committed(key: str) -> None:
    keys = getattr(_changing, "keys", None)
    if keys is not None:
        keys.discard(key)
    _advance(key)


def _advance(key: str) -> None:
    try:
        advance_generation(key)
    except Exception:  # noqa: BLE001 - what was kept expires on its own
        logger.warning("cache unavailable: %s not advanced", key)


def kept_key(name: str, generation_keys: list[str]) -> str:
    """Where :func:`kept_under` keeps ``name`` under the numbers' current values."""
    numbers = generations(generation_keys)
    return ":".join([name, *(str(numbers[k]) for k in generation_keys)])


def kept_under(
    name: str, generation_keys: list[str], read: Callable[[], Kept], *, timeout: int
) -> Kept:
    """What ``read`` returns (never None), kept in the cache as ``name`` under the
    current generations of ``generation_keys``: one cache read for the numbers,
    one for the copy. The transaction this thread is in, if it changed one of
    them (:func:`may_keep`), reads anew and keeps nothing: another process may
    have kept what it saw before this change under the new number. Read anew
    when the cache is down. ``name`` must come from a fixed set, never from what
    a request sends."""
    if not all(may_keep(k) for k in generation_keys):
        return read()
    try:
        key = kept_key(name, generation_keys)
        value = kept_entry(key)
    except Exception:  # noqa: BLE001 - the cache is an aid: read anew
        logger.warning("cache unavailable: %s read anew", name)
        return read()
    if value is None:
        value = read()
        try:
            keep(key, value, timeout)
        except Exception:  # noqa: BLE001
            logger.warning("cache unavailable: %s not kept", name)
    return value
