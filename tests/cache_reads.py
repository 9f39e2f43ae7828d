"""Counting a block's round trips to the shared cache."""

from unittest import mock

from django.core.cache import cache


class CacheReads:
    """The cache's reads and writes during a block, by kind: each a round trip
    to a shared cache (a ``get_many`` made of ``get`` calls counts once)."""

    def __init__(self):
        self.calls: list[str] = []
        self._depth = 0

    def __enter__(self):
        self._patches = [
            mock.patch.object(cache, name, side_effect=self._counted(name))
            for name in ("get", "get_many", "set")
        ]
        for patch in self._patches:
            patch.start()
        return self

    def _counted(self, name):
        original = getattr(cache, name)

        def call(*args, **kwargs):
            if not self._depth:
                self.calls.append(name)
            self._depth += 1
            try:
                return original(*args, **kwargs)
            finally:
                self._depth -= 1

        return call

    def __exit__(self, *exc):
        for patch in reversed(self._patches):
            patch.stop()

    @property
    def reads(self) -> int:
        return sum(name in ("get", "get_many") for name in self.calls)

    @property
    def writes(self) -> int:
        return self.calls.count("set")
