"""An autosave on a real Redis, through django-redis as the deployed site uses
it: the first save of a page reads the cache once and writes once (the
attempt's newer state and the page's questions in one pipeline), and the next
save of that page finds the page kept."""

import pytest
from django.urls import reverse

from tests.exams.save_support import signed_in_sitting

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def redis_cache(settings, scratch_redis):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": scratch_redis,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_a_pages_first_save_reads_once_and_writes_once(
    redis_cache, round_trips, user_factory
):
    client, attempt = signed_in_sitting(user_factory, 30)
    client.get(reverse("exams:status", args=[attempt.public_id]))  # keeps the state
    save = reverse("exams:save", args=[attempt.public_id])
    round_trips.clear()

    first = client.post(save, {"seq": 1, "page": 2, "q12": "twelve"})

    assert first.json()["applied"] is True
    assert round_trips == ["MGET", "pipeline of 2"], round_trips
    round_trips.clear()
    again = client.post(save, {"seq": 2, "page": 2, "q12": "twelve again"})
    assert again.json()["seq"] == 2
    # The page was kept: read with the state, and only the state written.
    assert round_trips == ["MGET", "pipeline of 1"], round_trips
    poll = client.get(reverse("exams:status", args=[attempt.public_id])).json()
    assert poll["seq"] == 2
    answers = attempt.served_questions([12])
    assert answers[0].response == {"text": "twelve again"}


def test_a_learners_first_save_keeps_the_state_and_the_page_together(
    redis_cache, round_trips, user_factory
):
    """No state kept yet (no poll, no save): the save goes the database path,
    and keeps what it read for the next one in one write."""
    client, attempt = signed_in_sitting(user_factory, 20)
    save = reverse("exams:save", args=[attempt.public_id])
    round_trips.clear()

    first = client.post(save, {"seq": 1, "page": 2, "q15": "fifteen"})

    assert first.json()["applied"] is True
    # The session with what is kept of the attempt (nothing yet); the person's
    # token, made (SET NX) and read back; then the state and the page at once.
    assert round_trips == ["MGET", "GET", "SET", "GET", "pipeline of 2"]
    round_trips.clear()
    client.post(save, {"seq": 2, "page": 2, "q15": "fifteen again"})
    # The state and the page were both kept: one read, then the state.
    assert round_trips == ["MGET", "pipeline of 1"], round_trips
