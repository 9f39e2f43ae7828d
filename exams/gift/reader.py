"""Reading one GIFT question into a draft of the matching answer block, or a problem with its line."""

from __future__ import annotations

import html
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .model import (
    _FORMAT,
    _HUNDRED,
    _ROUNDING,
    _TRUE_FALSE,
    BLANK,
    GiftMessage,
    _Problem,
)
from .scanning import _Answer, _answers, _Block, _find
from .text import _block_html, _text, _unescape

# --- one question ----------------------------------------------------------------


@dataclass
class _Draft:
    """What one question block says, before keys are given out."""

    line: int
    title: str
    topic: str | None
    qtype: str
    stem_text: str
    stem_html: str
    explanation_html: str
    answer: dict


def _number(raw: str, line: int) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise _Problem(line, f"'{raw.strip()}' is not a number")
    return value


def _plain_number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _numeric_value(raw: str, line: int) -> tuple[Decimal, Decimal]:
    """``15``, ``15:2`` or ``10..20`` -> (answer, tolerance)."""
    raw = _unescape(raw).strip()
    if not raw:
        raise _Problem(line, "a numeric answer needs a number, like {#15}")
    if ".." in raw:
        low_raw, high_raw = raw.split("..", 1)
        low, high = _number(low_raw, line), _number(high_raw, line)
        if low > high:
            raise _Problem(line, f"the range {raw} runs backwards; write low..high")
        return (low + high) / 2, (high - low) / 2
    if ":" in raw:
        answer_raw, tolerance_raw = raw.split(":", 1)
        answer, tolerance = _number(answer_raw, line), _number(tolerance_raw, line)
        if tolerance < 0:
            raise _Problem(line, f"the tolerance in {raw} cannot be negative")
        return answer, tolerance
    return _number(raw, line), Decimal(0)


