"""Exam day's three busiest requests cost the same whatever the exam's length.

Each is sent as the browser sends it (through every middleware), for an exam of
10 questions and one of 80, ten a page; the SQL statements must be the same in
number. A first, smaller exam warms the process-wide caches (content types, the
site) that a test run may or may not have filled already. Sessions come from
production's cached store.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams import services
from tests.exams.save_support import a_result, a_save, signed_in_sitting, writes
from tests.factories import make_bank, make_exam

pytestmark = pytest.mark.django_db

SIZES = (3, 10, 80)


@pytest.fixture(autouse=True)
def _cached_sessions(settings):
    # Production's session store: the session is read from the cache.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def _url(name: str, attempt) -> str:
    return reverse(f"exams:{name}", args=[attempt.public_id])


def _page_answers(attempt, text: str) -> dict[str, str]:
    """Every question of page 1 answered, as the page's form posts it."""
    positions = range(1, min(10, len(attempt.served_questions())) + 1)
    return {f"q{position}": f"{text} {position}" for position in positions}


def _statements(send, url: str, data=None) -> list[str]:
    """The SQL of one request: ``send`` is the client's ``get`` or ``post``."""
    with CaptureQueriesContext(connection) as captured:
        response = send(url) if data is None else send(url, data)
    assert response.status_code in (200, 302), response
    return [query["sql"] for query in captured.captured_queries]


def test_an_autosave_costs_the_same_for_10_and_80_questions_and_writes_once(
    user_factory,
):
    counts, written, reads, kept = [], [], [], []
    for size in SIZES:
        client, attempt = signed_in_sitting(user_factory, size)
        fields = {"seq": 1, "page": 1, **_page_answers(attempt, "answer")}
        statements = _statements(client.post, _url("save", attempt), fields)
        counts.append(len(statements))
        written.append(writes(statements))
        reads.append([sql for sql in statements if sql.startswith("SELECT")])
        # The next save goes by the attempt's kept state and page.
        fields = {"seq": 2, "page": 1, **_page_answers(attempt, "again")}
        kept.append(_statements(client.post, _url("save", attempt), fields))
        saved = attempt.served_questions(range(1, 11))
        assert {q.position: q.response for q in saved} == {
            position: {"text": f"again {position}"}
            for position in range(1, min(10, size) + 1)
        }
    assert counts[1] == counts[2], counts
    # The attempt's conditional update and every answer of the page at once
    # (one statement on PostgreSQL).
    assert written == [a_save()] * 3, written
    # The user, the attempt with its page's questions (one statement, however
    # long the exam; the answered count adds this page to the others' count the
    # page was served with); then the person checked again before the state is
    # kept (see live).
    assert [len(page_reads) for page_reads in reads] == [3, 3, 3]
    assert all('"exams_attemptpaper"' in page_reads[1] for page_reads in reads)
    assert all('"accounts_user"' in page_reads[2] for page_reads in reads)
    # From the kept state: the same writes and nothing else.
    kept = [[sql for sql in save if "SAVEPOINT" not in sql] for save in kept]
    assert [writes(save) for save in kept] == [a_save()] * 3, kept
    assert [len(save) for save in kept] == [len(a_save())] * 3, kept


def test_a_form_save_without_javascript_reads_the_attempt_and_its_page_at_once(
    user_factory,
):
    counts, reads = [], []
    for size in SIZES:
        client, attempt = signed_in_sitting(user_factory, size)
        fields = {"page": 1, **_page_answers(attempt, "by hand")}
        statements = _statements(client.post, _url("answer", attempt), fields)
        counts.append(len(statements))
        reads.append([sql for sql in statements if sql.startswith("SELECT")])
        saved = attempt.served_questions(range(1, 11))
        assert {q.position: q.response for q in saved} == {
            position: {"text": f"by hand {position}"}
            for position in range(1, min(10, size) + 1)
        }
    assert counts[1] == counts[2], counts
    # The person, then the attempt with its page's questions in one statement
    # (and nothing of the exam's other questions), however long the exam.
    assert [len(page_reads) for page_reads in reads] == [2, 2, 2], reads
    assert all('"exams_attemptpaper"' in page_reads[1] for page_reads in reads)


def test_a_start_writes_its_questions_as_one_row_for_10_and_80_questions(
    user_factory,
):
    inserted, statements = [], []
    for size in SIZES:
        exam = make_exam(
            bank=make_bank(questions=size, types=("short_answer",)),
            count=size,
            questions_per_page=10,
        )
        learner = user_factory()
        with CaptureQueriesContext(connection) as captured:
            attempt = services.start_attempt(user=learner, exam=exam)
        writes = [
            query["sql"]
            for query in captured.captured_queries
            if "INSERT INTO" in query["sql"]
        ]
        inserted.append(
            [table for sql in writes for table in re.findall(r"INSERT INTO (\S+)", sql)]
        )
        statements.append(len(writes))
        assert attempt.question_count == size == len(attempt.served_questions())
    # The attempt, its audit event and its paper: one row for the questions
    # drawn, however many; one statement on PostgreSQL.
    assert (
        inserted
        == [['"exams_attempt"', '"accounts_auditevent"', '"exams_attemptpaper"']] * 3
    ), inserted
    assert statements == [1 if connection.vendor == "postgresql" else 3] * 3


