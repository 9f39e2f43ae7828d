"""Keys made from text: the one home for a bank's and a question's generated key.

A key is a slug of the text (title, question or GIFT title), made unique among
``taken`` with ``-2``, ``-3``; an author may still type one. Pure code.
"""

from __future__ import annotations

from accounts.api import unique_slug

KEY_LENGTH = 100
BASE_LENGTH = 90  # leaves room for a "-2" suffix within KEY_LENGTH
WORDS = 8  # a question's key takes its first words, not the whole stem


def key_from(text: str, *, taken, fallback: str, words: int | None = WORDS) -> str:
    """A slug of ``text`` (its first ``words`` words) not in ``taken``."""
    return unique_slug(
        text, taken=taken, fallback=fallback, words=words, length=BASE_LENGTH
    )
