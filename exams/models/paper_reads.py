"""Parts of an attempt's paper, picked out by the database.

A paper holds the exam's drawn questions (about 30 KB of JSON for eighty). A
page's save needs its page's questions, and the exam page and the review before
a submit need one page's questions (or none) and, of every other question, only
its type, answer and flag: what the page's count of answered and flagged
questions is made of. The database picks those out of the row, so the web server
decodes a page, not the exam (PostgreSQL ``jsonb_array_elements``, SQLite
``json_each``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from accounts.api import json_dumps, json_loads, quoted

# What a paper holds of the learner's answers and their grading, by position.
ANSWER_COLUMNS = ("responses", "answered_at", "flags", "points")

# A position is a small positive number (a PositiveSmallIntegerField elsewhere):
# a page or position out of this range names no question.
POSITION_LIMIT = 2**15


def _column(name: str) -> str:
    from .attempts import AttemptPaper

    return quoted(AttemptPaper._meta.get_field(name).column)


def positions_param(vendor: str, positions: list[int]):
    """A list of positions as a statement's parameter."""
    return positions if vendor == "postgresql" else json_dumps(positions)


# Each database's way of reading a paper's ``{questions}`` list: the questions
# whose position meets ``{condition}`` (a JSON array, in order); each one's type
# by position (a JSON object keyed as the answers are); the position in a
# condition; the condition "among the positions of a parameter"; the larger of
# 1 and a value.
# Names from the model, never from a request; the values are parameters.
_SQL = {
    "postgresql": {
        "picked": "(SELECT COALESCE(jsonb_agg(e.q ORDER BY e.n), '[]'::jsonb) "
        "FROM jsonb_array_elements({questions}) WITH ORDINALITY e(q, n) "
        "WHERE {condition})",
        "types": "(SELECT COALESCE(jsonb_object_agg(e.q ->> 'position', "
        "e.q -> 'snapshot' -> 'type'), '{{}}'::jsonb) "
        "FROM jsonb_array_elements({questions}) e(q))",
        "position": "(e.q ->> 'position')::int",
        "among": "{position} = ANY(CAST(%s AS int[]))",
        "at_least_one": "GREATEST(1, {value})",
    },
    "sqlite": {
        "picked": "(SELECT json_group_array(json(e.value)) FROM (SELECT value "
        "FROM json_each({questions}) WHERE {condition} ORDER BY key) e)",
        "types": "(SELECT json_group_object("
        "CAST(json_extract(value, '$.position') AS TEXT), "
        "json_extract(value, '$.snapshot.type')) FROM json_each({questions}))",
        "position": "json_extract(value, '$.position')",
        "among": "{position} IN (SELECT value FROM json_each(%s))",
        "at_least_one": "MAX(1, {value})",
    },
}


def _picked(vendor: str, paper: str, condition: str) -> str:
    """SQL: the questions of the paper aliased ``paper`` whose position meets
    ``condition`` (``{position}`` stands for it), as a JSON array in order."""
    sql = _SQL[vendor]
    return sql["picked"].format(
        questions=f"{paper}.{_column('questions')}",
        condition=condition.format(position=sql["position"]),
    )


def _types(vendor: str, paper: str) -> str:
    """SQL: each question's type by position."""
    return _SQL[vendor]["types"].format(questions=f"{paper}.{_column('questions')}")


def _answers(paper: str) -> str:
    return ", ".join(f"{paper}.{_column(name)}" for name in ANSWER_COLUMNS)


@cache
def picked_questions_sql(vendor: str) -> str:
    """The statement that reads a paper's questions at some positions (the
    first parameter: a list on PostgreSQL, JSON text elsewhere), in order, and
    its answer columns, of one attempt (the second)."""
    from .attempts import AttemptPaper

    meta = AttemptPaper._meta
    wanted = _picked(vendor, "p", _SQL[vendor]["among"])
    return (
        f"SELECT {wanted}, {_answers('p')} "  # noqa: S608
        f"FROM {quoted(meta.db_table)} p WHERE p.{_column('attempt')} = %s"
    )


def page_select(vendor: str, paper: str, per_page: str) -> str:
    """The select list of a :class:`PaperPage` of the paper aliased ``paper``:
    the questions of the page ``%(page)s`` (1 to ``POSITION_LIMIT``; 0 for
    none) when each page holds the column ``per_page`` (at least one), each
    question's type, and the answer columns. Without a paper (a LEFT JOIN's
    NULLs): none."""
    size = _SQL[vendor]["at_least_one"].format(value=per_page)
    first = f"(CAST(%(page)s AS integer) - 1) * {size} + 1"
    last = f"CAST(%(page)s AS integer) * {size}"
    on_page = f"{{position}} BETWEEN {first} AND {last}"
    return (
        f"{_picked(vendor, paper, on_page)}, {_types(vendor, paper)}, {_answers(paper)}"
    )


@dataclass
class PaperPage:
    """One page of a paper as :func:`page_select` reads it: the page asked for
    and its served questions, and each question's type, answer and flag."""

    page: int
    questions: list
    types: dict[str, str]
    responses: dict
    flags: dict

    @classmethod
    def from_row(cls, attempt_id: int, page: int, row) -> PaperPage:
        """From :func:`page_select`'s columns; no paper reads as no questions."""
        from .attempts import paper_questions

        picked, types, *answers = [
            {} if text is None else json_loads(text) for text in row
        ]
        return cls(
            page=page,
            questions=paper_questions(attempt_id, picked or [], *answers),
            types=types,
            responses=answers[0],
            flags=answers[2],
        )
