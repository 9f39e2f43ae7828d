"""The content version: one number that advances whenever any page is saved,
published, unpublished, moved or deleted, and when a page's privacy, a site or an
image changes (the platform connects those events to :func:`content_changed`).
Anything kept in the cache that was made from pages is keyed by it, so it is out
of date the moment the content is: the visitors' pages, Wagtail's routes with
the pages' privacy rules, and the parts of courses and paths that are the same
for every learner (:func:`kept`, :func:`kept_per_id`, :func:`kept_per_object`:
the catalog's order, each course's card facts and lessons, each path's steps,
the rendered heads of course cards).

Each process also holds the parts it read or made under the newest version it
saw (:data:`HELD`, an ``accounts.api.HeldUnderNumber``), for a minute at most:
a part is the same under one version wherever it is read, so a page asks the
cache only for what this process does not hold (the catalog's and the
dashboard's courses are read, and unpickled, once a minute instead of on every
request). What is held is shared
by every request of the process: a caller reads a part, never changes it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache

from accounts.api import HeldUnderNumber, forget, generation, keep, kept_entry

VERSION_KEY = "visitor-pages:version"
# What is kept under a version is also dropped by any change to a page; this
# bounds how long an unused copy holds memory.
KEPT_TTL = 600

# How long this process holds a part: a change whose number could not be
# advanced (the cache was down just then) is seen within this, plus
# ``KEPT_TTL`` for the cache's own copy.
HELD_FOR = 60

Part = TypeVar("Part")


HELD = HeldUnderNumber(bound=20_000, held_for=HELD_FOR)


def content_version() -> int:
    return generation(VERSION_KEY)


def content_changed(**kwargs) -> None:
    """Everything kept from pages is out of date: a page was saved (a new child,
    a draft or a publish), published, unpublished, moved or deleted.

    The number advances at once and again when the change commits: a request
    that read the pages as they were before the commit, and kept what it made
    under the first new number, is never read after it (its copy would have
    shown the old content until it expired). The transaction that made the
    change keeps nothing under it that :func:`accounts.api.kept_under` keeps."""
    forget(VERSION_KEY)


def key_under_version(name: str, version: int | None = None) -> str:
    """Where :func:`kept` keeps ``name`` under the content version."""
    return f"{name}:{content_version() if version is None else version}"


def kept(name: str, make: Callable[[], Part], *, version: int | None = None) -> Part:
    """What ``make`` makes, kept in the cache under the content version (or the
    ``version`` read already) as ``name``: one cache read; ``make`` runs when it
    is not kept. ``name`` must come from a fixed set, never from what a request
    sends."""
    if version is None:
        version = content_version()
    key = key_under_version(name, version)
    part = HELD.get(version, key)
    if part is None:
        part = kept_entry(key)
        if part is None:
            part = make()
            keep(key, part, KEPT_TTL)
        HELD.hold(version, {key: part})
    return part


def is_held(key: str) -> bool:
    """Whether this process holds the part ``key`` under the current content
    version (no need to read it from the cache)."""
    return HELD.get(content_version(), key) is not None


def kept_per_id(
    name: str,
    ids: Iterable[int],
    make: Callable[[list[int]], dict[int, Part]],
    *,
    version: int | None = None,
) -> dict[int, Part]:
    """What ``make`` makes of each of ``ids``, kept in the cache under the content
    version (or the ``version`` read already): one cache read for all of them,
    and one call of ``make`` with those not kept (it returns their parts by id, in
    a fixed number of queries however many there are; an id it cannot find is
    left out). Parts read with one ``version`` are all of the same content."""
    if version is None:
        version = content_version()
    keys = {pk: f"{name}:{version}:{pk}" for pk in ids}
    parts = {}
    for pk, key in keys.items():
        part = HELD.get(version, key)
        if part is not None:
            parts[pk] = part
    unheld = {pk: key for pk, key in keys.items() if pk not in parts}
    if not unheld:
        return parts
    kept_parts = cache.get_many(list(unheld.values()))
    read = {pk: kept_parts[key] for pk, key in unheld.items() if key in kept_parts}
    missing = [pk for pk in unheld if pk not in read]
    if missing:
        made = make(missing)
        for pk, part in made.items():
            keep(keys[pk], part, KEPT_TTL)
        read.update(made)
    HELD.hold(version, {keys[pk]: part for pk, part in read.items()})
    parts.update(read)
    return parts


def kept_per_object(
    name: str, objects: Iterable, make: Callable[[list], dict[int, Part]]
) -> dict[int, Part]:
    """:func:`kept_per_id` for objects with a ``pk``: ``make`` is given the
    objects not kept."""
    by_pk = {obj.pk: obj for obj in objects}
    return kept_per_id(name, by_pk, lambda pks: make([by_pk[pk] for pk in pks]))
