"""An autosave on a real Redis, through django-redis as the deployed site uses
it: the first save of a page reads the cache once and writes once (the
attempt's newer state and the page's questions in one pipeline), and the next
save of that page finds the page kept."""

import pytest
from django.test import Client
from django.urls import reverse

from exams import services
from tests.factories import make_bank, make_exam

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
    exam = make_exam(
        bank=make_bank(questions=30, types=("short_answer",)),
        count=30,
        questions_per_page=10,
    )
    learner = user_factory()
    attempt = services.start_attempt(user=learner, exam=exam)
    client = Client()
    client.force_login(learner)
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
