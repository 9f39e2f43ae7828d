"""The content version: one number that advances whenever any page is saved,
published, unpublished, moved or deleted (the platform connects those events to
:func:`content_changed`). Anything kept in the cache that was made from pages is
keyed by it, so it is out of date the moment the content is: the visitors' pages,
and the parts of a course that are the same for every learner."""

from __future__ import annotations

from django.core.cache import cache

VERSION_KEY = "visitor-pages:version"


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return version


def content_changed(**kwargs) -> None:
    """Everything kept from pages is out of date: a page was saved (a new child,
    a draft or a publish), published, unpublished, moved or deleted."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, None)
