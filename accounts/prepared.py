"""Small reads whose SQL the query builder writes once per process.

A person's first page runs a few small reads (their role names, whether they
manage anyone, their unread notices). Each costs the query builder more CPU to
write (about 0.5 ms) than the database takes to run it. A :class:`Prepared`
read is still written with the ORM, in the one place its rule lives; its
statement is built once per database connection with marker values in place of
the parameters, and later runs put the real values where the markers were.

Only for reads of values (``values_list``): the rows come back as the database
gives them, without the query builder's converters, so each column is one whose
value needs none (text, integers, ids), or the caller turns the row into an
instance with :class:`~accounts.model_rows.Columns`, which applies them.

:func:`planned_cursor` is the database's half of the same saving: on
PostgreSQL, a statement run through it is parsed and planned once per
connection (a prepared statement) and only bound and run after that. Exam day's
autosave spent a third of its database CPU planning the same statement again.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import count

from django.conf import settings
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import QuerySet

# Marker values no real parameter takes (below any id or count).
_MARKERS = count(-7_310_000_001, -1)


class Prepared:
    def __init__(self, build: Callable[..., QuerySet], *, parameters: int = 1):
        """``build`` makes the read from its ``parameters`` values."""
        self.build = build
        self.markers = [next(_MARKERS) for _ in range(parameters)]
        self._statements: dict[str, tuple[str, tuple, list[int]]] = {}

    def _statement(self) -> tuple[str, tuple, list[int]]:
        made = self._statements.get(connection.alias)
        if made is None:
            sql, params = self.build(*self.markers).query.sql_with_params()
            places = []
            for marker in self.markers:
                found = [i for i, value in enumerate(params) if value == marker]
                if len(found) != 1:
                    raise ValueError(
                        f"each parameter must be used once by the read: {sql}"
                    )
                places.append(found[0])
            made = self._statements[connection.alias] = (sql, tuple(params), places)
        return made

    def rows(self, *values) -> list[tuple]:
        """The read's rows for ``values`` (one statement)."""
        sql, params, places = self._statement()
        filled = list(params)
        for place, value in zip(places, values, strict=True):
            filled[place] = value
        with planned_cursor() as cursor:
            cursor.execute(sql, filled)
            return cursor.fetchall()


def planned_cursor():
    """A cursor of the default connection, as ``connection.cursor()`` gives
    (the same checks, errors and query log), whose statements PostgreSQL
    prepares: parsed and planned on their first run on a connection, only bound
    and run after that. Its parameters travel apart from the statement
    (``%s`` placeholders, as everywhere). For statements the application runs
    over and over with the same text; elsewhere than on PostgreSQL, or with
    ``LMS_PREPARED_STATEMENTS`` off (behind a pooler that keeps no prepared
    statements), Django's own cursor."""
    cursor = connection.cursor()
    if connection.vendor != "postgresql" or not settings.LMS_PREPARED_STATEMENTS:
        return cursor
    # Django's cursor that sends its parameters apart from the statement, which
    # psycopg prepares (the connection's ``prepare_threshold``, set in settings).
    from django.db.backends.postgresql.base import ServerBindingCursor

    logged = isinstance(cursor, CursorDebugWrapper)
    cursor.close()
    wrapper = _LoggedPlannedCursor if logged else CursorWrapper
    return wrapper(ServerBindingCursor(connection.connection), connection)


class _LoggedPlannedCursor(CursorDebugWrapper):
    """Logs each statement with its values in place, as Django's own cursor
    does (Django reads that text back from a cursor that binds on the client)."""

    def execute(self, sql, params=None):
        shown = sql if params is None else self.db.ops.compose_sql(sql, params)
        with self.debug_sql(shown):
            return CursorWrapper.execute(self, sql, params)
