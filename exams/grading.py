"""Pure code: what an attempt serves (snapshots) and how it is graded.

No database here. A *snapshot* is everything one served question needs, frozen when
the attempt starts::

    {"type": "single", "points": "1", "stem": "<p>...</p>", "explanation": "...",
     "public": {...what the learner may see...}, "key": {...the answer...}}

Only ``public`` (plus stem and type) may reach the browser while an attempt is open.
A *response* is what the learner answered, by type::

    single        {"choice": "b"}
    multiple      {"choices": ["a", "c"]}
    true_false    {"value": true}
    short_answer  {"text": "8443"}
    numeric       {"value": "15"}
    matching      {"matches": {"p0": "m2", "p1": "m0"}}
    ordering      {"order": ["i2", "i0", "i1"]}
    practical     {"text": "..."}  (files are kept beside the answer)

A *practical* question is not graded here: examiners choose one performance level
per rubric criterion (``rubric_score``), and ``combine`` weighs the theory and
practical parts into the result.
"""

from __future__ import annotations

import hashlib
import random
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import question_types
from .question_types import base as _types

# Limits and helpers the question types define, named here for callers.
MAX_TEXT_ANSWER = _types.MAX_TEXT_ANSWER
MAX_PRACTICAL_TEXT = _types.MAX_PRACTICAL_TEXT
parse_number = _types.parse_number
normalise_text = _types.normalise_text
_LETTERS = _types.LETTERS

AUTO_TYPES = question_types.auto_codes()
MANUAL_TYPES = question_types.manual_codes()
QUESTION_TYPES = question_types.codes()


class RandomHex:
    """``secrets.token_hex``, from random bytes the system gives a block at a
    time: a start names some three hundred options, and a system call for each
    cost more than freezing the rest of their questions. The bytes are the
    same ``secrets`` bytes; none is given twice."""

    def __init__(self, block: int = 1024):
        self._block = block
        self._bytes = b""
        self._at = 0

    def __call__(self, nbytes: int) -> str:
        if self._at + nbytes > len(self._bytes):
            self._bytes = secrets.token_bytes(max(self._block, nbytes))
            self._at = 0
        start, self._at = self._at, self._at + nbytes
        return self._bytes[start : self._at].hex()


def opaque_ids(
    token_hex: Callable[[int], str] = secrets.token_hex,
) -> Callable[[str, int], str]:
    """Option ids for one served question that say nothing about the key.

    Each call to the returned function gives a fresh random id (letters and digits,
    safe in an HTML id), unique within the question. Attempts use these; the
    mapping to the authored options stays server-side in the snapshot's key.
    ``token_hex`` gives the random part (a start passes one :class:`RandomHex`
    for all its questions).
    """
    used: set[str] = set()

    def make(_kind: str, _index: int) -> str:
        while True:
            candidate = "o" + token_hex(4)
            if candidate not in used:
                used.add(candidate)
                return candidate

    return make


def authoring_ids() -> Callable[[str, int], str]:
    """Readable ids in authoring order (a, b, c; p0/m0; i0): for previews and the
    editor's own checks, never for a learner's attempt."""
    prefix = {"prompt": "p", "match": "m", "item": "i"}

    def make(kind: str, index: int) -> str:
        return _LETTERS[index] if kind == "choice" else f"{prefix[kind]}{index}"

    return make


