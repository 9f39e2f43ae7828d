"""Exams draw from pools kept per published bank revision (``exams.pools``): built
when a bank is published, rebuilt when missing or older than the bank's live
revision, forgotten when a question changes outside a publish."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from exams import pools, services
from exams.models import Question, QuestionBank
from tests.factories import make_bank, make_exam

pytestmark = pytest.mark.django_db


def question_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "exams_question"' in q["sql"]]


def stems(attempt) -> set[str]:
    return {q.snapshot["stem"] for q in attempt.served_questions()}


def publish_with_stems(bank: QuestionBank, text: str) -> None:
    """A new revision of ``bank`` whose questions all read ``text``."""
    draft = bank.get_latest_revision_as_object()
    questions = list(draft.questions.all())
    for question in questions:
        question.stem = f"<p>{text} {question.key}</p>"
    draft.questions = questions
    with TestCase.captureOnCommitCallbacks(execute=True):
        draft.save_revision().publish()


def test_publishing_a_bank_builds_its_pool():
    cache.clear()
    bank = make_bank(questions=4)
    with TestCase.captureOnCommitCallbacks(execute=True):
        bank.save_revision().publish()
    kept = cache.get(pools._key(bank.pk))
    bank.refresh_from_db()
    assert kept["revision"] == bank.live_revision_id
    assert [q.pk for q in kept["questions"]] == list(
        bank.questions.order_by("sort_order").values_list("pk", flat=True)
    )


def test_a_start_with_kept_pools_reads_no_question_rows(learner):
    exam = make_exam(count=5)
    bank = exam.sections.get().bank
    pools.build(bank.pk)
    with CaptureQueriesContext(connection) as queries:
        attempt = services.start_attempt(user=learner, exam=exam)
    assert len(attempt.served_questions()) == 5
    assert question_reads(queries) == []


def test_a_missing_pool_is_rebuilt_by_the_start(learner):
    exam = make_exam(count=3)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        attempt = services.start_attempt(user=learner, exam=exam)
    assert len(attempt.served_questions()) == 3
    assert len(question_reads(queries)) == 1
    assert cache.get(pools._key(exam.sections.get().bank_id)) is not None


def test_a_pool_of_an_older_revision_is_not_served(learner, user_factory):
    exam = make_exam(count=4)
    bank = exam.sections.get().bank
    assert "Revised" not in " ".join(
        stems(services.start_attempt(user=learner, exam=exam))
    )
    stale = cache.get(pools._key(bank.pk))
    publish_with_stems(bank, "Revised")
    # The task that builds the new pool has not run yet: the old one is still kept.
    cache.set(pools._key(bank.pk), stale)
    served = stems(services.start_attempt(user=user_factory(), exam=exam))
    assert len(served) == 4
    assert all(stem.startswith("<p>Revised") for stem in served)


def test_a_question_changed_outside_a_publish_forgets_the_pool(learner):
    exam = make_exam(count=2, bank=make_bank(questions=2))
    bank = exam.sections.get().bank
    pools.build(bank.pk)
    question = Question.objects.filter(bank=bank).first()
    question.stem = "<p>Edited in place</p>"
    question.save()
    assert cache.get(pools._key(bank.pk)) is None
    assert "<p>Edited in place</p>" in stems(
        services.start_attempt(user=learner, exam=exam)
    )


def test_an_unpublished_bank_gives_no_questions(learner):
    exam = make_exam(count=2)
    bank = exam.sections.get().bank
    pools.build(bank.pk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        bank.unpublish()
    assert cache.get(pools._key(bank.pk)) is None
    with pytest.raises(services.BlueprintError):
        services.start_attempt(user=learner, exam=exam)
    assert pools.build(bank.pk) == 0
