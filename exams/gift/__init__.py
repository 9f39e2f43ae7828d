"""Pure code: read Moodle GIFT text into plain question data.

No database here. :func:`parse_gift` turns a GIFT file into :class:`GiftQuestion`
values whose ``answer`` is the value of the matching answer block in
``exams.blocks``, plus every problem found, each with the 1-based line it is on.

What GIFT can say and this platform can grade::

    ::Title:: Stem {=right ~wrong}             single choice
    Stem {~%50%a ~%50%b ~%-100%c}              multiple response (partial credit)
    Stem {T}  {TRUE}  {F}  {FALSE}             true / false
    Stem {=answer =another}                    short answer
    Stem {#15}  {#15:2}  {#10..20}             numeric (range: midpoint +/- half)
    Stem {=prompt -> match =prompt -> match}   matching
    Port {=8443 ~25} is the default.           missing word: the stem gets "___"

``#feedback`` after an answer and ``####feedback`` before the closing brace become
the explanation; ``$CATEGORY: a/b/c`` sets the topic (``c``, slugified) of the
questions that follow. Essays (``{}``) and anything that cannot be graded exactly are
errors; a description (text without braces) is a warning and is skipped.
"""

from __future__ import annotations

from django.utils.text import slugify

from ..keys import KEY_LENGTH, key_from
from .model import (
    GiftMessage,
    GiftQuestion,
    GiftResult,
    _Problem,
)
from .reader import _Draft, _QuestionReader
from .scanning import _Block, _blocks

__all__ = ["KEY_LENGTH", "GiftMessage", "GiftQuestion", "GiftResult", "parse_gift"]

# --- the file --------------------------------------------------------------------


def _category_topic(line_text: str) -> str:
    path = line_text.split(":", 1)[1]
    parts = [part for part in path.strip().split("/") if part.strip()]
    return slugify(parts[-1])[:KEY_LENGTH].strip("-") if parts else ""


def _unique_keys(drafts: list[tuple[int, _Draft]]) -> list[str]:
    keys: list[str] = []
    seen: set[str] = set()
    for ordinal, draft in drafts:
        key = key_from(draft.title, taken=seen, fallback=f"q-{ordinal}", words=None)
        seen.add(key)
        keys.append(key)
    return keys


def parse_gift(text: str) -> GiftResult:
    """Read GIFT ``text``; never raises for bad input, it reports it.

    Each question block is read on its own, so one bad question yields one error
    and the others are still checked. A file with no question at all is an error.
    Keys come from the slugified ``::title::`` or ``q-<n>`` (the n-th question of
    the file), made unique with ``-2``, ``-3``.
    """
    result = GiftResult()
    drafts: list[tuple[int, _Draft]] = []
    topic: str | None = None
    ordinal = 0
    for block in _blocks(text.lstrip("\ufeff")):
        while block.text.lstrip().upper().startswith("$CATEGORY:"):
            first, _newline, rest = block.text.partition("\n")
            category = _category_topic(first)
            if category:
                topic = category
            else:
                result.errors.append(
                    GiftMessage(
                        block.first_line,
                        "the category has no name; write $CATEGORY: path/name",
                    )
                )
            if not rest.strip():
                block = None
                break
            block = _Block(
                rest, [s - len(first) - 1 for s in block.starts[1:]], block.lines[1:]
            )
        if block is None:
            continue
        reader = _QuestionReader(block, topic, result.warnings)
        try:
            draft = reader.read()
        except _Problem as problem:
            ordinal += 1
            result.errors.append(GiftMessage(problem.line, problem.message))
            continue
        if draft is not None:
            ordinal += 1
            drafts.append((ordinal, draft))
    if not drafts and not result.errors:
        result.errors.append(GiftMessage(1, "the file holds no questions"))
    for (_ordinal, draft), key in zip(drafts, _unique_keys(drafts), strict=True):
        result.questions.append(GiftQuestion(key=key, **draft.__dict__))
    result.errors.sort(key=lambda message: message.line)
    return result
