"""A generation number kept in the shared cache: whatever was kept under an
older number is out of date.

A number the cache lost (evicted, or the cache restarted) starts again from the
clock, in microseconds: above any number it held before, so that nothing kept
under an old number is ever read again as current."""

from __future__ import annotations

import time

from django.core.cache import cache


def _fresh() -> int:
    return time.time_ns() // 1000


def generation(key: str) -> int:
    number = cache.get(key)
    if number is None:
        cache.add(key, _fresh(), None)
        number = cache.get(key)
    return number if number is not None else _fresh()


def advance_generation(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, _fresh(), None)
