"""Shared machinery for loading the curriculum from YAML: parsing with line numbers,
schema validation with readable errors, and the created/updated/unchanged report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

Location = tuple[str | int, ...]


class Schema(BaseModel):
    """Base for content schemas: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


@dataclass(frozen=True)
class ContentError:
    file: str
    line: int | None
    location: str
    problem: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        at = f" {self.location}" if self.location else ""
        return f"{where}{at}: {self.problem}"


class ContentInvalid(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def format_location(location: Location) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@dataclass
class Document:
    """One YAML file: its data and the line on which each value starts."""

    path: Path
    name: str
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)

    def line_of(self, location: Location) -> int | None:
        for end in range(len(location), -1, -1):
            line = self.lines.get(tuple(location[:end]))
            if line is not None:
                return line
        return None

    def error(self, location: Location, problem: str) -> ContentError:
        return ContentError(
            self.name, self.line_of(location), format_location(location), problem
        )

    def validate(
        self, schema: type[Schema]
    ) -> tuple[Schema | None, list[ContentError]]:
        try:
            return schema.model_validate(self.data), []
        except ValidationError as exc:
            errors = []
            for item in exc.errors():
                location = tuple(
                    part for part in item["loc"] if isinstance(part, str | int)
                )
                if item["type"] == "extra_forbidden":
                    problem = f"unknown key '{location[-1]}'"
                elif item["type"] == "missing":
                    problem = f"missing required field '{location[-1]}'"
                    location = location[:-1]
                else:
                    problem = item["msg"]
                errors.append(self.error(location, problem))
            return None, errors


def _index_lines(node: yaml.Node, location: Location, lines: dict) -> None:
    lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            _index_lines(value_node, (*location, key), lines)
            # A key's own line reads better in an error than its value's first line.
            lines[(*location, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*location, index), lines)


def read_document(path: Path, root: Path) -> tuple[Document | None, list[ContentError]]:
    name = (
        str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
    )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [ContentError(name, None, "", f"cannot be read: {exc}")]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark else None
        return None, [ContentError(name, line, "", f"invalid YAML: {problem}")]
    lines: dict[Location, int] = {}
    if node is not None:
        _index_lines(node, (), lines)
    if not isinstance(data, dict):
        return None, [ContentError(name, 1, "", "the file must hold a mapping of keys")]
    return Document(path=path, name=name, data=data, lines=lines), []


class LoadReport:
    """Counts of what a load created, updated or left unchanged, per kind."""

    OUTCOMES = ("created", "updated", "unchanged")

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = {}

    def add(self, kind: str, outcome: str) -> None:
        assert outcome in self.OUTCOMES
        self.counts.setdefault(kind, Counter())[outcome] += 1

    def total(self, outcome: str) -> int:
        return sum(counter[outcome] for counter in self.counts.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            kind: {outcome: counter[outcome] for outcome in self.OUTCOMES}
            for kind, counter in self.counts.items()
        }

    def lines(self) -> list[str]:
        return [
            f"{kind}: "
            + ", ".join(f"{counts[outcome]} {outcome}" for outcome in self.OUTCOMES)
            for kind, counts in self.as_dict().items()
        ]
