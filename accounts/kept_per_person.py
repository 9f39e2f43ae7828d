"""Rows of one person that a busy page reads on every visit (their role names,
enrollments, certificates, assigned training), kept per person in the shared
cache instead of a query per visit: the one home of how such a copy is named,
kept and forgotten.

A copy is kept under the person's own generation number and any shared ones it
also depends on (the content version, everyone's roles). Whatever changes a
person's rows advances their number, at once and again when the change commits
(:func:`~accounts.generations.forget`); a transaction that changed them keeps
nothing it reads of them (:func:`~accounts.generations.kept_under`). Saves and
deletes are listened to (:meth:`KeptPerPerson.listen`); a bulk write sends no
signal, so a queryset that mixes in :class:`BulkWritesForget` names the people
its ``update`` and ``bulk_create`` touched. When the cache is down the rows are
read from the database. What decides reads the database, never a copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db.models.signals import post_delete, post_save

from .generations import forget, kept_key, kept_under, may_keep
from .read_ahead import register

Rows = TypeVar("Rows")

# Above this many people changed at once, everyone's number is advanced instead.
MANY = 50


class KeptPerPerson:
    def __init__(
        self,
        name: str,
        *,
        also_under: tuple[str, ...] = (),
        everyone: str | None = None,
        timeout: int = 600,
        read_ahead_on: tuple[str, ...] = (),
    ) -> None:
        """``name`` is a fixed name (never from a request); ``also_under`` the
        shared numbers a copy depends on; ``everyone`` the number that
        :meth:`changed` with no ids advances; ``timeout`` how long a copy is
        kept at most, however it was changed; ``read_ahead_on`` the pages that
        read it ahead (``accounts.read_ahead``)."""
        self.name = name
        self.everyone = everyone
        self.shared = [*also_under, *([everyone] if everyone else [])]
        self.timeout = timeout
        if read_ahead_on:
            register(on=read_ahead_on, numbers=self._numbers, entries=self._entries)

    def _key(self, person_id: int) -> str:
        return f"{self.name}:{person_id}"

    def _numbers(self, person_id: int) -> list[str]:
        return [*self.shared, self._key(person_id)]

    def _entries(self, person_id: int) -> list[str | None]:
        numbers = self._numbers(person_id)
        if not all(may_keep(number) for number in numbers):
            return [None]
        return [kept_key(self._key(person_id), numbers)]

    def kept(self, person_id: int, read: Callable[[], Rows]) -> Rows:
        """What ``read`` returns for the person (never None), kept: one cache read
        for the numbers and one for the copy (none when read ahead);
        ``read`` runs when not kept."""
        return kept_under(
            self._key(person_id),
            self._numbers(person_id),
            read,
            timeout=self.timeout,
        )

    def changed(self, person_ids: Iterable[int] | None = None) -> None:
        """The rows of ``person_ids`` (of everyone when None) changed: no copy
        kept so far is read again. More than :data:`MANY` people at once (an
        assignment to a whole organisation) advance everyone's number, where
        there is one, instead of each person's: one write instead of thousands."""
        if person_ids is None:
            if self.everyone is None:
                raise ValueError(
                    f"{self.name} has no number for everyone: name the people"
                )
            forget(self.everyone)
            return
        people = set(person_ids)
        if len(people) > MANY and self.everyone is not None:
            forget(self.everyone)
            return
        for person_id in people:
            forget(self._key(person_id))

    def listen(self, model, person_field: str = "person_id") -> None:
        """A save or delete of one of ``model``'s rows changes the rows of the
        person its ``person_field`` names."""
        self._connect(
            model,
            "row",
            lambda sender, instance, **kwargs: self.changed(
                [getattr(instance, person_field)]
            ),
        )

    def listen_to_everyone(self, model) -> None:
        """A save or delete of one of ``model``'s rows (a rule about many people)
        changes everyone's rows."""
        self._connect(model, "all", lambda sender, **kwargs: self.changed())

    def _connect(self, model, scope: str, receiver) -> None:
        for signal in (post_save, post_delete):
            signal.connect(
                receiver,
                sender=model,
                weak=False,
                dispatch_uid=f"{self.name}:{scope}:{model._meta.label}:{signal is post_save}",
            )


class BulkWritesForget:
    """A queryset mixin: ``update`` and ``bulk_create`` name the people whose
    rows they touched (``kept_per_person``, by ``person_field``)."""

    kept_per_person: KeptPerPerson
    person_field = "person_id"

    def update(self, **kwargs):
        touched = self._chain()
        touched.query.select_for_update = False  # a read of ids, not a lock
        people = set(touched.values_list(self.person_field, flat=True))
        count = super().update(**kwargs)
        # A row given to someone else changes their rows too.
        for name in (self.person_field, self.person_field.removesuffix("_id")):
            if name in kwargs:
                value = kwargs[name]
                people.add(getattr(value, "pk", value))
        self.kept_per_person.changed(people - {None})
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        self.kept_per_person.changed(getattr(o, self.person_field) for o in created)
        return created

    bulk_create.alters_data = True
