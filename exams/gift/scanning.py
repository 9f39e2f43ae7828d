"""Finding a GIFT file's question blocks and each block's answers, respecting escapes."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .model import _HUNDRED, _WEIGHT, _Problem
from .text import _unescape

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
