"""What reading a GIFT file gives: questions, messages with their lines, and the problem that stops one question."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

BLANK = "___"
FORMATS = ("html", "markdown", "plain", "moodle")
_FORMAT = re.compile(r"\s*\[(" + "|".join(FORMATS) + r")\]", re.IGNORECASE)
_WEIGHT = re.compile(r"\s*%([^%]*)%")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ESCAPABLE = set("~=#{}:\\")
_LINE_BREAK = "\u2028"  # stands for GIFT's "\n" until whitespace is collapsed
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_HUNDRED = Decimal(100)
_ROUNDING = Decimal("0.1")  # 3 x 33.333% is a full score


@dataclass(frozen=True)
class GiftMessage:
    """A problem in the file, on a 1-based ``line``."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class GiftQuestion:
    """One question, ready to become a ``Question`` row.

    ``answer`` is the plain value of the ``qtype`` answer block; ``topic`` is the
    slug of the ``$CATEGORY`` in force, or None before any category.
    """

    line: int
    key: str
    title: str
    topic: str | None
    qtype: str
    stem_text: str
    stem_html: str
    explanation_html: str
    answer: dict

    def answer_stream(self) -> list[dict]:
        """The value for ``Question.answer``: one block of the question's type."""
        return [{"type": self.qtype, "value": self.answer}]


@dataclass
class GiftResult:
    """Questions in file order, and the problems found; usable only if ``ok``."""

    questions: list[GiftQuestion] = field(default_factory=list)
    errors: list[GiftMessage] = field(default_factory=list)
    warnings: list[GiftMessage] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Problem(Exception):
    """Stops reading one question; the message goes to the errors."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message
