"""One statement writes what a save carries into the attempt's paper, and one
writes a submit's result with its points.

An attempt's questions and answers are one row (``AttemptPaper``): its answers,
answer times and flags are JSON objects keyed by the question's position. A save
merges the positions it carries into them in the database, so every position it
does not carry keeps what the row holds when the statement runs (under the
attempt's row lock), never a copy read before a concurrent save committed.

PostgreSQL merges with ``jsonb || jsonb``; SQLite sets each position with
``json_set`` (not ``json_patch``, which would merge an answer's own keys into
the one it replaces and drop a blanked answer's key).

A submit writes the attempt's result and the paper's points together
(``write_result``): on PostgreSQL the paper's update is a ``WITH`` query of the
attempt's.

A start locks the learner's row and reads their accommodation on the exam in
one statement (``lock_learner``), written once per process: the query builder
took longer to make it than the database to run it.
"""

from __future__ import annotations

import json
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.sql import UpdateQuery

from ..models import Accommodation, Attempt, AttemptPaper

# SQLite takes at most 127 arguments a function: positions are set in nested
# ``json_set`` calls of this many each.
_SQLITE_PAIRS = 60


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _merged(column: str, values: dict) -> tuple[str, list]:
    """``column`` with ``values`` (position -> JSON value) set in it."""
    name = _quote(column)
    if connection.vendor == "postgresql":
        return f"{name} || CAST(%s AS jsonb)", [json.dumps(values)]
    expression, params = name, []
    items = sorted(values.items())
    for start in range(0, len(items), _SQLITE_PAIRS):
        chunk = items[start : start + _SQLITE_PAIRS]
        expression = (
            f"json_set({expression}, {', '.join(['%s, json(%s)'] * len(chunk))})"
        )
        for key, value in chunk:
            params += [f'$."{key}"', json.dumps(value)]
    return expression, params


def paper_update(
    columns: dict[str, dict], *, attempt_id: int | None = None, source: str = ""
) -> tuple[str, list] | None:
    """The statement that merges ``columns`` (column -> {position: value}) into
    the attempt's paper, and its parameters, without running it; None when
    there is nothing to write. The attempt is ``attempt_id``, or the one row of
    ``source``: the name of a query of the same statement (a ``WITH``) whose
    ``id`` column names it."""
    sets, params = [], []
    for column, values in columns.items():
        if values:
            expression, values_params = _merged(column, values)
            sets.append(f"{_quote(column)} = {expression}")
            params += values_params
    if not sets:
        return None
    table = _quote(AttemptPaper._meta.db_table)
    if source:
        where = f"FROM {source} WHERE {table}.attempt_id = {source}.id"
    else:
        where = "WHERE attempt_id = %s"
        params.append(attempt_id)
    return f"UPDATE {table} SET {', '.join(sets)} {where}", params  # noqa: S608 - names from code


def write_result(
    *, attempt: Attempt, points: dict, fields: tuple[str, ...] = ()
) -> None:
    """Write the grading's ``points`` (position -> stored points) to the
    attempt's paper and, with them, the attempt's ``fields`` as they are set on
    ``attempt``: one statement on PostgreSQL, two elsewhere. The caller holds
    the attempt's row lock."""
    table = _quote(AttemptPaper._meta.db_table)
    stored = AttemptPaper._meta.get_field("points").get_db_prep_save(points, connection)
    paper_sql = f"UPDATE {table} SET points = %s WHERE attempt_id = %s"  # noqa: S608
    statements = [(paper_sql, [stored, attempt.pk])]
    if fields:
        query = UpdateQuery(Attempt)
        query.add_update_values({name: getattr(attempt, name) for name in fields})
        query.add_filter("pk", attempt.pk)
        sql, params = query.get_compiler(connection=connection).as_sql()
        if connection.vendor == "postgresql":
            statements = [
                (f"WITH paper AS ({paper_sql}) {sql}", [stored, attempt.pk, *params])
            ]
        else:
            statements.append((sql, list(params)))
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
    if Attempt.paper.is_cached(attempt) and hasattr(attempt, "paper"):
        attempt.paper.points = points  # the paper read with it says what is stored


# What a start reads of the learner's accommodation, with the learner's lock.
ACCOMMODATION_FIELDS = ("extra_time_percent", "extra_attempts", "extended_closes_at")


@cache
def _lock_learner_sql(vendor: str, lock: str) -> str:
    meta = Accommodation._meta
    learner = get_user_model()._meta
    columns = ", ".join(
        f"a.{_quote(meta.get_field(name).column)}" for name in ACCOMMODATION_FIELDS
    )
    return (
        f"SELECT {columns} FROM {_quote(learner.db_table)} u "  # noqa: S608 - names from code
        f"LEFT JOIN {_quote(meta.db_table)} a "
        f"ON a.{_quote(meta.get_field('user').column)} = u.{_quote(learner.pk.column)} "
        f"AND a.{_quote(meta.get_field('exam').column)} = %s "
        f"WHERE u.{_quote(learner.pk.column)} = %s{lock}"
    )


def lock_learner(user, exam) -> Accommodation | None:
    """Lock ``user``'s row (what serialises their starts) and read their
    accommodation on ``exam`` in the same statement: the accommodation, unsaved
    and with only what a start reads, or None. The caller is in a transaction."""
    lock = " FOR UPDATE OF u" if connection.features.has_select_for_update_of else ""
    with connection.cursor() as cursor:
        cursor.execute(_lock_learner_sql(connection.vendor, lock), [exam.pk, user.pk])
        row = cursor.fetchone()
    if row is None or row[0] is None:  # (a percentage is never NULL)
        return None
    values = dict(zip(ACCOMMODATION_FIELDS, row, strict=True))
    field = Accommodation._meta.get_field("extended_closes_at")
    column = field.get_col(Accommodation._meta.db_table)
    for convert in connection.ops.get_db_converters(column):
        values[field.name] = convert(values[field.name], column, connection)
    return Accommodation(user=user, exam=exam, **values)
