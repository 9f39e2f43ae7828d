"""An attempt knows how many questions it was served (set at the start, filled in
for older attempts by the migration), so a save or a page move counts no rows."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exams import services
from exams.models import Attempt
from tests.factories import make_exam

pytestmark = pytest.mark.django_db

migration = importlib.import_module("exams.migrations.0005_attempt_question_count")


def test_the_start_records_the_count_and_a_page_move_counts_no_rows(learner):
    exam = make_exam(count=12, questions_per_page=5)
    attempt = services.start_attempt(user=learner, exam=exam)
    assert attempt.question_count == 12 == attempt.questions.count()
    assert attempt.page_count() == 3
    with CaptureQueriesContext(connection) as queries:
        assert services.go_to_page(attempt=attempt, page=9) == 3
    assert not [q for q in queries if "COUNT(" in q["sql"]]


def test_the_migration_counts_each_older_attempts_questions(learner, user_factory):
    five = services.start_attempt(user=learner, exam=make_exam(count=5))
    three = services.start_attempt(user=user_factory(), exam=make_exam(count=3))
    Attempt.objects.update(question_count=0)
    migration.count_questions(apps, None)
    assert Attempt.objects.get(pk=five.pk).question_count == 5
    assert Attempt.objects.get(pk=three.pk).question_count == 3
