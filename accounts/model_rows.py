"""Model rows read and written by hand-written SQL, as the query builder would
read and write them.

On the busiest requests, building a query with the ORM costs more CPU than the
database takes to run it. A statement written once per process reads the
columns a :class:`Columns` names (``select``), and ``values`` or ``instance``
turns what it read into field values through the same converters the query
builder applies (SQLite gives dates as text, JSON columns are parsed): the
converters are looked up once per database connection, not on every row.

``insert_chain`` writes a row and the rows that name it (an attempt, its audit
event and its paper) in one statement on PostgreSQL, with the values a save
would write; ``insert_statement`` gives one row's insert for a statement of the
caller's (a submit's result and its audit event).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models

from .prepared import planned_cursor


def quoted(name: str) -> str:
    """A table or column name as the database's SQL names it."""
    return connection.ops.quote_name(name)


class Columns:
    """Some or all of ``model``'s concrete fields, by field name."""

    def __init__(self, model: type[models.Model], names: Iterable[str] = ()):
        meta = model._meta
        self.model = model
        self.fields = (
            [meta.get_field(name) for name in names]
            if names
            else list(meta.concrete_fields)
        )
        self.attnames = [field.attname for field in self.fields]
        self._converters: dict[str, list] = {}

    def __len__(self) -> int:
        return len(self.fields)

    def column(self, name: str) -> str:
        """Field ``name``'s column, quoted."""
        return connection.ops.quote_name(self.model._meta.get_field(name).column)

    def select(self, alias: str) -> str:
        """The columns as a ``SELECT`` list, each of table ``alias``."""
        quote = connection.ops.quote_name
        return ", ".join(f"{alias}.{quote(field.column)}" for field in self.fields)

    def _for(self, db) -> list:
        found = self._converters.get(db.alias)
        if found is None:
            found = []
            for field in self.fields:
                column = field.get_col(self.model._meta.db_table)
                converters = db.ops.get_db_converters(
                    column
                ) + column.get_db_converters(db)
                found.append((column, converters))
            self._converters[db.alias] = found
        return found

    def values(self, row: Sequence) -> dict:
        """``row`` (one value per column, in order) as field values by
        attribute name (``user_id``, not ``user``)."""
        converted = {}
        for attname, value, (column, converters) in zip(
            self.attnames, row, self._for(connection), strict=True
        ):
            for convert in converters:
                value = convert(value, column, connection)
            converted[attname] = value
        return converted

    def instance(self, row: Sequence) -> models.Model:
        """The model instance ``row`` is, as the database holds it (saved; the
        fields not named are deferred)."""
        values = self.values(row)
        # ``from_db`` takes the values in the model's field order.
        names = [
            field.attname
            for field in self.model._meta.concrete_fields
            if field.attname in values
        ]
        return self.model.from_db(
            connection.alias, names, [values[name] for name in names]
        )


# Field types whose value is an id written as text (an audit event's record id).
_TEXT = {"CharField", "TextField"}


def _insert_parts(instance: models.Model, skip: str | None) -> tuple[list, list]:
    """The quoted columns and the values an insert of ``instance`` writes, as a
    save would (``pre_save`` sets the dates added), without a primary key the
    database makes nor the field named ``skip``."""
    columns, params = [], []
    for field in instance._meta.concrete_fields:
        if field.name == skip or (field.primary_key and field.db_returning):
            continue
        value = field.pre_save(instance, add=True)
        columns.append(connection.ops.quote_name(field.column))
        params.append(field.get_db_prep_save(value, connection))
    return columns, params


def _is_text(field) -> bool:
    return field.get_internal_type() in _TEXT


def _link(instance: models.Model, link: str, pk) -> None:
    """Set ``instance``'s field ``link`` to ``pk`` (as text in a text field)."""
    field = instance._meta.get_field(link)
    setattr(instance, field.attname, str(pk) if _is_text(field) else pk)


def _made_by_database(meta) -> bool:
    return bool(meta.pk.db_returning)


def inserted(instance: models.Model, pk=None) -> None:
    """``instance`` as its save leaves it, once its insert ran (``pk``: the
    primary key the database gave, if it gave one)."""
    if pk is not None:
        instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias


def _values(count: int) -> str:
    return ", ".join(["%s"] * count)


def insert_chain(first: models.Model, *then: tuple[models.Model, str]) -> None:
    """Insert ``first``, then each instance of ``then`` with its field named
    there (a foreign key, or text that holds an id) set to ``first``'s new
    primary key: one statement on PostgreSQL (a ``WITH``), one each elsewhere.
    Each instance ends as a save leaves it (its primary key set, no longer
    adding) but without the model's signals: only for models nothing listens
    to. The caller is in a transaction."""
    quote = connection.ops.quote_name
    pk_column = quote(first._meta.pk.column)
    if connection.vendor != "postgresql":
        _insert_one(first)
        for instance, link in then:
            _link(instance, link, first.pk)
            _insert_one(instance)
        return
    sql, params = insert_statement(first)
    parts = [f"made AS ({sql} RETURNING {pk_column})"]
    # Names from the models, never from a request (as in every statement here).
    new_pk = f"(SELECT {pk_column} FROM made)"  # noqa: S608
    returned = [new_pk]
    for index, (instance, link) in enumerate(then):
        meta = instance._meta
        field = meta.get_field(link)
        these, values = _insert_parts(instance, link)
        key = new_pk
        if _is_text(field):
            key = f"(SELECT CAST({pk_column} AS text) FROM made)"  # noqa: S608
        returning = ""
        if _made_by_database(meta):
            returning = f" RETURNING {quote(meta.pk.column)}"
            returned.append(f"(SELECT {quote(meta.pk.column)} FROM then{index})")  # noqa: S608
        parts.append(
            f"then{index} AS (INSERT INTO {quote(meta.db_table)} "  # noqa: S608
            f"({', '.join([*these, quote(field.column)])}) "
            f"VALUES ({', '.join([*['%s'] * len(values), key])}){returning})"
        )
        params += values
    with planned_cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} SELECT {', '.join(returned)}", params)
        made = iter(cursor.fetchone())
    inserted(first, next(made))
    for instance, link in then:
        _link(instance, link, first.pk)
        inserted(instance, next(made) if _made_by_database(instance._meta) else None)


def insert_statement(instance: models.Model) -> tuple[str, list]:
    """The ``INSERT`` of ``instance`` a save would run, and its parameters, for
    a caller that runs it within a statement of its own (a ``WITH``); then
    :func:`inserted` with the primary key the database gave."""
    columns, params = _insert_parts(instance, None)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(instance._meta.db_table)} "  # noqa: S608
        f"({', '.join(columns)}) VALUES ({_values(len(params))})"
    )
    return sql, params


def _insert_one(instance: models.Model) -> None:
    sql, params = insert_statement(instance)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk = cursor.lastrowid if _made_by_database(instance._meta) else None
    inserted(instance, pk)
