"""Model rows read by hand-written SQL, made into values and instances as the
query builder would make them.

On the busiest requests, building a query with the ORM costs more CPU than the
database takes to run it. A statement written once per process reads the
columns a :class:`Columns` names (``select``), and ``values`` or ``instance``
turns what it read into field values through the same converters the query
builder applies (SQLite gives dates as text, JSON columns are parsed): the
converters are looked up once per database connection, not on every row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models


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