def build_snapshot(
    *,
    qtype: str,
    answer: dict,
    stem: str,
    explanation: str = "",
    points: Decimal | int | str = 1,
    rng: random.Random | None = None,
    shuffle_choices: bool = True,
    ids: Callable[[str, int], str] | None = None,
) -> dict:
    """Freeze one question as served.

    ``rng`` shuffles what is shown (None: authoring order). Matching options and
    ordering items are always shuffled when there is an ``rng``, since their order
    would otherwise be the key; the choices of single and multiple choice
    questions only when ``shuffle_choices``. ``ids`` names the options (default:
    :func:`authoring_ids`; attempts pass :func:`opaque_ids`). The key's ``source``
    maps each choice id to its authoring letter, so item analysis can compare
    attempts whose ids differ.

    ``answer`` is the question's answer block value as plain data (see
    ``exams.blocks``). Raises ``ValueError`` for an unknown type.
    """
    question_type = question_types.get(qtype)
    public, key = question_type.snapshot(
        answer,
        make_id=ids or authoring_ids(),
        rng=rng,
        shuffle_choices=shuffle_choices,
    )
    points = question_type.points(key, Decimal(str(points)))
    return {
        "type": qtype,
        "points": str(Decimal(str(points))),
        "stem": stem,
        "explanation": explanation,
        "public": public,
        "key": key,
    }


def rubric_score(key: dict, levels: dict[str, str]) -> tuple[Decimal, Decimal]:
    """Points for one practical question: ``levels`` maps each criterion id to the
    chosen level id. Returns (points, max_points); ValueError names a criterion
    left without a level or a level that does not belong to it."""
    points = Decimal(0)
    for criterion in key["rubric"]:
        chosen = levels.get(criterion["id"])
        if not chosen:
            raise ValueError(f"choose a level for “{criterion['title']}”")
        match = [lvl for lvl in criterion["levels"] if lvl["id"] == chosen]
        if not match:
            raise ValueError(f"unknown level for “{criterion['title']}”")
        points += Decimal(match[0]["points"])
    return points, Decimal(key["max_points"])


@dataclass(frozen=True)
class CombinedResult:
    percent: Decimal
    passed: bool
    reasons: tuple[str, ...] = ()


def combine(
    *,
    theory_percent: Decimal | None,
    practical_percent: Decimal,
    practical_weight: Decimal | int,
    pass_mark: Decimal | int,
    minimum_theory: Decimal | int | None = None,
    minimum_practical: Decimal | int | None = None,
) -> CombinedResult:
    """Weigh the theory and practical parts (``practical_weight`` in percent).

    With no theory part (``theory_percent`` None) the practical counts alone. The
    result passes only if the weighted percent reaches the pass mark *and* each part
    reaches its own minimum, when one is set; ``reasons`` says which rule failed.
    """
    practical_percent = Decimal(str(practical_percent))
    if theory_percent is None:
        percent = practical_percent
    else:
        weight = Decimal(str(practical_weight)) / Decimal(100)
        percent = Decimal(str(theory_percent)) * (1 - weight) + (
            practical_percent * weight
        )
    percent = percent.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    reasons = []
    if percent < Decimal(str(pass_mark)):
        reasons.append("overall")
    if minimum_practical is not None and practical_percent < Decimal(
        str(minimum_practical)
    ):
        reasons.append("practical")
    if (
        minimum_theory is not None
        and theory_percent is not None
        and Decimal(str(theory_percent)) < Decimal(str(minimum_theory))
    ):
        reasons.append("theory")
    return CombinedResult(percent=percent, passed=not reasons, reasons=tuple(reasons))


@dataclass(frozen=True)
class MarkingDecision:
    """What the markings so far settle: a final practical percent, or who is next."""

    final_percent: Decimal | None = None
    needs: str = ""  # "second" or "lead" while not final


def settle_markings(
    *,
    first: Decimal | None,
    second: Decimal | None = None,
    lead: Decimal | None = None,
    second_required: bool,
    tolerance: Decimal | int,
) -> MarkingDecision:
    """The second-marking rule, as plain data.

    One marking is final unless a second is required. Two markings within
    ``tolerance`` percentage points are averaged; further apart, the lead
    examiner's marking decides.
    """
    if lead is not None:
        return MarkingDecision(final_percent=Decimal(str(lead)))
    if first is None:
        return MarkingDecision(needs="first")
    if not second_required:
        return MarkingDecision(final_percent=Decimal(str(first)))
    if second is None:
        return MarkingDecision(needs="second")
    first, second = Decimal(str(first)), Decimal(str(second))
    if abs(first - second) > Decimal(str(tolerance)):
        return MarkingDecision(needs="lead")
    return MarkingDecision(
        final_percent=((first + second) / 2).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    )


