"""The protocol every question type implements, the registry, and the small
helpers the types share.

A type is a module with one :class:`QuestionType` subclass, registered with one
line in ``exams/question_types/__init__.py``. Nothing else in the project names a
type: snapshots, the exam form, cleaning, the answered check, scoring, item
analysis, the content loader, GIFT import labels and the templates all ask the
registry. ``tests/exams/test_question_types_contract.py`` runs every registered
type through the same checks.
"""

from __future__ import annotations

import random
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

LETTERS = "abcdefghijklmnopqrstuvwxyz"
SPACES = re.compile(r"\s+")
MAX_TEXT_ANSWER = 500
MAX_PRACTICAL_TEXT = 50_000
# A numeric answer is a plain decimal of at most this many characters, whose size
# stays within what anybody would type: no exponent can make it ungradable.
MAX_NUMERIC_CHARACTERS = 50
MAX_NUMERIC_INTEGER_DIGITS = 15

MakeId = Callable[[str, int], str]


def shuffled(items: list, rng: random.Random | None) -> list:
    items = list(items)
    if rng is not None:
        rng.shuffle(items)
    return items


def normalise_text(text: str) -> str:
    return SPACES.sub(" ", str(text)).strip().casefold()


def parse_number(value) -> Decimal | None:
    """A learner's numeric answer as a Decimal, or None when it is not a plain,
    finite number of a sensible size (no ``1e999999999``, no ``NaN``)."""
    text = str(value).strip().replace(",", ".")
    if not text or len(text) > MAX_NUMERIC_CHARACTERS:
        return None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    if number.is_zero():
        return number
    # The exponent alone decides, before any arithmetic could overflow.
    if not -MAX_NUMERIC_CHARACTERS <= number.adjusted() < MAX_NUMERIC_INTEGER_DIGITS:
        return None
    return number


class QuestionType(ABC):
    """One kind of question, from authoring to item analysis.

    Data shapes (see ``exams.grading``): ``answer`` is the authored answer block
    as plain data; a snapshot's ``public`` part is all the learner may see and its
    ``key`` part stays on the server; a *response* is what the learner answered.
    The abstract methods are what every type must say for itself: a type that
    leaves one out cannot be made, let alone registered.
    """

    code: str = ""
    label: str = ""
    # Graded by an examiner against a rubric, not here.
    manual: bool = False
    # The Wagtail block an author fills in for this type, in a bank's answer stream.
    editor_block_class: type | None = None
    # The content loader's fields for this type, and which of them may be left out.
    spec_fields: frozenset[str] = frozenset()
    optional_spec_fields: frozenset[str] = frozenset()

    # --- authoring ----------------------------------------------------------------
    def editor_block(self):
        """A new instance of the type's editor block."""
        return self.editor_block_class()

    # --- serving ------------------------------------------------------------------
    @abstractmethod
    def snapshot(
        self,
        answer: dict,
        *,
        make_id: MakeId,
        rng: random.Random | None,
        shuffle_choices: bool,
    ) -> tuple[dict, dict]:
        """``(public, key)`` for one served question."""

    def points(self, key: dict, authored: Decimal) -> Decimal:
        """The question's worth (a rubric's maximum for practical tasks)."""
        return authored

    @property
    def form_template(self) -> str:
        return f"exams/question_types/{self.code}.html"

    def form_html(self, question, *, locked: bool, context) -> str:
        """The question's inputs on the exam form, named as :meth:`parse_form`
        reads them (``question``: a served question, with the learner's
        response). The default renders :attr:`form_template` with the page's
        template ``context`` and ``q``, ``locked``; the types on most exam pages
        write theirs in code instead (``markup``), which is several times
        cheaper than ten templates a page."""
        template = context.template.engine.get_template(self.form_template)
        with context.push(q=question, locked=locked):
            return template.render(context)

    @property
    def review_template(self) -> str:
        return f"exams/question_types/{self.code}_review.html"

    # --- answering ----------------------------------------------------------------
    @abstractmethod
    def sample_form_fields(
        self, name: str, public: dict, rng: random.Random
    ) -> list[tuple[str, str]]:
        """Form fields a learner's browser might post for this question: a random,
        well-formed answer, right or wrong (load tests post these)."""

    def parse_form(self, name: str, public: dict, data) -> dict:
        """The raw response from the exam form's fields (``name`` = ``q<n>``)."""
        return {"value": data.get(name, "")}

    @abstractmethod
    def clean(self, public: dict, raw: dict) -> dict | None:
        """A well-formed response, None for a blank one; ``ValueError`` (with a
        message for the learner) for one that cannot be right for this question."""

    @abstractmethod
    def is_answered(self, response: dict) -> bool:
        """Whether ``response`` answers the question (a blank one does not)."""

    # --- grading ------------------------------------------------------------------
    def fraction(self, key: dict, response: dict) -> Decimal:
        """Share of the points earned, between 0 and 1 (may raise on a stored
        response of an old shape: ``grading.grade_question`` is total)."""
        raise ValueError(f"{self.code} questions are graded by an examiner")

    @abstractmethod
    def correct_response(self, key: dict) -> dict:
        """A response that earns every point (tests, the demo, benchmarks)."""

    @abstractmethod
    def example_answer(self) -> dict:
        """A small authored answer block of this type (tests, the demo)."""

    # --- item analysis --------------------------------------------------------------
    def analysis_options(self, snapshot: dict) -> tuple[list[dict], list[str]]:
        """(options with their text, keyed option ids), named stably across
        attempts; types without options return ([], [])."""
        return [], []

    def analysis_choices(self, response: dict, source: dict) -> tuple[str, ...]:
        """The options a response chose, named as in :meth:`analysis_options`."""
        return ()

    # --- the content loader ---------------------------------------------------------
    def check_spec(self, spec) -> None:
        """Raise ``ValueError`` for a YAML question that cannot be right. By
        default the loader's field rules are all there is to check."""
        return None

    @abstractmethod
    def answer_from_spec(self, spec) -> dict:
        """The answer block's value from a loaded YAML question."""


_registry: dict[str, QuestionType] = {}


def register(question_type: QuestionType) -> QuestionType:
    if not question_type.code or question_type.code in _registry:
        raise ValueError(f"question type {question_type.code!r} is already known")
    if question_type.editor_block_class is None:
        raise ValueError(f"question type {question_type.code!r} has no editor block")
    _registry[question_type.code] = question_type
    return question_type


def get(code: str) -> QuestionType:
    """The registered type ``code``; ``ValueError`` for an unknown one."""
    try:
        return _registry[code]
    except KeyError:
        raise ValueError(f"unknown question type {code!r}") from None


def all_types() -> list[QuestionType]:
    return list(_registry.values())


def codes() -> tuple[str, ...]:
    return tuple(_registry)


def auto_codes() -> tuple[str, ...]:
    return tuple(code for code, t in _registry.items() if not t.manual)


def manual_codes() -> tuple[str, ...]:
    return tuple(code for code, t in _registry.items() if t.manual)