def test_a_start_reads_what_it_decides_by_with_the_learners_lock(user_factory):
    """The lock, the learner's accommodation and their attempts so far: one
    statement, whatever they did before."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts import roles

    exam = make_exam(count=3, attempts_allowed=3)
    learner = user_factory()
    services.set_accommodation(
        user=learner,
        exam=exam,
        set_by=user_factory(roles=[roles.TRAINING_ADMINS]),
        extra_time_percent=50,
        extra_attempts=1,
    )
    now = timezone.now()
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as captured:
            attempt = services.start_attempt(user=learner, exam=exam, now=now)
        reads = [
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].startswith("SELECT")
            and ('"exams_attempt"' in query["sql"] or "accommodation" in query["sql"])
        ]
        assert len(reads) == 1, reads
        assert '"exams_accommodation"' in reads[0] and '"exams_attempt"' in reads[0]
        locks = connection.features.has_select_for_update
        assert ("FOR UPDATE" in reads[0]) == locks, reads
        assert attempt.number == number
        assert attempt.deadline == now + timedelta(minutes=45)
        services.submit_attempt(attempt=attempt, now=now)
    # The fourth is the accommodation's extra attempt; a fifth is refused.
    assert services.start_attempt(user=learner, exam=exam, now=now).number == 4
    open_again = services.start_attempt(user=learner, exam=exam, now=now)
    assert open_again.number == 4
    services.submit_attempt(attempt=open_again, now=now)
    with pytest.raises(services.NoAttemptsLeft):
        services.start_attempt(user=learner, exam=exam, now=now)


def test_a_poll_costs_no_query_for_10_or_80_questions(user_factory):
    counts = []
    for size in SIZES:
        client, attempt = signed_in_sitting(user_factory, size)
        client.get(_url("status", attempt))  # the first poll fills the cache
        statements = _statements(client.get, _url("status", attempt))
        counts.append(len(statements))
    assert counts == [0, 0, 0], statements


def test_a_submit_costs_the_same_for_10_and_80_questions(
    user_factory, django_capture_on_commit_callbacks
):
    counts, listeners = [], []
    for size in SIZES:
        client, attempt = signed_in_sitting(user_factory, size)
        for page in range(1, -(-size // 10) + 1):
            first = (page - 1) * 10 + 1
            answers = {
                f"q{position}": "answer"
                for position in range(first, min(first + 10, size + 1))
            }
            client.post(_url("save", attempt), {"seq": page, "page": page, **answers})
        # What runs after the commit (the result announced) is counted too.
        with (
            CaptureQueriesContext(connection) as captured,
            django_capture_on_commit_callbacks(execute=True),
        ):
            response = client.post(_url("submit", attempt))
        assert response.status_code == 302
        statements = [query["sql"] for query in captured.captured_queries]
        counts.append(len(statements))
        # The learner is read once, for the session, and never again.
        users = [sql for sql in statements if 'FROM "accounts_user"' in sql]
        assert len(users) == 1, users
        # The attempt is found, checked as the learner's, locked and read with
        # its paper (its questions and answers, one row) in one read; its exam
        # page is the one kept under the content version, not a join.
        attempts = [sql for sql in statements if 'FROM "exams_attempt"' in sql]
        assert len(attempts) == 1, attempts
        locks = connection.features.has_select_for_update
        assert ("FOR UPDATE" in attempts[0]) == locks, attempts
        assert '"exams_attemptpaper"' in attempts[0], attempts
        assert '"wagtailcore_page"' not in attempts[0], attempts
        # The paper's points and the result are written together (one
        # statement on PostgreSQL).
        papers = [sql for sql in statements if '"exams_attemptpaper"' in sql]
        assert papers[0] == attempts[0] and len(papers) == 2, papers
        results = [
            tables
            for tables in writes(statements)
            if {'"exams_attempt"', '"exams_attemptpaper"'} & set(tables)
        ]
        assert results == a_result(), results
        # The audit event that records the submit is written once, in the
        # result's statement on PostgreSQL.
        events = [
            sql for sql in statements if 'INSERT INTO "accounts_auditevent"' in sql
        ]
        assert len(events) == 1, events
        if connection.vendor == "postgresql":
            assert 'UPDATE "exams_attempt"' in events[0], events
        listeners.append(
            [sql for sql in statements if "webhooks_" in sql or "xapi_" in sql]
        )
        attempt.refresh_from_db()
        assert attempt.status == "graded" and attempt.max_points == size
    assert counts[1] == counts[2], counts
    # Who listens for results (webhooks, record stores) is read at most once,
    # then kept.
    assert listeners[1:] == [[], []], listeners


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_submit_reads_the_cache_three_times_with_its_session(user_factory):
    """The session with the content version and the numbers of the rows its
    events read after the commit (who listens for webhooks, which record stores
    take statements), then those rows, and the exam page kept under the
    version (in place of a join on the locked attempt, which is read with its
    paper): committed for real, so the events run in the request."""
    from tests.cache_reads import CacheReads

    for size in (10, 80):
        client, attempt = signed_in_sitting(user_factory, size)
        # The first learner's submit keeps the rows; the second's is counted.
        with CacheReads() as cache_calls:
            response = client.post(_url("submit", attempt))
        assert response.status_code == 302
    assert cache_calls.reads == 3