def sampled_for_second_marking(token: str, share_percent: int) -> bool:
    """Whether an attempt falls in the sampled share: stable for the same token
    (an attempt's public id), uniform over tokens, unknown to the candidate."""
    if share_percent <= 0:
        return False
    if share_percent >= 100:
        return True
    digest = hashlib.sha256(token.encode()).hexdigest()
    return int(digest[:8], 16) % 100 < share_percent


@dataclass(frozen=True)
class QuestionResult:
    points: Decimal
    max_points: Decimal
    answered: bool

    @property
    def correct(self) -> bool:
        return self.answered and self.points == self.max_points

    @property
    def partially_correct(self) -> bool:
        return Decimal(0) < self.points < self.max_points


def is_answered(qtype: str, response: dict | None) -> bool:
    if not response:
        return False
    try:
        return question_types.get(qtype).is_answered(response)
    except ValueError:
        return False


def _fraction(snapshot: dict, response: dict) -> Decimal:
    """Share of the question's points earned, between 0 and 1."""
    return question_types.get(snapshot["type"]).fraction(snapshot["key"], response)


def grade_question(snapshot: dict, response: dict | None) -> QuestionResult:
    """Points for one answer. Total: whatever was stored as ``response`` (an old
    shape, a hand-edited row, a value no form accepts today), it never raises; an
    answer that cannot be read earns nothing."""
    max_points = Decimal(snapshot["points"])
    try:
        if not isinstance(response, dict) or not is_answered(
            snapshot["type"], response
        ):
            return QuestionResult(Decimal(0), max_points, answered=False)
        fraction = min(Decimal(1), max(Decimal(0), _fraction(snapshot, response)))
    except (ArithmeticError, TypeError, ValueError, AttributeError, re.error):
        return QuestionResult(Decimal(0), max_points, answered=True)
    points = (max_points * fraction).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return QuestionResult(points, max_points, answered=True)


@dataclass
class SectionResult:
    index: int
    title: str
    points: Decimal = Decimal(0)
    max_points: Decimal = Decimal(0)
    questions: int = 0
    correct: int = 0

    @property
    def percent(self) -> Decimal:
        return percent_of(self.points, self.max_points)


@dataclass
class AttemptResult:
    points: Decimal
    max_points: Decimal
    percent: Decimal
    passed: bool
    sections: list[SectionResult] = field(default_factory=list)
    questions: list[QuestionResult] = field(default_factory=list)


def percent_of(points: Decimal, max_points: Decimal) -> Decimal:
    if not max_points:
        return Decimal(0)
    return (Decimal(100) * points / max_points).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def grade_attempt(items, *, pass_mark: Decimal | int) -> AttemptResult:
    """Grade served questions: ``items`` yields (section_index, section_title,
    snapshot, response). Deterministic; the pass mark is a percentage.

    Questions an examiner grades (practical tasks) are left out: for an exam with
    them, this is the theory part's result."""
    sections: dict[int, SectionResult] = {}
    results: list[QuestionResult] = []
    for section_index, section_title, snapshot, response in items:
        if snapshot["type"] in MANUAL_TYPES:
            continue
        result = grade_question(snapshot, response)
        results.append(result)
        section = sections.setdefault(
            section_index, SectionResult(index=section_index, title=section_title)
        )
        section.points += result.points
        section.max_points += result.max_points
        section.questions += 1
        section.correct += int(result.correct)
    points = sum((r.points for r in results), Decimal(0))
    max_points = sum((r.max_points for r in results), Decimal(0))
    percent = percent_of(points, max_points)
    return AttemptResult(
        points=points,
        max_points=max_points,
        percent=percent,
        passed=bool(max_points) and percent >= Decimal(str(pass_mark)),
        sections=[sections[i] for i in sorted(sections)],
        questions=results,
    )
