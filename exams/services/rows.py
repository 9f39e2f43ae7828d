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

A start locks the learner's row and reads their accommodation on the exam and
their attempts at it in one statement (``lock_learner``), written once per
process: the query builder took longer to make its three queries than the
database took to run them. A submit and the sweep read the attempt with its
paper under the attempt's lock the same way (``locked_attempt``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models.sql import UpdateQuery

from accounts.api import (
    AuditEvent,
    Columns,
    insert_statement,
    inserted,
    json_dumps,
    planned_cursor,
    quoted,
)

from ..models import Accommodation, Attempt, AttemptPaper, AttemptStatus
from ..models.paper_reads import POSITION_LIMIT, PaperPage, page_select

# SQLite takes at most 127 arguments a function: positions are set in nested
# ``json_set`` calls of this many each.
_SQLITE_PAIRS = 60


def _merged(column: str, values: dict) -> tuple[str, list]:
    """``column`` with ``values`` (position -> JSON value) set in it."""
    name = quoted(column)
    if connection.vendor == "postgresql":
        return f"{name} || CAST(%s AS jsonb)", [json_dumps(values)]
    expression, params = name, []
    items = sorted(values.items())
    for start in range(0, len(items), _SQLITE_PAIRS):
        chunk = items[start : start + _SQLITE_PAIRS]
        expression = (
            f"json_set({expression}, {', '.join(['%s, json(%s)'] * len(chunk))})"
        )
        for key, value in chunk:
            params += [f'$."{key}"', json_dumps(value)]
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
            sets.append(f"{quoted(column)} = {expression}")
            params += values_params
    if not sets:
        return None
    table = quoted(AttemptPaper._meta.db_table)
    if source:
        where = f"FROM {source} WHERE {table}.attempt_id = {source}.id"
    else:
        where = "WHERE attempt_id = %s"
        params.append(attempt_id)
    return f"UPDATE {table} SET {', '.join(sets)} {where}", params  # noqa: S608 - names from code


def write_result(
    *,
    attempt: Attempt,
    points: dict,
    fields: tuple[str, ...] = (),
    event: AuditEvent | None = None,
) -> None:
    """Write the grading's ``points`` (position -> stored points) to the
    attempt's paper and, with them, the attempt's ``fields`` as they are set on
    ``attempt`` and the audit ``event`` that records it (not yet written): one
    statement on PostgreSQL, one each elsewhere. The caller holds the
    attempt's row lock."""
    table = quoted(AttemptPaper._meta.db_table)
    stored = AttemptPaper._meta.get_field("points").get_db_prep_save(points, connection)
    paper_sql = f"UPDATE {table} SET points = %s WHERE attempt_id = %s"  # noqa: S608
    paper_params = [stored, attempt.pk]
    update = None
    if fields:
        query = UpdateQuery(Attempt)
        query.add_update_values({name: getattr(attempt, name) for name in fields})
        query.add_filter("pk", attempt.pk)
        sql, params = query.get_compiler(connection=connection).as_sql()
        update = (sql, list(params))
    event_insert = None if event is None else insert_statement(event)
    with planned_cursor() as cursor:
        if connection.vendor == "postgresql" and update is not None:
            # The attempt's update is the statement; the paper's update and
            # the event's insert are its ``WITH`` queries.
            parts, params = [f"paper AS ({paper_sql})"], [*paper_params]
            returning = ""
            if event_insert is not None:
                event_pk = quoted(AuditEvent._meta.pk.column)
                parts.append(f"event AS ({event_insert[0]} RETURNING {event_pk})")
                params += event_insert[1]
                returning = f" RETURNING (SELECT {event_pk} FROM event)"  # noqa: S608
            cursor.execute(
                f"WITH {', '.join(parts)} {update[0]}{returning}",
                [*params, *update[1]],
            )
            if event is not None:
                inserted(event, cursor.fetchone()[0])
        else:
            cursor.execute(paper_sql, paper_params)
            if update is not None:
                cursor.execute(*update)
            if event is not None:
                cursor.execute(*event_insert)
                inserted(event, cursor.lastrowid)
    if Attempt.paper.is_cached(attempt) and hasattr(attempt, "paper"):
        attempt.paper.points = points  # the paper read with it says what is stored


