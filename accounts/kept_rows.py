"""A few fields of rarely edited rows that busy paths read on every request (who
listens for webhooks, which learning record stores take statements), kept in
the shared cache until one of those rows changes.

Only the fields named are kept, never the rest of the row (signing secrets and
passwords stay in the database). The copy is kept under a generation number:
saving or deleting a row forgets it (:func:`~accounts.generations.forget`: at
once and again when the transaction commits, and the transaction that changed a
row keeps nothing it reads). A bulk ``update()`` sends
no signal: code that makes one calls :meth:`KeptRows.forget` itself. When the
cache is down, the rows are read from the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save

from .generations import forget, kept_key, kept_under
from .read_ahead import read_ahead

# However it was changed, a kept copy is read again at least this often.
TIMEOUT = 300


class KeptRows:
    """``fields`` of ``model``'s rows that match ``filters``, as dicts."""

    # Every one made: what a change's events read (read_ahead_kept_rows).
    made: list[KeptRows] = []

    def __init__(self, model, *, fields: tuple[str, ...], **filters) -> None:
        self.model = model
        self.fields = fields
        self.filters = filters
        shape = ",".join(fields) + "|" + repr(sorted(filters.items()))
        digest = hashlib.sha256(shape.encode()).hexdigest()[:16]
        self.key = f"kept-rows:{model._meta.label_lower}:{digest}"
        self.generation_key = f"{self.key}:generation"
        for signal in (post_save, post_delete):
            signal.connect(
                self._changed,
                sender=model,
                weak=False,
                dispatch_uid=f"{self.key}:{signal is post_save}",
            )
        KeptRows.made.append(self)

    def rows(self) -> list[dict]:
        return kept_under(self.key, [self.generation_key], self._read, timeout=TIMEOUT)

    def forget(self) -> None:
        """A row changed: no copy kept so far is read again (now, and after the
        transaction commits)."""
        forget(self.generation_key)

    def _read(self) -> list[dict]:
        return list(
            self.model._default_manager.filter(**self.filters)
            .order_by("pk")
            .values(*self.fields)
        )

    def _changed(self, **kwargs) -> None:
        self.forget()


def read_ahead_kept_rows(session, numbers: Iterable[str] = ()) -> None:
    """Every kept copy of rows read ahead, with ``session``'s data and the
    caller's other ``numbers``: a change whose events go out (a submit:
    webhooks, learning record stores) reads them after its commit; two cache
    reads instead of two for each."""
    made = KeptRows.made
    read_ahead(
        None,
        numbers=[*numbers, *(rows.generation_key for rows in made)],
        also=lambda: [kept_key(rows.key, [rows.generation_key]) for rows in made],
        session=session,
    )
