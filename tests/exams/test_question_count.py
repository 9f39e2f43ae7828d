"""An attempt knows how many questions it was served (set at the start, filled in
for older attempts by the migration), so a save or a page move counts no rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exams import services
from tests.factories import make_exam

pytestmark = pytest.mark.django_db


def test_the_start_records_the_count_and_a_page_move_counts_no_rows(learner):
    exam = make_exam(count=12, questions_per_page=5)
    attempt = services.start_attempt(user=learner, exam=exam)
    assert attempt.question_count == 12 == len(attempt.served_questions())
    assert attempt.page_count() == 3
    with CaptureQueriesContext(connection) as queries:
        assert services.go_to_page(attempt=attempt, page=9) == 3
    assert not [q for q in queries if "COUNT(" in q["sql"]]
