"""Parts kept under the content version are also held by the process that read
them: the same version gives the same part without asking the cache, a newer
version lets go of them all, and none is given for longer than HELD_FOR."""

from unittest import mock

import pytest
from django.core.cache import cache

from accounts import held
from courses import content_version
from courses.content_version import HELD, HELD_FOR, kept, kept_per_id
from tests.cache_reads import CacheReads

pytestmark = pytest.mark.django_db


class Maker:
    def __init__(self):
        self.calls = []

    def one(self):
        self.calls.append(None)
        return [f"part {len(self.calls)}"]

    def each(self, ids):
        self.calls.append(sorted(ids))
        return {pk: f"part {pk} ({len(self.calls)})" for pk in ids}


def test_a_held_part_is_given_without_a_cache_read():
    maker = Maker()
    version = content_version.content_version()
    assert kept("held:test", maker.one, version=version) == ["part 1"]
    with CacheReads() as reads:
        assert kept("held:test", maker.one, version=version) == ["part 1"]
        assert kept_per_id("held:each", [1, 2], maker.each, version=version) == {
            1: "part 1 (2)",
            2: "part 2 (2)",
        }
        assert kept_per_id("held:each", [2, 1], maker.each, version=version) == {
            1: "part 1 (2)",
            2: "part 2 (2)",
        }
    # One read for the two ids the first time, none for what was held.
    assert reads.reads == 1
    assert len(maker.calls) == 2


def test_only_what_is_not_held_is_read_from_the_cache():
    maker = Maker()
    version = content_version.content_version()
    kept_per_id("held:each", [1], maker.each, version=version)
    with CacheReads() as reads:
        parts = kept_per_id("held:each", [1, 2, 3], maker.each, version=version)
    assert parts == {1: "part 1 (1)", 2: "part 2 (2)", 3: "part 3 (2)"}
    assert maker.calls == [[1], [2, 3]]
    assert reads.reads == 1


def test_a_page_change_is_seen_at_once():
    maker = Maker()
    assert kept("held:test", maker.one) == ["part 1"]
    content_version.content_changed()
    assert kept("held:test", maker.one) == ["part 2"]
    # The part of the older version is let go of, not kept beside the new one.
    assert all(":" + str(HELD.version) in key for key in HELD.parts)


def test_a_request_that_read_an_older_number_asks_the_cache():
    """A request that read the number just before it advanced neither gets the
    newer part nor takes its place."""
    maker = Maker()
    older = content_version.content_version()
    content_version.content_changed()
    newer = content_version.content_version()
    assert kept("held:test", maker.one, version=newer) == ["part 1"]
    assert kept("held:test", maker.one, version=older) == ["part 2"]
    assert HELD.version == newer
    assert kept("held:test", maker.one, version=newer) == ["part 1"]
    assert len(maker.calls) == 2


def test_a_part_is_held_for_a_minute_at_most():
    """A change whose number was not advanced (the cache was down just then)
    shows once the cache's copy is gone and the process's has run out."""
    maker = Maker()
    version = content_version.content_version()
    now = 1000.0
    with mock.patch.object(held.time, "monotonic", lambda: now):
        assert kept("held:test", maker.one, version=version) == ["part 1"]
        cache.delete(content_version.key_under_version("held:test", version))
        now += HELD_FOR - 1
        assert kept("held:test", maker.one, version=version) == ["part 1"]
        now += 2
        assert kept("held:test", maker.one, version=version) == ["part 2"]


def test_once_the_cache_is_back_the_process_holds_parts_again():
    """While the cache was down, numbers came from the clock: far above the one
    the cache gives again. A minute on, that one is held."""
    maker = Maker()
    version = content_version.content_version()
    now = 1000.0
    with mock.patch.object(held.time, "monotonic", lambda: now):
        HELD.hold(version + 10**12, {"held:other": "made while the cache was down"})
        assert kept("held:test", maker.one, version=version) == ["part 1"]
        assert (
            HELD.get(version, content_version.key_under_version("held:test", version))
            is None
        )
        now += HELD_FOR + 1
        kept("held:test", maker.one, version=version)
        with CacheReads() as reads:
            assert kept("held:test", maker.one, version=version) == ["part 1"]
    assert reads.reads == 0
    assert HELD.version == version


def test_past_its_bound_the_process_lets_go_of_every_part(monkeypatch):
    monkeypatch.setattr(HELD, "bound", 3)
    maker = Maker()
    version = content_version.content_version()
    kept_per_id("held:each", [1, 2, 3], maker.each, version=version)
    assert len(HELD.parts) == 3
    kept_per_id("held:each", [4], maker.each, version=version)
    assert list(HELD.parts) == [f"held:each:{version}:4"]
    # The cache still has the others: nothing is made again.
    assert kept_per_id("held:each", [1, 4], maker.each, version=version) == {
        1: "part 1 (1)",
        4: "part 4 (2)",
    }
    assert len(maker.calls) == 2