class _QuestionReader:
    """Reads one question block; problems other than the first go to ``warnings``."""

    def __init__(self, block: _Block, topic: str | None, warnings: list):
        self.block = block
        self.topic = topic
        self.warnings = warnings
        self.text_format = "plain"
        self.notes: list[tuple[str, str]] = []

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(GiftMessage(line, message))

    def text(self, raw: str) -> tuple[str, str]:
        return _text(raw, self.text_format)

    def note(self, label: str, feedback_raw: str | None) -> None:
        if feedback_raw is None:
            return
        _plain, markup = self.text(feedback_raw)
        if markup:
            self.notes.append((label, markup))

    def read(self) -> _Draft | None:
        """The question, or None for a description; raises ``_Problem``."""
        block, text = self.block, self.block.text
        index = len(text) - len(text.lstrip())
        title = ""
        if text.startswith("::", index):
            end = _find(text, "::", index + 2)
            if end < 0:
                raise _Problem(
                    block.line_at(index),
                    "the title opened with '::' is not closed; write ::Title::",
                )
            title = _text(text[index + 2 : end], "plain")[0]
            index = end + 2
        prefix = _FORMAT.match(text, index)
        if prefix:
            self.text_format = prefix.group(1).lower()
            index = prefix.end()
        opening = _find(text, "{", index)
        stray = _find(text, "}", index)
        if stray >= 0 and (opening < 0 or stray < opening):
            raise _Problem(
                block.line_at(stray),
                "'}' closes nothing; write \\} for a literal brace",
            )
        if opening < 0:
            self.warn(
                block.first_line,
                "text without an answer in braces is a description, not a question; "
                "skipped",
            )
            return None
        closing = _find(text, "}", opening + 1)
        nested = _find(text, "{", opening + 1)
        if closing < 0:
            raise _Problem(
                block.line_at(opening),
                "the '{' opened here is never closed; end the answers with '}'",
            )
        if 0 <= nested < closing:
            raise _Problem(
                block.line_at(nested),
                "'{' inside the answers; write \\{ for a literal brace",
            )
        after = text[closing + 1 :]
        for extra in (_find(after, "{"), _find(after, "}")):
            if extra >= 0:
                raise _Problem(
                    block.line_at(closing + 1 + extra),
                    "a second '{' or '}' after the answers: separate questions "
                    "with a blank line, or write \\{ and \\} for literal braces",
                )
        stem_raw = text[index:opening]
        if after.strip():
            stem_raw = f"{stem_raw}{BLANK}{after}"
        stem_text, stem_inline = self.text(stem_raw)
        if not stem_text:
            raise _Problem(block.first_line, "the question has no text before '{'")
        qtype, answer, general_raw = self.read_answer(opening + 1, closing)
        explanation = []
        if general_raw is not None:
            explanation.append(_block_html(self.text(general_raw)[1]))
        if self.notes:
            items = "".join(
                f"<li><b>{html.escape(label, quote=False)}</b>: {markup}</li>"
                for label, markup in self.notes
            )
            explanation.append(f"<ul>{items}</ul>")
        return _Draft(
            line=block.first_line,
            title=title,
            topic=self.topic,
            qtype=qtype,
            stem_text=stem_text,
            stem_html=_block_html(stem_inline),
            explanation_html="".join(explanation),
            answer=answer,
        )

    def read_answer(self, start: int, end: int) -> tuple[str, dict, str | None]:
        block = self.block
        general_raw = None
        general = _find(block.text[:end], "####", start)
        if general >= 0:
            general_raw = block.text[general + 4 : end]
            end = general
        inner = block.text[start:end]
        stripped = inner.strip()
        line = block.line_at(start + len(inner) - len(inner.lstrip()))
        if not stripped:
            raise _Problem(
                block.line_at(start - 1),
                "essay questions ({}) cannot be graded automatically and are not "
                "supported",
            )
        if stripped.startswith("#"):
            offset = start + inner.find("#") + 1
            return ("numeric", self.numeric(offset, end, line), general_raw)
        truth = stripped.split("#", 1)[0].strip().upper()
        if truth in _TRUE_FALSE:
            return ("true_false", self.true_false(stripped, line), general_raw)
        answers = _answers(block, start, end)
        # Moodle's order: a tilde makes a choice question, even with "->" in it.
        if any(a.marker == "~" for a in answers):
            return self.choice(answers, line) + (general_raw,)
        if any(_find(a.text, "->") >= 0 for a in answers):
            return ("matching", self.matching(answers), general_raw)
        return ("short_answer", self.short_answer(answers, line), general_raw)

    def numeric(self, start: int, end: int, line: int) -> dict:
        block = self.block
        body = block.text[start:end]
        if body.strip().startswith("="):
            chosen = None
            for answer in _answers(block, start, end):
                value, tolerance = _numeric_value(answer.text, answer.line)
                label = _plain_number(value)
                if answer.weight is not None and answer.weight != _HUNDRED:
                    self.warn(
                        answer.line,
                        f"answer {label} gives partial credit ({answer.weight}%), "
                        "which numeric questions cannot; left out",
                    )
                    continue
                if chosen is not None:
                    self.warn(
                        answer.line,
                        f"only the first fully correct answer is used; {label} is "
                        "left out",
                    )
                    continue
                chosen = (value, tolerance)
                self.note(label, answer.feedback)
            if chosen is None:
                raise _Problem(line, "no fully correct numeric answer")
            value, tolerance = chosen
        else:
            feedback_at = _find(body, "#")
            feedback = None
            if feedback_at >= 0:
                body, feedback = body[:feedback_at], body[feedback_at + 1 :]
            value, tolerance = _numeric_value(body, line)
            self.note(_plain_number(value), feedback)
        return {"answer": _plain_number(value), "tolerance": _plain_number(tolerance)}

    def true_false(self, stripped: str, line: int) -> dict:
        parts = []
        rest = stripped
        while True:
            cut = _find(rest, "#")
            if cut < 0:
                parts.append(rest)
                break
            parts.append(rest[:cut])
            rest = rest[cut + 1 :]
        if len(parts) > 3:
            raise _Problem(
                line,
                "a true/false answer takes at most two feedbacks: "
                "{T#if wrong#if right}",
            )
        truth = _TRUE_FALSE[parts[0].strip().upper()]
        right, wrong = ("True", "False") if truth else ("False", "True")
        if len(parts) > 2:
            self.note(f"If you answered {right}", parts[2])
        if len(parts) > 1:
            self.note(f"If you answered {wrong}", parts[1])
        return {"answer": truth}

    def matching(self, answers: list[_Answer]) -> dict:
        pairs = []
        for answer in answers:
            arrow = _find(answer.text, "->")
            if arrow < 0:
                raise _Problem(
                    answer.line,
                    "a matching pair needs a prompt and a match: =prompt -> match",
                )
            prompt = self.text(answer.text[:arrow])[0]
            match = self.text(answer.text[arrow + 2 :])[0]
            if not match:
                raise _Problem(answer.line, "a matching pair has nothing after '->'")
            if not prompt:
                self.warn(
                    answer.line,
                    f"'{match}' has no prompt (an extra distractor), which matching "
                    "questions here cannot show; left out",
                )
                continue
            pairs.append({"prompt": prompt, "match": match})
            self.note(prompt, answer.feedback)
        if len(pairs) < 2:
            raise _Problem(
                answers[0].line, "a matching question needs at least two pairs"
            )
        return {"pairs": pairs}

    def short_answer(self, answers: list[_Answer], line: int) -> dict:
        accepted = []
        for answer in answers:
            text = self.text(answer.text)[0]
            if not text:
                raise _Problem(answer.line, "an answer is empty")
            if answer.weight is not None and answer.weight != _HUNDRED:
                self.warn(
                    answer.line,
                    f"answer '{text}' gives partial credit ({answer.weight}%), "
                    "which short answers cannot; left out",
                )
                continue
            accepted.append(text)
            self.note(text, answer.feedback)
        if not accepted:
            raise _Problem(line, "no fully correct answer: give one without a weight")
        return {"accepted": accepted, "pattern": ""}

    def choice(self, answers: list[_Answer], line: int) -> tuple[str, dict]:
        choices = []
        for answer in answers:
            text = self.text(answer.text)[0]
            if not text:
                raise _Problem(answer.line, "a choice is empty")
            weight = answer.weight
            if answer.marker == "=" and weight is None:
                weight = _HUNDRED
            choices.append((answer, text, weight or Decimal(0)))
            self.note(text, answer.feedback)
        if len(choices) < 2:
            raise _Problem(line, "a choice question needs at least two choices")
        if any(a.marker == "=" for a, _t, _w in choices):
            right = [c for c in choices if c[2] == _HUNDRED]
            if len(right) != 1:
                raise _Problem(
                    line,
                    f"{len(right)} choices are marked right; a single-choice "
                    "question has exactly one (=)",
                )
            for answer, text, weight in choices:
                if 0 < weight < _HUNDRED:
                    self.warn(
                        answer.line,
                        f"partial credit ({weight}%) for '{text}' is not supported "
                        "in single-choice questions; it counts as wrong",
                    )
            return "single", {
                "choices": [
                    {"text": text, "correct": weight == _HUNDRED}
                    for _a, text, weight in choices
                ]
            }
        positive = [weight for _a, _t, weight in choices if weight > 0]
        if not positive:
            raise _Problem(
                line,
                "no correct answer: mark the right choice with = (or give the "
                "correct ones weights like ~%50%)",
            )
        value = {
            "choices": [
                {"text": text, "correct": weight > 0} for _a, text, weight in choices
            ]
        }
        if len(positive) == 1:
            if positive[0] != _HUNDRED:
                raise _Problem(
                    line,
                    f"only one choice earns credit ({positive[0]}%); mark it with = "
                    "or give it 100%",
                )
            return "single", value
        partial = any(weight < _HUNDRED for weight in positive)
        uneven = len(set(positive)) > 1 or abs(sum(positive) - _HUNDRED) > _ROUNDING
        if partial and uneven:
            weights = ", ".join(f"{w}%" for w in positive)
            self.warn(
                line,
                f"partial credit is shared equally between the {len(positive)} "
                f"correct choices here, not by the weights given ({weights})",
            )
        value["scoring"] = "partial" if partial else "all_or_nothing"
        return "multiple", value
