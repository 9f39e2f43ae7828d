"""A JSON column written and read with orjson: for large values on a hot path.

``models.JSONField`` writes and reads with the standard library's ``json``. An
attempt's paper (its eighty frozen questions, about 30 KB) took a millisecond
of a start's CPU to dump and a good part of the exam page's to load; orjson
does the same in a tenth of the time. The column, its lookups and what it
holds are the same: only the text differs in spacing and in writing non-ASCII
characters as they are (both are the same JSON value).

Only for plain values: str, int, float, bool, None, lists and dicts (keys that
are not strings are written as strings, as ``json`` does). There is no encoder
or decoder.
"""

from __future__ import annotations

import orjson
from django.db import models
from django.db.models.fields.json import KeyTransform

_OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps(value) -> str:
    """``value`` as JSON text, as :class:`FastJSONField` writes it."""
    return orjson.dumps(value, option=_OPTIONS).decode()


def loads(text: str | bytes):
    """The value of JSON ``text``, as :class:`FastJSONField` reads it."""
    return orjson.loads(text)


def _dumps_bytes(value) -> bytes:
    return orjson.dumps(value, option=_OPTIONS)


class FastJSONField(models.JSONField):
    """``models.JSONField`` dumped and loaded by orjson (see the module)."""

    def __init__(self, *args, **kwargs):
        if kwargs.get("encoder") or kwargs.get("decoder"):
            raise TypeError("FastJSONField takes no encoder or decoder.")
        super().__init__(*args, **kwargs)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            return Jsonb(value, dumps=_dumps_bytes)
        if connection.vendor == "sqlite":
            return dumps(value)
        return super().get_db_prep_value(value, connection, prepared=True)

    def from_db_value(self, value, expression, connection):
        # As ``JSONField.from_db_value``: a key read out by the database may
        # come as that key's SQL value, and text that is not JSON as it is.
        if value is None or (
            isinstance(expression, KeyTransform) and not isinstance(value, str)
        ):
            return value
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return value
