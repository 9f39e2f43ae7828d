"""Races on one attempt, with real threads and real PostgreSQL transactions.

Each test lets several threads reach the same service call at once (a barrier) and
then checks what a learner or an examiner would see: one attempt, one grade, one
"passed" signal, the newest save. Every race is run a few times, with fresh data,
because one lucky interleaving proves little.
"""

import random
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction

from accounts.models import User
from exams import services
from exams.models import (
    Attempt,
    AttemptStatus,
    DeadlinePolicy,
    ExamPage,
)
from tests.factories import correct_response, make_bank, make_exam, site_tree

pytestmark = [
    pytest.mark.integration,
    # Threads need committed data, so no wrapping transaction. serialized_rollback
    # restores what the migrations created (Wagtail's root page, locales, roles)
    # after each test's flush, so the order of these tests does not matter.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=(
            "row locks and concurrent transactions need PostgreSQL "
            "(run with DATABASE_URL=postgres://...); SQLite serialises all writers"
        ),
    ),
]

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
THREADS = 8
ROUNDS = 3


def run_at_once(count, prepare, act):
    """Run ``act(prepare(i))`` in ``count`` threads, released together.

    ``prepare`` runs before the barrier (each thread loads its own model instances),
    so the threads collide in the service call itself. Returns the results in
    thread order; fails the test if any thread raised or hung.
    """
    barrier = threading.Barrier(count)
    results = [None] * count
    errors = []

    def worker(index):
        try:
            prepared = prepare(index)
            barrier.wait(timeout=30)
            results[index] = act(prepared)
        except Exception as exc:  # noqa: BLE001 - handed to the test thread below
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not [t for t in threads if t.is_alive()], "a thread never finished"
    assert errors == [], errors
    return results


def new_exam(**fields) -> ExamPage:
    site_tree()
    return make_exam(count=5, time_limit_minutes=10, **fields)


def answer_everything_correctly(attempt: Attempt, now) -> None:
    result = services.save_answers(
        attempt=attempt,
        sequence=1,
        answers={
            q.position: correct_response(q.snapshot) for q in attempt.served_questions()
        },
        now=now,
    )
    assert result.applied


def race_starts(learner, exam: ExamPage) -> list[int]:
    def prepare(index):
        return User.objects.get(pk=learner.pk), ExamPage.objects.get(pk=exam.pk)

    def start(prepared):
        user, own_exam = prepared
        return services.start_attempt(user=user, exam=own_exam, now=T0).pk

    return run_at_once(THREADS, prepare, start)


def test_simultaneous_starts_make_one_attempt(user_factory):
    exam = new_exam()
    for _ in range(ROUNDS):
        learner = user_factory()

        ids = race_starts(learner, exam)

        assert len(set(ids)) == 1, ids
        attempt = Attempt.objects.get(user=learner, exam=exam)
        assert attempt.pk == ids[0]
        assert attempt.number == 1 and attempt.is_open
        # One set of questions, not one per thread.
        assert len(attempt.served_questions()) == 5


def race_submits(attempt: Attempt) -> list[Attempt]:
    """Every thread submits at its own instant (one second apart), so grading
    twice would show up as two different graded_at values."""

    def prepare(index):
        return Attempt.objects.get(pk=attempt.pk), index

    def submit(prepared):
        own_copy, index = prepared
        return services.submit_attempt(
            attempt=own_copy, now=T0 + timedelta(minutes=2, seconds=index)
        )

    return run_at_once(THREADS, prepare, submit)


def test_simultaneous_submits_grade_once_and_signal_once(user_factory, passes):
    exam = new_exam()
    for _ in range(ROUNDS):
        attempt = services.start_attempt(user=user_factory(), exam=exam, now=T0)
        answer_everything_correctly(attempt, T0 + timedelta(minutes=1))
        passes.clear()

        results = race_submits(attempt)

        attempt.refresh_from_db()
        assert attempt.status == AttemptStatus.GRADED
        assert attempt.passed and attempt.percent == 100
        assert not attempt.auto_submitted
        assert {r.graded_at for r in results} == {attempt.graded_at}
        assert {r.percent for r in results} == {attempt.percent}
        assert attempt.submitted_at == attempt.graded_at
        assert passes == [attempt.pk]


