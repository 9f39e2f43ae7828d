"""Reading ahead what a signed-in person's page will read from the cache: two
reads at the start of the request instead of one for each part as the page is
made (a dashboard made eighteen, each a round trip it waited for).

Each app registers what its parts read for a person (:func:`register`): the
generation numbers their copies are kept under, and the keys of those copies,
built from the numbers. :func:`read_ahead` reads every number in one read
(remembered for the request, as :func:`~accounts.generations.generations`
does) and then every copy, and whatever else the caller names, in a second.
Each part still asks for its copy as before and gets it from what was read
ahead, once (:func:`~accounts.generations.kept_entry`); what was not kept is
made and kept as before. Nothing is decided by what is read ahead that the
part would not have read itself: the same keys, a few milliseconds earlier.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .generations import generations, read_along

# Each: the numbers a person's page parts are kept under.
_NUMBERS: list[Callable[[int], Iterable[str]]] = []
# Each: the keys of the person's kept copies, once the numbers are known (None
# for a copy that would not be read).
_ENTRIES: list[Callable[[int], Iterable[str | None]]] = []


def register(
    *,
    numbers: Callable[[int], Iterable[str]] | None = None,
    entries: Callable[[int], Iterable[str | None]] | None = None,
) -> None:
    """What a signed-in page reads for the person whose id it is given."""
    if numbers is not None and numbers not in _NUMBERS:
        _NUMBERS.append(numbers)
    if entries is not None and entries not in _ENTRIES:
        _ENTRIES.append(entries)


def read_ahead(
    person_id: int,
    *,
    numbers: Iterable[str] = (),
    also: Callable[[], Iterable[str]] | None = None,
) -> None:
    """Read the registered numbers and ``numbers`` in one cache read, then the
    registered copies of ``person_id`` and the keys ``also`` names (it is called
    once the numbers are known) in another. Inside a request only; the cache
    being down is left for each part to meet as it does without this."""
    names = [*numbers, *(name for each in _NUMBERS for name in each(person_id))]
    try:
        generations(dict.fromkeys(names))
        keys = [key for each in _ENTRIES for key in each(person_id) if key]
        if also is not None:
            keys.extend(also())
        read_along(list(dict.fromkeys(keys)))
    except Exception:  # noqa: BLE001 - an aid: each part reads for itself
        return
