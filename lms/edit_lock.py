"""One save at a time per edited object in the admin's editors.

Wagtail's editor autosaves a few hundred milliseconds after each change, so an
author pressing Publish often has an autosave in flight. For a page that has
never been published, Wagtail's save writes the whole page row (the draft *is*
the row), as the request loaded it. An autosave that loaded the page before a
concurrent Publish committed therefore writes the page back as unpublished, with
its older draft: the author saw "published", learners never get it. Found by the
course-outline browser journey on PostgreSQL, about one run in three.

Serialising the two requests closes it. Each POST to a page or snippet editor
takes a transaction-scoped advisory lock named after the object before the view
loads it. The second request then loads what the first committed; an autosave
that finds a newer version is refused by Wagtail ("Saving will overwrite a newer
version") instead of overwriting it. Other requests, and databases without
advisory locks (SQLite serialises writes itself), are left alone.
"""

from __future__ import annotations

import zlib

from django.db import connection, transaction

LOCKED_VIEWS = ("wagtailadmin_pages:edit",)
LOCKED_SNIPPET_PREFIX = "wagtailsnippets_"
LOCK_NAMESPACE = 7_301  # this application's advisory locks (two-key form)


def lock_name(request) -> str | None:
    """The object a POST edits (``view:pk``), or None for anything else."""
    match = request.resolver_match
    if request.method != "POST" or match is None:
        return None
    view = match.view_name
    if view in LOCKED_VIEWS or (
        view.startswith(LOCKED_SNIPPET_PREFIX) and view.endswith(":edit")
    ):
        pk = match.kwargs.get("page_id") or match.kwargs.get("pk")
        if pk is None and match.args:
            pk = match.args[0]
        if pk is not None:
            return f"{view}:{pk}"
    return None


def hold(name: str) -> None:
    """Wait for, then hold until the transaction ends, the lock on ``name``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            [LOCK_NAMESPACE, zlib.crc32(name.encode()) - 2**31],
        )


class SerialisedEditsMiddleware:
    """Last in the list: every other middleware's view step (the CSRF check
    among them) has run when this one calls the view under the lock."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = lock_name(request)
        if name is None or connection.vendor != "postgresql":
            return None
        with transaction.atomic():
            hold(name)
            return view_func(request, *view_args, **view_kwargs)
