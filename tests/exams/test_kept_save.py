"""An autosave from the attempt's kept state: no read, and nothing it may not do.

Once a save or a poll has kept the attempt's state, the next saves of a
free-navigation attempt go by it and by the page's kept questions. The
database still decides (owner, open, in time, newer sequence) in the save's
own update; whatever it refuses, or whatever is not kept, is answered by the
database path exactly as before.
"""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import HASH_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams import live, services
from exams.models import Attempt
from tests.exams.marking.support import practical_position
from tests.exams.save_support import a_save, short_answer_exam, writes
from tests.factories import (
    make_bank,
    make_exam,
    make_practical_exam,
    served_question,
    site_tree,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cached_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def sitting(client, learner, exam):
    client.force_login(learner)
    attempt = services.start_attempt(user=learner, exam=exam)
    return attempt, reverse("exams:save", args=[attempt.public_id])


def post(client, url, **data):
    """(the response, the SQL it ran, savepoints left out)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data)
    return response, [
        q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]
    ]


def reads(statements) -> list[str]:
    return [sql for sql in statements if sql.startswith("SELECT")]


def responses(attempt) -> dict:
    return {q.position: q.response for q in attempt.served_questions()}


def test_a_kept_save_reads_nothing_and_answers_as_the_database_path(client, learner):
    attempt, url = sitting(client, learner, short_answer_exam())
    first, _sql = post(client, url, seq=1, page=2, q5="five", q6="six")
    kept, statements = post(client, url, seq=2, page=2, q5="five", q7="seven")

    assert reads(statements) == []
    # The conditional update and the answers, and nothing else.
    assert writes(statements) == a_save() and len(statements) == len(a_save())
    one, two = first.json(), kept.json()
    assert set(one) == set(two)
    assert (two["ok"], two["applied"], two["seq"]) == (True, True, 2)
    assert two["answered_on_page"] == 2 == one["answered_on_page"]
    assert 0 <= one["remaining_seconds"] - two["remaining_seconds"] <= 1
    assert responses(attempt) == {
        1: None,
        2: None,
        3: None,
        4: None,
        5: {"text": "five"},
        6: None,  # cleared by the second save, which sent it blank
        7: {"text": "seven"},
        8: None,
    }
    # The poll sees the newest sequence, still without the database.
    with CaptureQueriesContext(connection) as captured:
        poll = client.get(reverse("exams:status", args=[attempt.public_id])).json()
    assert poll["seq"] == 2 and captured.captured_queries == []


def test_a_page_not_yet_kept_is_read_once(client, learner):
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="one")
    _response, statements = post(client, url, seq=2, page=2, q5="five")
    assert (
        len(reads(statements)) == 1 and '"exams_attemptpaper"' in reads(statements)[0]
    )
    _response, statements = post(client, url, seq=3, page=2, q5="five again")
    assert reads(statements) == []
    assert responses(attempt)[5] == {"text": "five again"}


def test_an_older_sequence_is_refused_and_changes_nothing(client, learner):
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=5, page=1, q1="newest")
    response, _sql = post(client, url, seq=4, page=1, q1="late")
    body = response.json()
    assert response.status_code == 200
    assert (body["ok"], body["applied"], body["seq"]) == (True, False, 5)
    assert responses(attempt)[1] == {"text": "newest"}


def test_after_the_cutoff_the_save_is_refused_with_the_message(client, learner):
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="in time")
    with time_machine.travel(attempt.cutoff + timedelta(seconds=1), tick=False):
        response, _sql = post(client, url, seq=2, page=1, q1="too late")
    assert response.status_code == 409
    assert "Time is up" in response.json()["message"]
    assert responses(attempt)[1] == {"text": "in time"}


def test_a_submitted_attempt_takes_no_more_answers(
    client, learner, django_capture_on_commit_callbacks
):
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="before")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exams:submit", args=[attempt.public_id]))
    response, _sql = post(client, url, seq=2, page=1, q1="after")
    assert response.status_code == 409
    assert responses(attempt)[1] == {"text": "before"}


def test_a_malformed_answer_is_refused_and_nothing_is_written(client, learner):
    exam = make_exam(
        bank=make_bank(questions=4, types=("ordering",)), count=4, questions_per_page=4
    )
    attempt, url = sitting(client, learner, exam)
    items = [
        item["id"] for item in served_question(attempt, 1).snapshot["public"]["items"]
    ]
    ranked = {f"q1-{item}": str(rank) for rank, item in enumerate(items, start=1)}
    assert post(client, url, seq=1, page=1, **ranked)[0].json()["applied"]
    kept = responses(attempt)[1]
    assert kept

    all_first = {f"q1-{item}": "1" for item in items}
    response, statements = post(client, url, seq=2, page=1, **all_first)
    assert response.status_code == 400 and "Not saved" in response.json()["message"]
    assert writes(statements) == []
    assert responses(attempt)[1] == kept
    assert Attempt.objects.get(pk=attempt.pk).last_save_sequence == 1


@pytest.mark.parametrize("seq", ["", "x", "-1", str(2**31), "1e3"])
def test_a_bad_sequence_is_refused(client, learner, seq):
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="kept")
    response, _sql = post(client, url, seq=seq, page=1, q1="changed")
    assert response.status_code == 400
    assert responses(attempt)[1] == {"text": "kept"}


@pytest.mark.parametrize("page_sent", ["0", "-4", "99", "abc", str(2**70)])
def test_an_out_of_range_page_stays_in_the_attempt(client, learner, page_sent):
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="one")
    response, _sql = post(client, url, seq=2, page=page_sent, q8="eight")
    assert response.status_code == 200
    assert Attempt.objects.get(pk=attempt.pk).last_save_sequence == 2


def test_nobody_else_saves_into_the_attempt(client, learner, user_factory):
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="mine")

    client.force_login(user_factory())
    assert post(client, url, seq=2, page=1, q1="theirs")[0].status_code == 404
    client.logout()
    anonymous, _sql = post(client, url, seq=3, page=1, q1="anyone")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]

    assert responses(attempt)[1] == {"text": "mine"}
    assert Attempt.objects.get(pk=attempt.pk).last_save_sequence == 1


def test_the_database_still_checks_the_owner(client, learner, user_factory):
    attempt, _url = sitting(client, learner, short_answer_exam())
    questions = [live.PageQuestion(1, "short_answer", {})]
    saved = services.save_kept_page(
        attempt_id=attempt.pk,
        user_id=user_factory().pk,
        sequence=9,
        answers={1: {"text": "not mine"}},
        flags={},
        questions=questions,
    )
    assert saved is None
    assert responses(attempt)[1] is None
    assert Attempt.objects.get(pk=attempt.pk).last_save_sequence == 0


def test_a_password_change_ends_the_kept_saves(client, learner):
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="one")
    learner.set_password("a-new-password-123")
    learner.save()
    assert client.session[HASH_SESSION_KEY] != learner.get_session_auth_hash()

    response, _sql = post(client, url, seq=2, page=1, q1="after")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert responses(attempt)[1] == {"text": "one"}


def test_a_deleted_attempt_answers_404(client, learner):
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="one")
    Attempt.objects.filter(pk=attempt.pk).delete()
    assert post(client, url, seq=2, page=1, q1="two")[0].status_code == 404


def test_sequential_and_practical_attempts_are_saved_from_the_database(client, learner):
    attempt, url = sitting(client, learner, short_answer_exam(navigation="sequential"))
    post(client, url, seq=1, page=1, q1="one")
    _response, statements = post(client, url, seq=2, page=1, q1="two")
    assert reads(statements)  # a closed page must be known: read every time

    site_tree()
    practical = services.start_attempt(
        user=learner, exam=make_practical_exam(theory=2, tasks=1)
    )
    url = reverse("exams:save", args=[practical.public_id])
    position = practical_position(practical)
    post(client, url, seq=1, page=1)
    _response, statements = post(client, url, seq=2, page=1)
    assert reads(statements)  # hand-ins count as answers: read every time
    assert position  # the attempt has its task


def kept_state(client, attempt):
    return live.for_session(client.session, attempt.public_id)


def test_a_state_kept_by_a_request_that_read_the_person_before_a_deactivation(
    client, learner, django_capture_on_commit_callbacks
):
    """A poll or save on another process checks the person just before their
    deactivation commits (and so sees them active) and keeps the state: the
    commit drops the token it was kept under."""
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="one")
    session = client.session
    old_hash = learner.get_session_auth_hash()

    with django_capture_on_commit_callbacks(execute=True):
        learner.is_active = False
        learner.save(update_fields=["is_active"])
        # What the other process read: the person as committed so far (active).
        with mock.patch.object(live, "_session_hash_now", return_value=old_hash):
            live.remember(attempt, session=session, seq=1)
        assert kept_state(client, attempt) is not None  # until the commit

    assert kept_state(client, attempt) is None
    response, _sql = post(client, url, seq=2, page=1, q1="after")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert responses(attempt)[1] == {"text": "one"}


def test_a_request_that_loaded_the_person_before_the_change_keeps_nothing(
    client, learner, django_capture_on_commit_callbacks
):
    """In production a middleware loads the person before the view: a poll that
    loaded them active, and keeps the state after the deactivation committed,
    checks the person again and keeps nothing."""
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="one")
    stale = Attempt.objects.get(pk=attempt.pk)  # as that request read it
    with django_capture_on_commit_callbacks(execute=True):
        learner.is_active = False
        learner.save(update_fields=["is_active"])
    live.remember(stale, session=client.session, seq=1)

    assert kept_state(client, attempt) is None
    response, _sql = post(client, url, seq=2, page=1, q1="after")
    assert response.status_code == 302
    assert responses(attempt)[1] == {"text": "one"}


def test_with_mfa_required_a_poll_and_a_save_still_read_nothing(
    client, learner, settings
):
    """The staff-MFA check loads the person only for staff work."""
    settings.LMS_REQUIRE_MFA_FOR_ADMIN = True
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="one")
    _response, statements = post(client, url, seq=2, page=1, q1="two")
    assert reads(statements) == []
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("exams:status", args=[attempt.public_id]))
    assert captured.captured_queries == []


def test_a_save_in_flight_during_a_deactivation_keeps_nothing_that_matches(
    client, learner, django_capture_on_commit_callbacks
):
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="one")
    state = kept_state(client, attempt)  # the fast save has checked its state
    assert state is not None

    with django_capture_on_commit_callbacks(execute=True):
        learner.is_active = False
        learner.save(update_fields=["is_active"])
    live.remember_save(state, attempt.public_id, seq=2)  # ... and keeps it after

    assert kept_state(client, attempt) is None
    response, _sql = post(client, url, seq=3, page=1, q1="after")
    assert response.status_code == 302
    assert responses(attempt)[1] == {"text": "one"}


def test_a_new_signing_key_ends_the_kept_saves(client, learner, settings):
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="one")
    settings.SECRET_KEY = "another-signing-key-" + "x" * 40  # signs everyone out
    settings.SECRET_KEY_FALLBACKS = []

    response, _sql = post(client, url, seq=2, page=1, q1="after")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert responses(attempt)[1] == {"text": "one"}


def test_a_save_kept_after_the_submit_never_reopens_the_attempt(
    client, learner, django_capture_on_commit_callbacks
):
    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="one")
    state = kept_state(client, attempt)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("exams:submit", args=[attempt.public_id]))
    live.remember_save(state, attempt.public_id, seq=2)  # a save that raced it

    poll = client.get(reverse("exams:status", args=[attempt.public_id])).json()
    assert poll["accepts_answers"] is False and poll["status"] != "in_progress"
    assert post(client, url, seq=3, page=1, q1="late")[0].status_code == 409


@pytest.mark.parametrize("rank", ["²", "٣", "9" * 5000, " 1 ", "1.5", "-1"])
def test_an_odd_rank_is_refused_not_a_server_error(client, learner, rank):
    exam = make_exam(
        bank=make_bank(questions=2, types=("ordering",)), count=2, questions_per_page=2
    )
    attempt, url = sitting(client, learner, exam)
    post(client, url, seq=1, page=1)
    assert kept_state(client, attempt) is not None
    items = [
        item["id"] for item in served_question(attempt, 1).snapshot["public"]["items"]
    ]
    fields = {f"q1-{item}": str(n) for n, item in enumerate(items[1:], start=2)}
    fields[f"q1-{items[0]}"] = rank
    response, _sql = post(client, url, seq=2, page=1, **fields)
    if rank.strip() == "1":
        assert response.status_code == 200 and response.json()["applied"]
    else:
        assert response.status_code == 400
        assert "every item once" in response.json()["message"]
        assert responses(attempt)[1] is None


def test_a_cache_entry_of_another_shape_is_read_as_missing(client, learner):
    from django.core.cache import cache

    attempt, url = sitting(client, learner, short_answer_exam())
    post(client, url, seq=1, page=1, q1="one")
    state_key = live._key(attempt.public_id)
    cache.set(state_key, (1, 2, 3))
    cache.set(live._page_key(attempt.public_id, 1), [("odd",)])

    response, _sql = post(client, url, seq=2, page=1, q1="two")
    assert response.status_code == 200 and response.json()["applied"]
    assert responses(attempt)[1] == {"text": "two"}
    # The database path kept a good state and page again: the next save reads
    # nothing.
    response, statements = post(client, url, seq=3, page=1, q1="three")
    assert response.json()["applied"] and reads(statements) == []
    assert responses(attempt)[1] == {"text": "three"}


def test_a_deactivation_is_saved_with_the_cache_down(learner):
    from accounts.models import User

    with mock.patch.object(live.cache, "delete", side_effect=ConnectionError("down")):
        learner.is_active = False
        learner.save(update_fields=["is_active"])
    assert not User.objects.get(pk=learner.pk).is_active


def test_on_postgresql_the_autosave_is_planned_once_and_keeps_saving(client, learner):
    """Exam day's most frequent statement is prepared for the connection: the
    second and third saves run the plan the first one made, and each is still
    decided anew (a stale sequence refused after them)."""
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL keeps prepared statements")
    attempt, url = sitting(client, learner, short_answer_exam())
    for seq, answer in ((1, "one"), (2, "two"), (3, "three")):
        response, _sql = post(client, url, seq=seq, page=2, q5=answer)
        assert (response.json()["applied"], response.json()["seq"]) == (True, seq)
    stale, _sql = post(client, url, seq=2, page=2, q5="stale")

    assert stale.json()["applied"] is False
    assert responses(attempt)[5] == {"text": "three"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        saves = [s for (s,) in cursor.fetchall() if "last_save_sequence <" in s]
    assert len(saves) == 1
