"""Each process holds the question pools it read under the blueprints' number
(``exams.pools.HELD``): a second start of the same bank revision reads no pool
from the cache, and a question written outside a publish, a new revision or a
minute gone each make the next start read it again.

These tests commit (a transaction that changed a bank or a section holds
nothing it reads of them, so a test inside one transaction would never hold)."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import transaction

from accounts import held
from exams import pools, services
from exams.models import Question
from tests.factories import make_bank, make_exam

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class PoolReads:
    """The pool keys the cache is asked for during a block."""

    def __init__(self):
        self.keys: list[str] = []
        self._get_many = cache.get_many

    def __enter__(self):
        def get_many(keys, *args, **kwargs):
            self.keys.extend(key for key in keys if key.startswith("exams:pool:"))
            return self._get_many(keys, *args, **kwargs)

        self._patch = mock.patch.object(cache, "get_many", side_effect=get_many)
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()


def stems(attempt) -> set[str]:
    return {q.snapshot["stem"] for q in attempt.served_questions()}


def test_a_second_start_reads_no_pool(user_factory):
    exam = make_exam(count=4, bank=make_bank(questions=6))
    first = services.start_attempt(user=user_factory(), exam=exam)
    with PoolReads() as reads:
        second = services.start_attempt(user=user_factory(), exam=exam)
    assert reads.keys == []
    # The same questions, drawn from the pool the first start read.
    assert len(stems(second)) == 4
    assert stems(second) <= {q.stem for q in Question.objects.all()}
    assert stems(first) <= {q.stem for q in Question.objects.all()}


def test_a_question_written_outside_a_publish_is_served_at_once(user_factory):
    exam = make_exam(count=2, bank=make_bank(questions=2))
    services.start_attempt(user=user_factory(), exam=exam)
    question = Question.objects.filter(bank=exam.sections.get().bank).first()
    question.stem = "<p>Edited in place</p>"
    question.save()
    with PoolReads() as reads:
        attempt = services.start_attempt(user=user_factory(), exam=exam)
    assert "<p>Edited in place</p>" in stems(attempt)
    assert len(reads.keys) == 1


def test_a_transaction_that_wrote_a_question_holds_nothing(user_factory):
    exam = make_exam(count=2, bank=make_bank(questions=2))
    learner = user_factory()
    with transaction.atomic():
        question = Question.objects.filter(bank=exam.sections.get().bank).first()
        question.stem = "<p>Not yet committed</p>"
        question.save()
        assert "<p>Not yet committed</p>" in stems(
            services.start_attempt(user=learner, exam=exam)
        )
        assert pools.HELD.parts == {}


def test_a_pool_is_held_for_a_minute_at_most(user_factory):
    exam = make_exam(count=2, bank=make_bank(questions=3))
    now = 1000.0
    with mock.patch.object(held.time, "monotonic", lambda: now):
        services.start_attempt(user=user_factory(), exam=exam)
        now += pools.HELD.held_for - 1
        with PoolReads() as within:
            services.start_attempt(user=user_factory(), exam=exam)
        now += 2
        with PoolReads() as after:
            services.start_attempt(user=user_factory(), exam=exam)
    assert within.keys == []
    assert len(after.keys) == 1
