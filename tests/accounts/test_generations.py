"""Generation numbers in the cache (the content version among them): a number the
cache lost starts again above any it held, so nothing kept under an old number
is read again as current."""

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