def race_sweep_and_submit(attempt: Attempt, *, sweep_at, submit_at):
    """The sweep (thread 0) and the learner's submit (thread 1), at once."""

    def prepare(index):
        return None if index == 0 else Attempt.objects.get(pk=attempt.pk)

    def close(own_copy):
        if own_copy is None:
            return services.close_overdue_attempts(now=sweep_at)
        return services.submit_attempt(attempt=own_copy, now=submit_at)

    swept, submitted = run_at_once(2, prepare, close)
    return swept, submitted


@pytest.mark.parametrize(
    "policy", [DeadlinePolicy.AUTO_SUBMIT, DeadlinePolicy.ABANDON], ids=str
)
def test_the_sweep_and_a_late_submit_close_an_overdue_attempt_once(
    user_factory, passes, policy
):
    exam = new_exam(deadline_policy=policy)
    for _ in range(ROUNDS):
        attempt = services.start_attempt(user=user_factory(), exam=exam, now=T0)
        answer_everything_correctly(attempt, T0 + timedelta(minutes=1))
        passes.clear()
        sweep_at = attempt.cutoff + timedelta(seconds=30)
        submit_at = attempt.cutoff + timedelta(seconds=31)

        swept, submitted = race_sweep_and_submit(
            attempt, sweep_at=sweep_at, submit_at=submit_at
        )

        attempt.refresh_from_db()
        assert swept in (0, 1)
        assert submitted.status == attempt.status
        assert submitted.graded_at == attempt.graded_at
        if policy == DeadlinePolicy.ABANDON:
            assert attempt.status == AttemptStatus.ABANDONED
            assert attempt.graded_at is None and attempt.percent is None
            assert passes == []
        else:
            # The answers saved in time count, whoever closed the attempt.
            assert attempt.status == AttemptStatus.GRADED
            assert attempt.auto_submitted and attempt.submitted_at == attempt.cutoff
            assert attempt.percent == 100 and attempt.passed
            # The sweep reports a close only if its grade is the one stored.
            assert attempt.graded_at == (sweep_at if swept else submit_at)
            assert passes == [attempt.pk]


def race_saves(attempt: Attempt, sequences: list[int]):
    """One save per sequence number, all at once, each answering every question
    with a text naming its sequence (so a mix of two saves would show)."""

    def prepare(index):
        return Attempt.objects.get(pk=attempt.pk), sequences[index]

    def save(prepared):
        own_copy, sequence = prepared
        return services.save_answers(
            attempt=own_copy,
            sequence=sequence,
            answers={p: {"text": f"draft {sequence}"} for p in range(1, 6)},
            now=T0 + timedelta(minutes=1),
        )

    return run_at_once(len(sequences), prepare, save)


def test_simultaneous_saves_keep_the_one_with_the_highest_sequence(user_factory):
    exam = new_exam(bank=make_bank(questions=5, types=("short_answer",)))
    for _ in range(ROUNDS):
        attempt = services.start_attempt(user=user_factory(), exam=exam, now=T0)
        sequences = random.sample(range(1, THREADS + 1), THREADS)

        results = race_saves(attempt, sequences)

        newest = max(sequences)
        assert all(r.accepted for r in results)
        assert results[sequences.index(newest)].applied
        attempt.refresh_from_db()
        assert attempt.last_save_sequence == newest
        stored = {q.position: q.response for q in attempt.served_questions()}
        assert stored == {p: {"text": f"draft {newest}"} for p in range(1, 6)}


