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

The lock cannot help a form that was already in flight. When an autosave saves
a page that is not live (or a draft snippet), Wagtail writes the new inline rows
(an exam's sections, a bank's questions) and answers with their ids for the
browser to put in the form. A Publish pressed while that autosave was running
posts the form without those ids, and Wagtail would add the rows a second time:
the outline journey found an exam with its one section twice. So before the view
runs, a form posted against an older revision, when the newer one is the same
author's, is given the ids of the rows that revision added, in order, as the
autosave's answer would have (``adopt_autosaved_rows``).
"""

from __future__ import annotations

import zlib

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from modelcluster.models import get_all_child_relations
from wagtail.models import Page

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
        pk = _edited_pk(match)
        if pk is not None:
            return f"{view}:{pk}"
    return None


def _edited_pk(match):
    """The edited object's key in an editor's URL."""
    pk = match.kwargs.get("page_id") or match.kwargs.get("pk")
    if pk is None and match.args:
        pk = match.args[0]
    return pk


def hold(name: str) -> None:
    """Wait for, then hold until the transaction ends, the lock on ``name``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            [LOCK_NAMESPACE, zlib.crc32(name.encode()) - 2**31],
        )


def edited_object(request):
    """The page or snippet row a POST to its editor edits (None when there is
    none, or the editor keeps no revisions); its latest revision has the rest."""
    match = request.resolver_match
    if match.view_name in LOCKED_VIEWS:
        model = Page
    else:
        model = getattr(match.func, "view_initkwargs", {}).get("model")
    pk = _edited_pk(match)
    if model is None or pk is None or not hasattr(model, "latest_revision"):
        return None
    try:
        return model.objects.filter(pk=pk).first()
    except (ValueError, ValidationError):
        return None


def adopt_autosaved_rows(request) -> bool:
    """Give a stale form the ids of the inline rows its author's autosave wrote.

    Only when the form was loaded from an older revision than the latest, that
    latest revision is the requester's own, and the rows the form leaves unnamed
    are exactly as many as its forms without an id (anything else is left to
    Wagtail as it is). Returns whether the posted form was changed.
    """
    post = request.POST
    loaded = post.get("loaded_revision_id")
    if not loaded or not request.user.is_authenticated:
        return False
    edited = edited_object(request)
    latest = edited.latest_revision if edited is not None else None
    if (
        latest is None
        or str(latest.pk) in (loaded, post.get("overwrite_revision_id"))
        or latest.user_id != request.user.pk
    ):
        return False
    draft = latest.as_object()
    data = post.copy()
    for relation in get_all_child_relations(draft):
        prefix = relation.get_accessor_name()
        try:
            total = int(post.get(f"{prefix}-TOTAL_FORMS", ""))
        except ValueError:
            continue
        total = min(max(total, 0), 1000)
        named = {post.get(f"{prefix}-{i}-id", "") for i in range(total)}
        unnamed = sorted(
            row.pk
            for row in getattr(draft, prefix).all()
            if row.pk is not None and str(row.pk) not in named
        )
        idless = [
            i
            for i in range(total)
            if not post.get(f"{prefix}-{i}-id") and not post.get(f"{prefix}-{i}-DELETE")
        ]
        if not unnamed or len(unnamed) != len(idless):
            continue
        for index, pk in zip(idless, unnamed, strict=True):
            data[f"{prefix}-{index}-id"] = str(pk)
        data[f"{prefix}-INITIAL_FORMS"] = str(total)
    if data == post:
        return False
    data._mutable = False
    request.POST = data
    return True


class SerialisedEditsMiddleware:
    """Last in the list: every other middleware's view step (the CSRF check
    among them) has run when this one calls the view under the lock."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = lock_name(request)
        if name is None:
            return None
        if connection.vendor != "postgresql":
            adopt_autosaved_rows(request)
            return None
        with transaction.atomic():
            hold(name)
            adopt_autosaved_rows(request)
            return view_func(request, *view_args, **view_kwargs)
