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

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

from django.utils.text import slugify

KEY_LENGTH = 100
_KEY_BASE_LENGTH = 90  # leaves room for a "-2" suffix within KEY_LENGTH
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


# --- text ------------------------------------------------------------------------


class _HtmlReader(HTMLParser):
    """Keeps the few tags rich text allows, without attributes; drops the rest.

    Stems are shown as HTML, so nothing from an uploaded file may keep an attribute
    (no links, handlers or styles) or a script.
    """

    ALLOWED = {
        "b": "b",
        "strong": "b",
        "i": "i",
        "em": "i",
        "code": "code",
        "p": "p",
        "ul": "ul",
        "ol": "ol",
        "li": "li",
    }
    DROPPED = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html: list[str] = []
        self.text: list[str] = []
        self.open: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.DROPPED:
            self.skipping += 1
        elif self.skipping:
            return
        elif tag == "br":
            self.html.append("<br/>")
            self.text.append(" ")
        elif tag in self.ALLOWED:
            name = self.ALLOWED[tag]
            self.html.append(f"<{name}>")
            self.open.append(name)
            if name in ("p", "li"):
                self.text.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag == "br" and not self.skipping:
            self.html.append("<br/>")
            self.text.append(" ")

    def handle_endtag(self, tag):
        if tag in self.DROPPED:
            self.skipping = max(0, self.skipping - 1)
            return
        name = self.ALLOWED.get(tag)
        if self.skipping or name is None or name not in self.open:
            return
        while self.open:
            current = self.open.pop()
            self.html.append(f"</{current}>")
            if current == name:
                break

    def handle_data(self, data):
        if not self.skipping:
            self.html.append(html.escape(data, quote=False))
            self.text.append(data)

    def finish(self) -> tuple[str, str]:
        self.close()
        while self.open:
            self.html.append(f"</{self.open.pop()}>")
        return _collapse("".join(self.text)), _collapse("".join(self.html))


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _unescape(raw: str) -> str:
    def replace(match: re.Match) -> str:
        char = match.group(1)
        if char == "n":
            return _LINE_BREAK
        return char if char in _ESCAPABLE else match.group(0)

    return _ESCAPE.sub(replace, raw)


def _text(raw: str, text_format: str) -> tuple[str, str]:
    """GIFT text -> (plain text, inline HTML). A ``[format]`` prefix overrides."""
    prefix = _FORMAT.match(raw)
    if prefix:
        text_format = prefix.group(1).lower()
        raw = raw[prefix.end() :]
    text = _unescape(raw)
    if text_format == "html":
        reader = _HtmlReader()
        reader.feed(text.replace(_LINE_BREAK, "<br/>"))
        plain, markup = reader.finish()
        return plain, markup
    # Markdown and Moodle's auto-format are shown as written: plain text.
    collapsed = _collapse(text)
    plain = _collapse(collapsed.replace(_LINE_BREAK, " "))
    markup = html.escape(collapsed, quote=False).replace(_LINE_BREAK, "<br/>")
    return plain, markup


def _block_html(inline: str) -> str:
    if not inline:
        return ""
    if re.search(r"<(p|ul|ol)>", inline):
        return inline
    return f"<p>{inline}</p>"


# --- scanning --------------------------------------------------------------------


def _find(text: str, target: str, start: int = 0) -> int:
    """Index of the first ``target`` at or after ``start`` not escaped by ``\\``."""
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(target, index):
            return index
        index += 1
    return -1


@dataclass
class _Block:
    """One blank-line separated chunk of the file, comment lines left out."""

    text: str
    starts: list[int]  # offset in ``text`` where each kept line starts
    lines: list[int]  # that line's number in the file

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect_right(self.starts, offset) - 1)]

    @property
    def first_line(self) -> int:
        return self.lines[0]


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    kept: list[tuple[int, str]] = []

    def close():
        if kept:
            starts, offset = [], 0
            for _number, line in kept:
                starts.append(offset)
                offset += len(line) + 1
            blocks.append(
                _Block(
                    text="\n".join(line for _n, line in kept),
                    starts=starts,
                    lines=[number for number, _line in kept],
                )
            )
            kept.clear()

    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        stripped = line.strip()
        if not stripped:
            close()
        elif not stripped.startswith("//"):
            kept.append((number, line))
    close()
    return blocks


@dataclass
class _Answer:
    marker: str  # "=" or "~"
    weight: Decimal | None
    text: str
    feedback: str | None
    line: int


def _answers(block: _Block, start: int, end: int) -> list[_Answer]:
    """The ``=``/``~`` answers between ``start`` and ``end`` of the block."""
    area = block.text[:end]
    markers = []
    index = start
    while True:
        found = [
            i for i in (_find(area, "=", index), _find(area, "~", index)) if i >= 0
        ]
        if not found:
            break
        markers.append(min(found))
        index = min(found) + 1
    leading = area[start : markers[0] if markers else end].strip()
    if leading:
        raise _Problem(
            block.line_at(start + area[start:].find(leading[0])),
            f"unknown answer syntax '{_unescape(leading)[:40]}': answers start with "
            "= or ~, or the braces hold #number or T/F",
        )
    answers = []
    for position, offset in enumerate(markers):
        stop = markers[position + 1] if position + 1 < len(markers) else end
        line = block.line_at(offset)
        body = area[offset + 1 : stop]
        weight = None
        match = _WEIGHT.match(body)
        if match:
            try:
                weight = Decimal(match.group(1).strip())
            except InvalidOperation:
                weight = None
            if weight is None or not weight.is_finite() or abs(weight) > _HUNDRED:
                raise _Problem(
                    line,
                    f"weight '%{match.group(1)}%' must be a percentage between "
                    "-100 and 100, like %50%",
                )
            body = body[match.end() :]
        feedback_at = _find(body, "#")
        feedback = None
        if feedback_at >= 0:
            body, feedback = body[:feedback_at], body[feedback_at + 1 :]
        answers.append(_Answer(area[offset], weight, body, feedback, line))
    return answers


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


# --- the file --------------------------------------------------------------------


def _category_topic(line_text: str) -> str:
    path = line_text.split(":", 1)[1]
    parts = [part for part in path.strip().split("/") if part.strip()]
    return slugify(parts[-1])[:KEY_LENGTH].strip("-") if parts else ""


def _unique_keys(drafts: list[tuple[int, _Draft]]) -> list[str]:
    keys, seen = [], set()
    for ordinal, draft in drafts:
        base = slugify(draft.title)[:_KEY_BASE_LENGTH].strip("-") or f"q-{ordinal}"
        key, suffix = base, 2
        while key in seen:
            key = f"{base}-{suffix}"
            suffix += 1
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
