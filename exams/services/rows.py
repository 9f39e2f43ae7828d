"""One statement for many question rows of one attempt.

A start inserts its questions from one JSON list (``insert_questions``); a
save's answers can be written by a part of a larger statement
(``questions_update``).

Django's ``bulk_update`` builds a ``CASE WHEN id = … THEN …`` expression per
column and row, which costs more Python than the rest of a save or a submit. The
hot paths write their rows with one ``UPDATE … FROM (VALUES …)`` instead, on
PostgreSQL and SQLite alike.
"""

from __future__ import annotations

import json

from django.db import connection

from ..models import AttemptQuestion


def questions_update(
    *,
    set_sql: str,
    rows: list[tuple],
    casts: tuple[str | None, ...],
    params: tuple = (),
    attempt_id: int | None = None,
    source: str = "",
) -> tuple[str, list]:
    """The statement that updates an attempt's question rows named by position,
    and its parameters, without running it.

    Each row of ``rows`` starts with the question's position; its values are
    ``v.column1`` (the position), ``v.column2``, … in ``set_sql``, whose own
    placeholders take ``params``. ``casts`` gives each value's SQL type on
    PostgreSQL (None: as sent), so a NULL or a JSON text is typed there. The
    attempt is ``attempt_id``, or the one row of ``source``: the name of a
    query of the same statement (a ``WITH``) whose ``id`` column names it.
    """
    table = connection.ops.quote_name(AttemptQuestion._meta.db_table)
    if connection.vendor == "postgresql":
        slots = [f"CAST(%s AS {cast})" if cast else "%s" for cast in casts]
    else:
        slots = ["%s"] * len(casts)
    row_sql = f"({', '.join(slots)})"
    values = ", ".join([row_sql] * len(rows))
    flat = [value for row in rows for value in row]
    if source:
        joined, attempt, tail = f", {source}", f"{source}.id", []
    else:
        joined, attempt, tail = "", "%s", [attempt_id]
    sql = (
        f"UPDATE {table} SET {set_sql} "  # noqa: S608 - names from code, values as parameters
        f"FROM (VALUES {values}) AS v{joined} "
        f"WHERE {table}.attempt_id = {attempt} AND {table}.position = v.column1"
    )
    return sql, [*params, *flat, *tail]


def update_questions(
    *,
    attempt_id: int,
    set_sql: str,
    rows: list[tuple],
    casts: tuple[str | None, ...],
    params: tuple = (),
) -> None:
    """Run :func:`questions_update` for ``attempt_id`` (nothing for no rows)."""
    if not rows:
        return
    sql, values = questions_update(
        set_sql=set_sql, rows=rows, casts=casts, params=params, attempt_id=attempt_id
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


def insert_questions(*, attempt_id: int, rows: list[dict]) -> None:
    """Insert an attempt's served questions in one statement from one JSON list.

    Each row holds ``position``, ``section_index``, ``section_title``,
    ``question_id`` and ``snapshot``; the answer columns start empty. The list
    is encoded once and unpacked by the database (``bulk_create`` would build a
    model object per question and adapt each snapshot on its own).
    """
    if not rows:
        return
    table = connection.ops.quote_name(AttemptQuestion._meta.db_table)
    columns = (
        f"INSERT INTO {table} (attempt_id, position, section_index, section_title, "
        "question_id, snapshot, flagged) "
    )
    if connection.vendor == "postgresql":
        select = (
            "SELECT %s, x.position, x.section_index, x.section_title, "
            "x.question_id, x.snapshot, false "
            "FROM jsonb_to_recordset(CAST(%s AS jsonb)) AS x(position smallint, "
            "section_index smallint, section_title text, question_id bigint, "
            "snapshot jsonb)"
        )
    else:
        select = (
            "SELECT %s, json_extract(value, '$.position'), "
            "json_extract(value, '$.section_index'), "
            "json_extract(value, '$.section_title'), "
            "json_extract(value, '$.question_id'), "
            "json(json_extract(value, '$.snapshot')), 0 FROM json_each(%s)"
        )
    with connection.cursor() as cursor:
        cursor.execute(columns + select, [attempt_id, json.dumps(rows)])
