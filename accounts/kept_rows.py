"""A few fields of rarely edited rows that busy paths read on every request (who
listens for webhooks, which learning record stores take statements), kept in
the shared cache until one of those rows changes.

Only the fields named are kept, never the rest of the row (signing secrets and
passwords stay in the database). Saving or deleting a row forgets the kept
copy at once and again when the transaction commits, so a reader in another
process never keeps the copy from before the commit. A bulk ``update()``
sends no signal: code that makes one calls :meth:`KeptRows.forget` itself.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

# However it was changed, a kept copy is read again at least this often.
TIMEOUT = 300


class KeptRows:
    """``fields`` of ``model``'s rows that match ``filters``, as dicts."""

    def __init__(self, model, *, fields: tuple[str, ...], **filters) -> None:
        self.model = model
        self.fields = fields
        self.filters = filters
        self.key = f"kept-rows:{model._meta.label_lower}:{','.join(fields)}"
        for signal in (post_save, post_delete):
            signal.connect(
                self._changed,
                sender=model,
                weak=False,
                dispatch_uid=f"{self.key}:{signal is post_save}",
            )

    def rows(self) -> list[dict]:
        kept = cache.get(self.key)
        if kept is None:
            kept = list(
                self.model._default_manager.filter(**self.filters)
                .order_by("pk")
                .values(*self.fields)
            )
            cache.set(self.key, kept, TIMEOUT)
        return kept

    def forget(self) -> None:
        cache.delete(self.key)
        transaction.on_commit(lambda: cache.delete(self.key))

    def _changed(self, **kwargs) -> None:
        self.forget()
