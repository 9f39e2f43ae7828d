"""A submit and the sweep read the attempt and its paper under the attempt's
lock with one hand-written statement (``rows.locked_attempt``), and the attempt
page and the submit page read them with the same statement without the lock:
what it makes is the attempt the query builder would read, field for field, and
it reads nobody else's."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exams import services
from exams.models import Attempt, AttemptPaper
from exams.services.rows import locked_attempt
from tests.factories import make_bank, make_exam

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
    }


@pytest.fixture
def attempt(user_factory):
    exam = make_exam(bank=make_bank(questions=4, types=("short_answer",)), count=4)
    attempt = services.start_attempt(user=user_factory(), exam=exam)
    services.save_answers(attempt=attempt, sequence=1, answers={2: {"text": "Zürich"}})
    # Fields of every kind set: dates, a decimal, a flag, text.
    Attempt.objects.filter(pk=attempt.pk).update(
        points=Decimal("2.50"), max_points=Decimal("4"), has_practical=True
    )
    return attempt


def test_it_reads_the_attempt_and_its_paper_as_the_query_builder_does(attempt):
    expected = Attempt.objects.select_related("paper").get(pk=attempt.pk)
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        by_id = locked_attempt(pk=attempt.pk)
        mine = locked_attempt(public_id=attempt.public_id, user=attempt.user)
        # The paper came with it: reading its questions asks nothing more.
        served = mine.paper.question_list()
    assert len(captured) == 2
    for read in (by_id, mine):
        assert _fields(read) == _fields(expected)
        assert _fields(read.paper) == _fields(expected.paper)
        assert read.paper.attempt is read
        assert not read._state.adding
    assert served[1].response == {"text": "Zürich"}
    if connection.features.has_select_for_update_of:
        assert "FOR UPDATE OF" in captured[0]["sql"]


def test_it_reads_nobody_elses_attempt(attempt, user_factory):
    with transaction.atomic():
        assert locked_attempt(public_id=attempt.public_id, user=user_factory()) is None
        assert locked_attempt(pk=attempt.pk + 1000) is None


def test_an_attempt_without_a_paper_has_none(attempt):
    AttemptPaper.objects.filter(pk=attempt.pk).delete()
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        read = locked_attempt(pk=attempt.pk)
        assert not hasattr(read, "paper")
    assert len(captured) == 1


@pytest.mark.parametrize("view", ["exams:attempt", "exams:submit"])
def test_the_pages_that_show_the_questions_read_them_with_the_attempt(
    attempt, client, view
):
    client.force_login(attempt.user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(view, args=[attempt.public_id]))
    assert response.status_code == 200
    statements = [query["sql"] for query in captured]
    papers = [sql for sql in statements if AttemptPaper._meta.db_table in sql]
    assert len(papers) == 1 and " JOIN " in papers[0]
    assert "FOR UPDATE" not in papers[0]
    attempt_alone = f'FROM "{Attempt._meta.db_table}" WHERE'
    assert not [sql for sql in statements if attempt_alone in sql]
    if view == "exams:attempt":
        assert 'value="Zürich"' in response.content.decode()