# What a start reads with the learner's lock: their accommodation on the exam,
# and the newest of their attempts at it.
_AT_START_ACCOMMODATION = Columns(
    Accommodation, ("extra_time_percent", "extra_attempts", "extended_closes_at")
)
_AT_START_LAST_ATTEMPT = Columns(
    Attempt, ("id", "number", "status", "submitted_at", "graded_at", "deadline")
)


@dataclass(frozen=True)
class LearnerAtStart:
    """What a start reads under the learner's lock (:func:`lock_learner`)."""

    # Their accommodation on the exam (unsaved, with only what a start reads).
    accommodation: Accommodation | None
    # How many attempts they made at it, the newest (unsaved, with only
    # ``_AT_START_LAST_ATTEMPT``) and the one still open, if any.
    attempts: int
    last_attempt: Attempt | None
    open_attempt_id: int | None


@cache
def _lock_learner_sql(vendor: str, lock: str) -> str:
    learner, accommodation, attempt = (
        get_user_model()._meta,
        Accommodation._meta,
        Attempt._meta,
    )

    def column(meta, name: str) -> str:
        return quoted(meta.get_field(name).column)

    names = {
        "learners": quoted(learner.db_table),
        "learner_id": quoted(learner.pk.column),
        "accommodations": quoted(accommodation.db_table),
        "a_user": column(accommodation, "user"),
        "a_exam": column(accommodation, "exam"),
        "attempts": quoted(attempt.db_table),
        "user": column(attempt, "user"),
        "exam": column(attempt, "exam"),
        "id": column(attempt, "id"),
        "number": column(attempt, "number"),
        "status": column(attempt, "status"),
        "kept": _AT_START_ACCOMMODATION.select("a"),
        "last": _AT_START_LAST_ATTEMPT.select("t"),
    }
    # {x} is each table's alias: the learner's attempts at the exam.
    theirs = "{x}.{user} = u.{learner_id} AND {x}.{exam} = %(exam)s"
    # Names from the models, never from a request; the values are parameters.
    template = (
        "SELECT {kept}, "  # noqa: S608
        "(SELECT COUNT(*) FROM {attempts} c WHERE " + theirs.replace("{x}", "c") + "), "
        "(SELECT o.{id} FROM {attempts} o WHERE " + theirs.replace("{x}", "o") + " "
        "AND o.{status} = %(open)s), {last} "
        "FROM {learners} u "
        "LEFT JOIN {accommodations} a "
        "ON a.{a_user} = u.{learner_id} AND a.{a_exam} = %(exam)s "
        "LEFT JOIN {attempts} t ON " + theirs.replace("{x}", "t") + " "
        "AND t.{number} = (SELECT MAX(m.{number}) FROM {attempts} m WHERE "
        + theirs.replace("{x}", "m")
        + ") "
        "WHERE u.{learner_id} = %(learner)s"
    )
    return template.format(**names) + lock


def lock_learner(user, exam) -> LearnerAtStart:
    """Lock ``user``'s row (what serialises their starts) and read, in the same
    statement, what a start decides by: their accommodation on ``exam`` and
    their attempts at it. The caller is in a transaction."""
    lock = " FOR UPDATE OF u" if connection.features.has_select_for_update_of else ""
    params = {
        "exam": exam.pk,
        "learner": user.pk,
        "open": AttemptStatus.IN_PROGRESS.value,
    }
    with planned_cursor() as cursor:
        cursor.execute(_lock_learner_sql(connection.vendor, lock), params)
        row = cursor.fetchone()
    if row is None:  # no such person: nothing to lock, nothing made
        return LearnerAtStart(None, 0, None, None)
    split = len(_AT_START_ACCOMMODATION)
    kept, (attempts, open_id), last = (
        row[:split],
        row[split : split + 2],
        row[split + 2 :],
    )
    accommodation = (
        None
        if kept[0] is None  # (a percentage is never NULL)
        else Accommodation(
            user=user,
            exam=exam,
            **_AT_START_ACCOMMODATION.values(kept),
        )
    )
    last_attempt = (
        None
        if last[0] is None
        else Attempt(user=user, exam=exam, **_AT_START_LAST_ATTEMPT.values(last))
    )
    return LearnerAtStart(accommodation, attempts or 0, last_attempt, open_id)


