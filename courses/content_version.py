"""The content version: one number that advances whenever any page is saved,
published, unpublished, moved or deleted (the platform connects those events to
:func:`content_changed`). Anything kept in the cache that was made from pages is
keyed by it, so it is out of date the moment the content is: the visitors' pages,
and the parts of a course that are the same for every learner."""

from __future__ import annotations

from django.db import transaction

from accounts.api import advance_generation, generation

VERSION_KEY = "visitor-pages:version"


def content_version() -> int:
    return generation(VERSION_KEY)


def content_changed(**kwargs) -> None:
    """Everything kept from pages is out of date: a page was saved (a new child,
    a draft or a publish), published, unpublished, moved or deleted.

    The number advances at once and again when the change commits: a request
    that read the pages as they were before the commit, and kept what it made
    under the first new number, is never read after it (its copy would have
    shown the old content until it expired)."""
    advance_generation(VERSION_KEY)
    transaction.on_commit(lambda: advance_generation(VERSION_KEY), robust=True)
