"""The content version: one number that advances whenever any page is saved,
published, unpublished, moved or deleted (the platform connects those events to
:func:`content_changed`). Anything kept in the cache that was made from pages is
keyed by it, so it is out of date the moment the content is: the visitors' pages,
and the parts of a course that are the same for every learner."""

from __future__ import annotations

from accounts.api import advance_generation, generation

VERSION_KEY = "visitor-pages:version"


def content_version() -> int:
    return generation(VERSION_KEY)


def content_changed(**kwargs) -> None:
    """Everything kept from pages is out of date: a page was saved (a new child,
    a draft or a publish), published, unpublished, moved or deleted."""
    advance_generation(VERSION_KEY)
