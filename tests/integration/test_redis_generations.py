"""Generation numbers on a real Redis, through django-redis as the deployed site
uses it: a person's first page starts all their missing numbers in two round
trips, and a number another process started first is the one everybody reads."""

import pytest
from django_redis.cache import RedisCache

from accounts import generations

pytestmark = pytest.mark.integration


@pytest.fixture
def real_cache(monkeypatch, scratch_redis):
    real = RedisCache(
        scratch_redis,
        {"OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"}},
    )
    monkeypatch.setattr(generations, "cache", real)
    return real


def test_missing_numbers_start_together_in_two_round_trips(real_cache, round_trips):
    keys = [f"people:{n}" for n in range(5)]

    numbers = generations.start_numbers(keys)

    assert round_trips == ["pipeline of 5", "MGET"]
    assert set(numbers) == set(keys)
    assert numbers == real_cache.get_many(keys)
    # Started from the clock, never to expire.
    assert all(number > 1_700_000_000_000_000 for number in numbers.values())
    assert all(real_cache.ttl(key) is None for key in keys)


def test_a_number_another_process_started_first_is_kept(real_cache):
    real_cache.set("people:1", 42, None)

    numbers = generations.start_numbers(["people:1", "people:2"])

    assert numbers["people:1"] == 42
    assert real_cache.get("people:1") == 42
    assert numbers["people:2"] == real_cache.get("people:2") > 42


def test_generations_reads_held_numbers_and_starts_the_rest(real_cache, round_trips):
    real_cache.set("held", 7, None)
    round_trips.clear()

    with generations.remembered_per_request():
        numbers = generations.generations(["held", "new"])
        assert round_trips == ["MGET", "pipeline of 1", "MGET"]
        # Remembered for the request: asked again, the cache is not read.
        assert generations.generations(["held", "new"]) == numbers
        assert generations.generation("new") == numbers["new"]
    assert len(round_trips) == 3
    assert numbers["held"] == 7
    assert numbers["new"] == real_cache.get("new")


def test_a_number_advanced_after_it_started_moves_on(real_cache):
    [number] = generations.start_numbers(["content"]).values()

    generations.advance_generation("content")

    assert generations.generation("content") == number + 1


def test_a_requests_copies_are_kept_in_one_round_trip(real_cache, round_trips):
    with generations.remembered_per_request():
        for name in ("roles", "rows", "held"):
            generations.keep(f"copy:{name}:7", [name], 60)
        assert round_trips == []

    assert round_trips == ["pipeline of 3"]
    assert real_cache.get("copy:rows:7") == ["rows"]
    assert 0 < real_cache.ttl("copy:rows:7") <= 60
