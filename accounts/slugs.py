"""Slugs made from text, unique among those taken: the one home for generated
keys and addresses (``-2``, ``-3`` when taken)."""

from __future__ import annotations

from django.utils.html import strip_tags
from django.utils.text import slugify


def unique_slug(
    text: str, *, taken, fallback: str, words: int | None = None, length: int = 90
) -> str:
    """A slug of ``text`` (its first ``words`` words, at most ``length``
    characters) not in ``taken``; ``fallback`` when the text has no letters."""
    kept = strip_tags(text or "").split()[:words]
    base = slugify(" ".join(kept))[:length].strip("-") or fallback
    slug, suffix = base, 2
    while slug in taken:
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug
