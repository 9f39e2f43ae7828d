"""The exam page's poll answered from the attempt's cached state: no database
read once the state is kept (the session from a cached session store), the same
answer as the database path, the newest save's sequence, the closed status after
a submit or the sweep, and nothing for anyone but the signed-in owner."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import HASH_SESSION_KEY

from exams import services
from exams.models import AttemptStatus
from tests.factories import make_exam

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cached_sessions(settings):
    # The production session store: the session is read from the cache.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def urls(attempt) -> dict:
    base = f"/exams/attempts/{attempt.public_id}/"
    return {"status": base + "status/", "save": base + "save/"}


@pytest.fixture
def exam_of():
    def make(count):
        return make_exam(count=count, time_limit_minutes=30)

    return make


def started(client, learner, exam):
    client.force_login(learner)
    return services.start_attempt(user=learner, exam=exam)


@pytest.mark.parametrize("length", [5, 40])
def test_a_kept_state_answers_the_poll_without_the_database(
    client, learner, exam_of, django_assert_num_queries, length
):
    attempt = started(client, learner, exam_of(length))
    first = client.get(urls(attempt)["status"]).json()  # from the database

    with django_assert_num_queries(0):
        second = client.get(urls(attempt)["status"]).json()

    assert second["status"] == first["status"] == AttemptStatus.IN_PROGRESS
    assert second["accepts_answers"] is True and second["seq"] == first["seq"] == 0
    assert 0 <= first["remaining_seconds"] - second["remaining_seconds"] <= 1
    assert 29 * 60 <= second["remaining_seconds"] <= 30 * 60


def test_the_poll_shows_the_newest_save_and_the_clock_without_the_database(
    client, learner, exam_of, django_assert_num_queries
):
    attempt = started(client, learner, exam_of(5))
    saved = client.post(urls(attempt)["save"], {"seq": 3, "page": 1, "flag1": "1"})
    assert saved.status_code == 200

    with django_assert_num_queries(0):
        status = client.get(urls(attempt)["status"]).json()
    assert status["seq"] == 3

    attempt.refresh_from_db()
    with time_machine.travel(attempt.deadline + timedelta(seconds=1), tick=False):
        late = client.get(urls(attempt)["status"]).json()
    assert late["remaining_seconds"] == 0
    assert late["accepts_answers"] == (
        attempt.cutoff >= attempt.deadline + timedelta(seconds=1)
    )


def test_a_submitted_attempt_is_polled_from_the_database(
    client, learner, exam_of, django_capture_on_commit_callbacks
):
    attempt = started(client, learner, exam_of(5))
    client.get(urls(attempt)["status"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/exams/attempts/{attempt.public_id}/submit/")

    status = client.get(urls(attempt)["status"]).json()
    assert status["status"] == AttemptStatus.GRADED
    assert status["accepts_answers"] is False


def test_the_sweep_drops_the_state_of_what_it_closes(
    client, learner, exam_of, django_capture_on_commit_callbacks
):
    attempt = started(client, learner, exam_of(5))
    client.get(urls(attempt)["status"])

    attempt.refresh_from_db()
    with (
        time_machine.travel(attempt.cutoff + timedelta(seconds=5), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.close_overdue_attempts() == 1
    status = client.get(urls(attempt)["status"]).json()

    assert status["status"] != AttemptStatus.IN_PROGRESS
    assert status["accepts_answers"] is False


def test_nobody_but_the_owner_reads_the_kept_state(
    client, learner, user_factory, exam_of
):
    attempt = started(client, learner, exam_of(5))
    client.get(urls(attempt)["status"])  # the owner's poll keeps the state

    other = user_factory()
    client.force_login(other)
    assert client.get(urls(attempt)["status"]).status_code == 404

    client.logout()
    anonymous = client.get(urls(attempt)["status"])
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_a_deactivated_person_is_not_answered(client, learner, exam_of):
    attempt = started(client, learner, exam_of(5))
    client.get(urls(attempt)["status"])

    learner.is_active = False
    learner.save()

    response = client.get(urls(attempt)["status"])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_signing_in_again_keeps_the_state(
    client, learner, exam_of, django_assert_num_queries
):
    attempt = started(client, learner, exam_of(5))
    client.get(urls(attempt)["status"])

    learner.save(update_fields=["last_login"])

    with django_assert_num_queries(0):
        assert client.get(urls(attempt)["status"]).status_code == 200


def test_a_session_the_password_change_ended_is_not_answered(client, learner, exam_of):
    attempt = started(client, learner, exam_of(5))
    client.get(urls(attempt)["status"])

    learner.set_password("a-new-password-123")
    learner.save()
    session = client.session
    assert session[HASH_SESSION_KEY] != learner.get_session_auth_hash()

    response = client.get(urls(attempt)["status"])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
