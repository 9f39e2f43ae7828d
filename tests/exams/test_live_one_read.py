"""A poll, and a save of a kept page, read the cache once: the session's data,
the attempt's state, its closed mark, the owner's token and the page, together.

Every check of the kept path still holds on that one read (the session's person
and hash, the owner's token, the closed mark); whatever the read cannot settle
(a session not in the cache, an attempt this process has not seen) costs one
more read, never a wrong answer.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams import live, services
from tests.cache_reads import CacheReads
from tests.exams.save_support import short_answer_exam

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cached_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def sitting(client, learner):
    client.force_login(learner)
    attempt = services.start_attempt(user=learner, exam=short_answer_exam())
    return (
        attempt,
        reverse("exams:status", args=[attempt.public_id]),
        reverse("exams:save", args=[attempt.public_id]),
    )


def poll(client, url):
    with CacheReads() as cache_calls, CaptureQueriesContext(connection) as queries:
        body = client.get(url).json()
    return body, cache_calls, len(queries.captured_queries)


def test_a_poll_reads_the_cache_once_and_no_table(client, learner):
    attempt, status_url, _save_url = sitting(client, learner)
    client.get(status_url)  # the first poll keeps the state

    body, cache_calls, queries = poll(client, status_url)

    assert body["status"] == "in_progress" and body["accepts_answers"] is True
    assert (cache_calls.reads, cache_calls.writes, queries) == (1, 0, 0)


def test_a_save_of_a_kept_page_reads_once_and_keeps_the_new_sequence(client, learner):
    attempt, status_url, save_url = sitting(client, learner)
    client.post(save_url, {"seq": 1, "page": 2, "q5": "five"})  # keeps state and page

    with CacheReads() as cache_calls:
        saved = client.post(save_url, {"seq": 2, "page": 2, "q5": "five, again"})

    assert saved.json()["applied"] is True
    # One read (session, state, token, page), one write (the state's sequence).
    assert (cache_calls.reads, cache_calls.writes) == (1, 1)
    assert poll(client, status_url)[0]["seq"] == 2
    assert attempt.served_questions()[4].response == {"text": "five, again"}


def test_a_process_that_has_not_seen_the_attempt_reads_the_token_after(client, learner):
    attempt, status_url, _save_url = sitting(client, learner)
    client.get(status_url)
    live._OWNERS.clear()  # as in another process, or after the bound emptied it

    first = poll(client, status_url)
    second = poll(client, status_url)

    assert first[0]["status"] == second[0]["status"] == "in_progress"
    assert (first[1].reads, first[2]) == (2, 0)
    assert (second[1].reads, second[2]) == (1, 0)


def test_a_wrong_owner_remembered_never_lends_its_token(client, learner, user_factory):
    """The token read must be the owner's: another person's token, even one
    equal to the token the state was kept under, does not keep answering for an
    owner whose token was dropped."""
    other = user_factory()
    attempt, status_url, _save_url = sitting(client, learner)
    client.get(status_url)
    kept_under = live.person_token(_session_of(learner))
    cache.set(live._person_key(other.pk), kept_under)
    live._OWNERS.remember(str(attempt.public_id), other.pk)
    live.forget_person(learner.pk)  # e.g. a new password on another device

    assert live.for_session(client.session, attempt.public_id) is None
    # The poll goes to the database, which still answers the owner.
    assert client.get(status_url).json()["status"] == "in_progress"


def _session_of(user):
    return {SESSION_KEY: str(user.pk)}


def test_a_session_not_in_the_cache_is_read_from_the_database(client, learner):
    attempt, status_url, _save_url = sitting(client, learner)
    client.get(status_url)
    cache.delete(client.session.cache_key)  # evicted; the database still has it

    body, _cache_calls, queries = poll(client, status_url)

    assert body["status"] == "in_progress"
    assert queries == 1  # the session's row, as Django reads it
    assert poll(client, status_url)[2] == 0  # and it is in the cache again


def test_after_signing_out_the_kept_state_answers_nobody(client, learner):
    attempt, status_url, save_url = sitting(client, learner)
    client.post(save_url, {"seq": 1, "page": 1, "q1": "one"})
    client.logout()

    polled = client.get(status_url)
    saved = client.post(save_url, {"seq": 2, "page": 1, "q1": "two"})

    assert polled.status_code == saved.status_code == 302
    assert "/accounts/login/" in saved["Location"]
    assert attempt.served_questions()[0].response == {"text": "one"}


@pytest.mark.parametrize("cookie", ["x", "../../etc", "a" * 300, "é" * 40])
def test_a_made_up_session_cookie_is_no_one(client, learner, cookie):
    attempt, status_url, save_url = sitting(client, learner)
    client.get(status_url)
    client.cookies["sessionid"] = cookie

    assert client.get(status_url).status_code == 302
    assert client.post(save_url, {"seq": 2, "page": 1, "q1": "x"}).status_code == 302
    assert attempt.served_questions()[0].response is None
