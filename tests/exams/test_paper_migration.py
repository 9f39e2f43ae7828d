"""The migration that moved attempts' questions into one row, both ways: every
answer, flag, time, point and hand-in of existing attempts survives it."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from exams import marking_services, services
from exams.models import AttemptFile, AttemptPaper, Question
from tests.factories import choice_answer, make_exam, make_practical_exam

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
BEFORE = [("exams", "0007_attempt_paper")]
AFTER = [("exams", "0009_remove_attempt_question")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _papers() -> dict:
    """Each attempt's questions as served, with answers, flags, times and points
    (a blank answer and no answer read the same)."""
    return {
        paper.attempt_id: paper.question_list() for paper in AttemptPaper.objects.all()
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_papers_become_rows_and_rows_become_the_same_papers(user_factory):
    graded = services.start_attempt(
        user=user_factory(), exam=make_exam(count=3), now=T0
    )
    chosen = choice_answer(graded, 1, "b")
    services.save_answers(
        attempt=graded,
        sequence=1,
        answers={1: chosen, 2: None},
        flags={3: True},
        now=T0,
    )
    graded = services.submit_attempt(attempt=graded, now=T0 + timedelta(minutes=1))
    practical = services.start_attempt(
        user=user_factory(), exam=make_practical_exam(theory=1), now=T0
    )
    (task,) = [
        q.position for q in practical.served_questions() if q.qtype == "practical"
    ]
    marking_services.upload_hand_in(
        attempt=practical,
        position=task,
        upload=SimpleUploadedFile("notes.txt", b"checked the logs"),
        now=T0,
    )
    # A bank question deleted since: the paper keeps its id, the row loses it.
    gone = graded.served_questions([2])[0].question_id
    Question.objects.filter(pk=gone).delete()
    before = _papers()
    points = {str(q.position): q.points for q in before[graded.pk]}
    assert len(points) == 3 and points["2"] == Decimal("0.00")

    try:
        old = _migrate(BEFORE)
        Row = old.get_model("exams", "AttemptQuestion")
        rows = {
            (row.attempt_id, row.position): row
            for row in Row.objects.order_by("attempt_id", "position")
        }
        assert len(rows) == 5
        assert rows[(graded.pk, 2)].question_id is None
        first = rows[(graded.pk, 1)]
        assert first.response == chosen
        assert first.points == points["1"]
        assert first.answered_at == T0 and not first.flagged
        assert rows[(graded.pk, 3)].flagged and rows[(graded.pk, 3)].response is None
        assert rows[(practical.pk, task)].snapshot["type"] == "practical"
        handed_in = old.get_model("exams", "AttemptFile").objects.get()
        assert handed_in.question_id == rows[(practical.pk, task)].pk
    finally:
        _migrate(AFTER)

    before[graded.pk][1].question_id = None
    assert _papers() == before
    assert AttemptFile.objects.get().position == task
    assert AttemptFile.objects.get().attempt_id == practical.pk
