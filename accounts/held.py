"""What a process holds in its own memory under one generation number: parts
that are the same wherever they are read under that number, so a request asks
the cache only for what this process does not hold, and unpickles nothing.

:class:`HeldUnderNumber` holds the parts read or made under the newest number
it saw. A part of an older number is neither given nor held (a request that
read the number just before it advanced asks the cache), and a newer one lets
go of them all. Each part is given for ``held_for`` seconds at most, which
bounds how long a change whose number could not be advanced (the cache was down
just then) goes unseen; past ``bound`` parts, all are let go. What is held is
shared by every request of the process: a caller reads a part, never changes
it.

Courses hold their shared parts under the content version
(``courses.content_version``); exams hold their question pools under the
blueprints' number (``exams.pools``).
"""

from __future__ import annotations

import time


class HeldUnderNumber:
    """The parts this process read or made under one number, the newest it
    saw. A number held for longer than ``held_for`` gives way to any other:
    while the cache is down each request reads a number from the clock, far
    above the one the cache gives again once it is back."""

    def __init__(self, *, bound: int, held_for: float) -> None:
        self.bound = bound
        self.held_for = held_for
        self.version: int | None = None
        self.since = 0.0
        self.parts: dict[str, tuple[float, object]] = {}

    def get(self, version: int, key: str):
        """The part held as ``key`` under ``version``; None when not held."""
        if version != self.version:
            return None
        held = self.parts.get(key)
        if held is None or held[0] < time.monotonic():
            return None
        return held[1]

    def hold(self, version: int, parts: dict[str, object]) -> None:
        now = time.monotonic()
        if version != self.version and (
            self.version is None
            or version > self.version
            or now > self.since + self.held_for
        ):
            self.version, self.since, self.parts = version, now, {}
        if version != self.version or not parts:
            return
        if len(self.parts) + len(parts) > self.bound:
            self.parts = {}
        until = now + self.held_for
        self.parts.update((key, (until, part)) for key, part in parts.items())

    def clear(self) -> None:
        self.version, self.since, self.parts = None, 0.0, {}
