"""One statement for many question rows of one attempt.

Django's ``bulk_update`` builds a ``CASE WHEN id = … THEN …`` expression per
column and row, which costs more Python than the rest of a save or a submit. The
hot paths write their rows with one ``UPDATE … FROM (VALUES …)`` instead, on
PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from django.db import connection

from ..models import AttemptQuestion


def update_questions(
    *,
    attempt_id: int,
    set_sql: str,
    rows: list[tuple],
    casts: tuple[str | None, ...],
    params: tuple = (),
) -> None:
    """Update the attempt's question rows named by position, in one statement.

    Each row of ``rows`` starts with the question's position; its values are
    ``v.column1`` (the position), ``v.column2``, … in ``set_sql``, whose own
    placeholders take ``params``. ``casts`` gives each value's SQL type on
    PostgreSQL (None: as sent), so a NULL or a JSON text is typed there.
    """
    if not rows:
        return
    table = connection.ops.quote_name(AttemptQuestion._meta.db_table)
    if connection.vendor == "postgresql":
        slots = [f"CAST(%s AS {cast})" if cast else "%s" for cast in casts]
    else:
        slots = ["%s"] * len(casts)
    row_sql = f"({', '.join(slots)})"
    values = ", ".join([row_sql] * len(rows))
    sql = (
        f"UPDATE {table} SET {set_sql} "  # noqa: S608 - names from code, values as parameters
        f"FROM (VALUES {values}) AS v "
        f"WHERE {table}.attempt_id = %s AND {table}.position = v.column1"
    )
    flat = [value for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *flat, attempt_id])