def test_flagging_a_question_never_erases_an_answer_saved_meanwhile(
    user_factory, monkeypatch
):
    exam = new_exam(bank=make_bank(questions=5, types=("short_answer",)))
    attempt = services.start_attempt(user=user_factory(), exam=exam, now=T0)
    now = T0 + timedelta(minutes=1)
    flag_has_read = threading.Event()
    answer_committed = threading.Event()
    clean_response = services.clean_response

    def pausing_clean_response(*args, **kwargs):
        # Hold the flagging request after it has read the questions, until the
        # answering request has committed: the interleaving a slow request gets.
        if threading.current_thread().name == "flag":
            flag_has_read.set()
            assert answer_committed.wait(timeout=30)
        return clean_response(*args, **kwargs)

    # save_answers looks clean_response up in its own module.
    monkeypatch.setattr(services.answers, "clean_response", pausing_clean_response)

    def flag_question_1():  # the newer request: flag Q1, answer Q2
        try:
            return services.save_answers(
                attempt=Attempt.objects.get(pk=attempt.pk),
                sequence=2,
                answers={2: {"text": "second answer"}},
                flags={1: True},
                now=now,
            )
        finally:
            connection.close()

    def answer_question_1():  # the older request, committed while the other waits
        try:
            assert flag_has_read.wait(timeout=30)
            return services.save_answers(
                attempt=Attempt.objects.get(pk=attempt.pk),
                sequence=1,
                answers={1: {"text": "QT-001"}},
                now=now,
            )
        finally:
            answer_committed.set()
            connection.close()

    results = {}
    threads = [
        threading.Thread(
            name=name, target=lambda n=name, f=f: results.__setitem__(n, f())
        )
        for name, f in (("flag", flag_question_1), ("answer", answer_question_1))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert results["answer"].applied and results["flag"].applied
    stored = {
        q.position: (q.response, q.flagged) for q in attempt.served_questions([1, 2])
    }
    assert stored == {
        1: ({"text": "QT-001"}, True),
        2: ({"text": "second answer"}, False),
    }


def _waits_on_a_lock(name: str) -> bool:
    """Whether the connection named ``name`` (its application_name) is waiting
    for a row lock (seen from this thread's own connection)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE application_name = %s AND wait_event_type = 'Lock'",
            [name],
        )
        return cursor.fetchone()[0] > 0


def test_a_save_held_by_another_writes_over_what_that_one_committed(user_factory):
    """The save's one statement (the attempt's conditional update with the
    answers) waits on the attempt's row lock while an older save's transaction
    is open: once that commits, the newer save keeps its answer and adds its
    flag, the interleaving in which a statement's answers could be computed
    from rows read before the other's commit."""
    exam = new_exam(bank=make_bank(questions=5, types=("short_answer",)))
    attempt = services.start_attempt(user=user_factory(), exam=exam, now=T0)
    now = T0 + timedelta(minutes=1)
    first_saved, release = threading.Event(), threading.Event()
    results, errors = {}, []

    def named(name):
        with connection.cursor() as cursor:
            cursor.execute("SET application_name = %s", [name])

    def answer():  # the older save, its transaction held open after it
        try:
            named("older-save")
            with transaction.atomic():
                results["answer"] = services.save_answers(
                    attempt=Attempt.objects.get(pk=attempt.pk),
                    sequence=1,
                    answers={1: {"text": "QT-001"}, 3: {"text": "third"}},
                    now=now,
                )
                first_saved.set()
                assert release.wait(timeout=30)
        except Exception as exc:  # noqa: BLE001 - handed to the test thread below
            errors.append(exc)
        finally:
            first_saved.set()
            connection.close()

    def flag():  # the newer save: flag Q1, answer Q2, blank Q3
        try:
            named("newer-save")
            assert first_saved.wait(timeout=30)
            results["flag"] = services.save_answers(
                attempt=Attempt.objects.get(pk=attempt.pk),
                sequence=2,
                answers={2: {"text": "second answer"}, 3: ""},
                flags={1: True},
                now=now,
            )
        except Exception as exc:  # noqa: BLE001 - handed to the test thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer), threading.Thread(target=flag)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(300):  # until the newer save waits on the row lock (<= 30 s)
            if _waits_on_a_lock("newer-save") or errors:
                break
            time.sleep(0.1)
        waited = _waits_on_a_lock("newer-save")
    finally:
        release.set()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == [], errors
    assert waited, "the newer save never waited for the older one"
    assert results["answer"].applied and results["flag"].applied
    stored = {
        q.position: (q.response, q.flagged) for q in attempt.served_questions([1, 2, 3])
    }
    assert stored == {
        1: ({"text": "QT-001"}, True),
        2: ({"text": "second answer"}, False),
        3: (None, False),
    }
    assert Attempt.objects.get(pk=attempt.pk).last_save_sequence == 2
