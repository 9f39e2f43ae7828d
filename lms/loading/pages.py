"""Upserting Wagtail pages by (parent, slug), publishing a revision on change."""

from __future__ import annotations

import html
import re
from typing import Any

from wagtail.fields import StreamValue
from wagtail.models import Page

from .base import LoadReport

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")


def inline_html(text: str) -> str:
    """Plain text with ``**bold**`` and ```code``` marks, as escaped HTML."""
    escaped = html.escape(text.strip(), quote=False)
    escaped = _BOLD.sub(r"<b>\1</b>", escaped)
    return _CODE.sub(r"<code>\1</code>", escaped)


def paragraphs_to_html(text: str) -> str:
    paragraphs = [part for part in re.split(r"\n\s*\n", text.strip()) if part.strip()]
    return "".join(
        f"<p>{inline_html(' '.join(part.split()))}</p>" for part in paragraphs
    )


def _comparable(value: Any) -> Any:
    """A field value reduced to plain data for comparison: block ids dropped, and
    list items (stored as ``{"type": "item", "value": v, "id": ...}``) unwrapped."""
    if isinstance(value, StreamValue):
        value = value.get_prep_value()
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if isinstance(value, dict):
        if value.get("type") == "item" and "value" in value:
            return _comparable(value["value"])
        return {key: _comparable(item) for key, item in value.items() if key != "id"}
    return value


def upsert_page(
    *,
    parent: Page,
    model: type[Page],
    slug: str,
    fields: dict[str, Any],
    report: LoadReport,
    kind: str,
    existing: Page | None = None,
    after_save=None,
) -> Page:
    """Create or update the child of ``parent`` with ``slug``; publish on change.

    ``fields`` maps field names to wanted values; a StreamField takes a list of
    ``{"type": ..., "value": ...}`` dicts. ``after_save(page) -> bool`` may sync
    related rows and returns whether it changed anything.
    """
    page = existing
    if page is None:
        page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        if after_save:
            after_save(page)
        page.save_revision().publish()
        report.add(kind, "created")
        return page
    page = page.specific
    changed = False
    for name, wanted in fields.items():
        current = getattr(page, name)
        if _comparable(current) != _comparable(wanted):
            setattr(page, name, wanted)
            changed = True
    if page.slug != slug:
        page.slug = slug
        changed = True
    if after_save and after_save(page):
        changed = True
    if changed or not page.live:
        page.save_revision().publish()
        report.add(kind, "updated")
    else:
        report.add(kind, "unchanged")
    return page