# What a submit and the sweep read under the attempt's lock (the attempt and
# its paper: what they grade), and the exam page without it (the attempt and a
# page of its paper).
_ATTEMPT = Columns(Attempt)
_PAPER = Columns(AttemptPaper)
_LOOKUPS = {"pk": "id", "public_id": "public_id", "user": "user"}


@cache
def _locked_attempt_sql(vendor: str, by: tuple[str, ...]) -> str:
    features = connection.features
    lock = (
        " FOR UPDATE OF a"
        if features.has_select_for_update_of
        else " FOR UPDATE"
        if features.has_select_for_update
        else ""
    )
    where = " AND ".join(f"a.{_ATTEMPT.column(_LOOKUPS[name])} = %s" for name in by)
    attempts, papers = Attempt._meta.db_table, AttemptPaper._meta.db_table
    # Names from the models, never from a request; the values are parameters.
    return (
        f"SELECT {_ATTEMPT.select('a')}, {_PAPER.select('p')} "  # noqa: S608
        f"FROM {quoted(attempts)} a LEFT JOIN {quoted(papers)} p "
        f"ON p.{_PAPER.column('attempt')} = a.{_ATTEMPT.column('id')} "
        f"WHERE {where}{lock}"
    )


@cache
def _attempt_with_page_sql(vendor: str) -> str:
    attempts, papers = Attempt._meta.db_table, AttemptPaper._meta.db_table
    per_page = f"a.{_ATTEMPT.column('questions_per_page')}"
    # Names from the models, never from a request; the values are parameters.
    return (
        f"SELECT {_ATTEMPT.select('a')}, "  # noqa: S608
        f"{page_select(vendor, 'p', per_page)} "
        f"FROM {quoted(attempts)} a LEFT JOIN {quoted(papers)} p "
        f"ON p.{_PAPER.column('attempt')} = a.{_ATTEMPT.column('id')} "
        f"WHERE a.{_ATTEMPT.column('public_id')} = %(public_id)s "
        f"AND a.{_ATTEMPT.column('user')} = %(user)s"
    )


def attempt_with_page(
    *, public_id, user, page: int | None
) -> tuple[Attempt, PaperPage] | None:
    """``user``'s attempt ``public_id`` with one page of its paper
    (:class:`PaperPage`: that page's questions, and each question's type,
    answer and flag), in one statement; None when they have no such attempt.
    What the exam page shows: its page, and how many are answered and flagged,
    without the paper's other questions. ``page`` None: no page's questions,
    only the types, answers and flags (what the review before a submit
    counts)."""
    # Page 0 picks no question (positions start at 1).
    page = 0 if page is None else min(max(1, page), POSITION_LIMIT)
    field = Attempt._meta.get_field("public_id")
    params = {
        "public_id": field.get_db_prep_value(public_id, connection),
        "user": user.pk,
        "page": page,
    }
    with planned_cursor() as cursor:
        cursor.execute(_attempt_with_page_sql(connection.vendor), params)
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(_ATTEMPT)
    attempt = _ATTEMPT.instance(row[:split])
    return attempt, PaperPage.from_row(attempt.pk, page, row[split:])


def locked_attempt(**lookup) -> Attempt | None:
    """The attempt ``lookup`` names (``pk``, or ``public_id`` and ``user``),
    under its row lock, with its paper read in the same statement; None when
    there is none. The caller is in a transaction."""
    by = tuple(sorted(lookup))
    params = []
    for name in by:
        value = lookup[name]
        if name == "user":
            value = value.pk
        field = Attempt._meta.get_field(_LOOKUPS[name])
        params.append(field.get_db_prep_value(value, connection))
    with planned_cursor() as cursor:
        cursor.execute(_locked_attempt_sql(connection.vendor, by), params)
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(_ATTEMPT)
    attempt = _ATTEMPT.instance(row[:split])
    paper = None if row[split] is None else _PAPER.instance(row[split:])
    # As ``select_related("paper")`` leaves them: each knows the other.
    Attempt.paper.related.set_cached_value(attempt, paper)
    if paper is not None:
        AttemptPaper.attempt.field.set_cached_value(paper, attempt)
    return attempt
