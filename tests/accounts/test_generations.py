"""Generation numbers in the cache (the content version among them): a number the
cache lost starts again above any it held, so nothing kept under an old number
is read again as current."""

import pytest
from django.core.cache import cache

from courses.api import content_version


def test_a_content_version_the_cache_lost_never_returns_to_an_old_number(db):
    """Everything kept is keyed by the version: if the cache drops the number
    (evicted, restarted) it must not start again at one a kept copy still has."""
    from accounts.api import advance_generation
    from courses.content_version import VERSION_KEY

    seen = [content_version()]
    for _ in range(3):
        advance_generation(VERSION_KEY)
        seen.append(content_version())
    assert seen == sorted(set(seen))

    cache.delete(VERSION_KEY)
    assert content_version() > max(seen)
    seen.append(content_version())

    cache.delete(VERSION_KEY)
    advance_generation(VERSION_KEY)  # advanced while lost
    assert content_version() > max(seen)


def _version_reads(monkeypatch) -> list[str]:
    """The cache reads of the content version from now on (a ``get_many`` that
    this cache makes of ``get`` calls counts once)."""
    from courses.content_version import VERSION_KEY

    reads = []
    get, get_many = cache.get, cache.get_many
    inside = []

    def counted_get(key, *args, **kwargs):
        if key == VERSION_KEY and not inside:
            reads.append(key)
        return get(key, *args, **kwargs)

    def counted_get_many(keys, *args, **kwargs):
        reads.extend(key for key in keys if key == VERSION_KEY)
        inside.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(cache, "get", counted_get)
    monkeypatch.setattr(cache, "get_many", counted_get_many)
    return reads


def test_a_request_reads_each_number_once(client, learner, monkeypatch):
    """The dashboard asks for the content version for each part it keeps (the
    paths, their steps, the courses, their lessons, the site, the rows): the
    cache is read once."""
    from tests.factories import make_course, site_tree

    site_tree()
    make_course(title="Gateway basics")
    client.force_login(learner)
    client.get("/dashboard/")  # keeps what it can
    reads = _version_reads(monkeypatch)

    assert client.get("/dashboard/").status_code == 200

    assert len(reads) == 1


def test_a_change_the_request_makes_itself_is_read_at_once(db):
    from accounts.generations import remembered_per_request
    from courses.api import content_changed

    with remembered_per_request():
        before = content_version()
        content_changed()
        assert content_version() > before


def test_another_processs_change_shows_from_the_next_request(db):
    """Within a request every part is of the version it first read; the next
    request (and anything outside one) reads the cache again."""
    from accounts.generations import remembered_per_request
    from courses.content_version import VERSION_KEY

    with remembered_per_request():
        first = content_version()
        cache.incr(VERSION_KEY)  # another process's change: the cache only
        assert content_version() == first
        with remembered_per_request():  # a request inside (the warm-up's)
            assert content_version() == first + 1
        assert content_version() == first
    assert content_version() == first + 1


def test_copies_a_request_keeps_are_written_together_when_it_ends(db):
    """In a request a copy is kept at its end, with the others (one write on
    Redis); asked for again in the request, it is given without a cache read;
    outside a request it is kept at once."""
    from accounts.generations import keep, kept_entry, remembered_per_request

    with remembered_per_request():
        keep("copy:a", ["a"], 60)
        keep("copy:b", ["b"], 60)
        assert cache.get_many(["copy:a", "copy:b"]) == {}
        assert kept_entry("copy:a") == ["a"]
        with remembered_per_request():  # a nested request keeps its own
            keep("copy:c", ["c"], 60)
        assert cache.get("copy:c") == ["c"]
        assert cache.get("copy:a") is None
    assert cache.get_many(["copy:a", "copy:b"]) == {"copy:a": ["a"], "copy:b": ["b"]}

    keep("copy:d", ["d"], 60)
    assert cache.get("copy:d") == ["d"]


def test_a_request_that_fails_still_keeps_what_it_read(db):
    from accounts.generations import keep, remembered_per_request

    try:
        with remembered_per_request():
            keep("copy:e", ["e"], 60)
            raise RuntimeError("the page failed after reading")
    except RuntimeError:
        pass

    assert cache.get("copy:e") == ["e"]


def test_the_cache_down_when_a_request_ends_loses_only_the_copies(
    db, monkeypatch, caplog
):
    from accounts.generations import keep, remembered_per_request

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    with remembered_per_request():
        keep("copy:f", ["f"], 60)
        monkeypatch.setattr(cache, "set", down)

    assert "1 copies not kept" in caplog.text
    monkeypatch.undo()
    assert cache.get("copy:f") is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_dashboard_keeps_what_it_read_and_the_next_reads_it(client, learner):
    """The first dashboard keeps each copy it read (at its end); the second
    reads them all from the cache: none of the learner's rows from the
    database. (Committed: a transaction that changed the learner keeps
    nothing of theirs.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_course, site_tree

    site_tree()
    make_course(title="Gateway basics")
    client.force_login(learner)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/dashboard/").status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get("/dashboard/").status_code == 200

    assert len(second) < len(first)
    assert not [q for q in second if "courses_enrollment" in q["sql"]]
    assert not [q for q in second if "certificates_certificate" in q["sql"]]
