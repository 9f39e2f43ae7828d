"""A generation number kept in the shared cache: whatever was kept under an
older number is out of date. Reading starts it at 1; advancing it works even
after the cache lost it (it starts again above 1)."""

from __future__ import annotations

from django.core.cache import cache


def generation(key: str) -> int:
    number = cache.get(key)
    if number is None:
        cache.add(key, 1, None)
        number = cache.get(key, 1)
    return number


def advance_generation(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, 2, None)
