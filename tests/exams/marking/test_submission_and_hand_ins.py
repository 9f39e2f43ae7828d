"""Practical attempts: closing for grading, and hand-ins under the deadline, checked and kept privately."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import storages
from django.test import TestCase

from exams import marking_services, services
from exams.models import (
    AttemptFile,
    AttemptStatus,
    Marking,
    MarkingEvent,
)
from tests.exams.marking.support import PDF, T0, practical_position, sit, upload

# --- submission ------------------------------------------------------------------------


def test_an_attempt_with_practical_work_waits_for_grading_with_its_theory_score(
    learner, exam
):
    attempt = sit(learner, exam)
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.has_practical
    assert attempt.theory_percent == Decimal("100.00")
    assert attempt.passed is None and attempt.percent is None
    assert list(attempt.markings.values_list("role", flat=True)) == ["first"]
    assert MarkingEvent.objects.filter(attempt=attempt, action="queued").count() == 1


def test_a_submit_twice_queues_one_marking(learner, exam):
    attempt = sit(learner, exam)
    again = services.submit_attempt(attempt=attempt, now=T0 + timedelta(minutes=6))
    assert again.status == AttemptStatus.SUBMITTED
    assert Marking.objects.filter(attempt=attempt).count() == 1


def test_the_deadline_sweep_closes_a_practical_attempt_for_grading(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    services.save_answers(
        attempt=attempt,
        sequence=1,
        answers={practical_position(attempt): {"text": "Half done"}},
        now=T0,
    )
    assert services.close_overdue_attempts(now=T0 + timedelta(minutes=31)) == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.auto_submitted
    assert attempt.served_questions([practical_position(attempt)])[0].response == {
        "text": "Half done"
    }


# --- hand-ins ----------------------------------------------------------------------------


def test_a_hand_in_is_stored_privately_with_its_checksum(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    record = marking_services.upload_hand_in(
        attempt=attempt,
        position=practical_position(attempt),
        upload=upload("timeline.pdf", PDF),
        now=T0,
    )
    assert record.size == len(PDF)
    assert record.file.storage is storages["private"]
    assert record.file.read() == PDF
    assert len(record.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.exe", b"MZ...", "not an accepted file type"),
        ("notes", b"text", "not an accepted file type"),
        ("fake.pdf", b"GIF89a....", "does not contain what a .pdf file should"),
        ("notes.txt", b"\xff\xfe\x00bad", "does not contain what a .txt file should"),
        ("empty.txt", b"", "is empty"),
        ("huge.txt", b"a" * (1024 * 1024 + 1), "larger than the 1 MB limit"),
    ],
)
def test_bad_hand_ins_are_refused_and_leave_nothing(
    learner, exam, name, content, message
):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    with pytest.raises(marking_services.GradingError, match=message):
        marking_services.upload_hand_in(
            attempt=attempt,
            position=practical_position(attempt),
            upload=upload(name, content),
            now=T0,
        )
    assert AttemptFile.objects.count() == 0
    folder = f"hand-ins/{attempt.public_id}"
    storage = storages["private"]
    assert not storage.exists(folder) or storage.listdir(folder) == ([], [])


def test_a_file_exactly_at_the_size_limit_is_accepted(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    record = marking_services.upload_hand_in(
        attempt=attempt,
        position=practical_position(attempt),
        upload=upload("big.txt", b"a" * (1024 * 1024)),
        now=T0,
    )
    assert record.size == 1024 * 1024


def test_a_task_takes_at_most_its_number_of_files(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    position = practical_position(attempt)
    for n in range(2):
        marking_services.upload_hand_in(
            attempt=attempt,
            position=position,
            upload=upload(f"n{n}.txt", b"ok"),
            now=T0,
        )
    with pytest.raises(marking_services.GradingError, match="at most 2 files"):
        marking_services.upload_hand_in(
            attempt=attempt, position=position, upload=upload("n3.txt", b"ok"), now=T0
        )
    assert AttemptFile.objects.count() == 2


def test_files_cannot_go_to_a_theory_question(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    theory = next(
        q
        for q in attempt.served_questions()
        if q.position != practical_position(attempt)
    )
    with pytest.raises(marking_services.GradingError, match="does not take files"):
        marking_services.upload_hand_in(
            attempt=attempt,
            position=theory.position,
            upload=upload("a.txt", b"x"),
            now=T0,
        )


def test_the_deadline_applies_to_hand_ins_to_the_second(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    position = practical_position(attempt)
    at_cutoff = marking_services.upload_hand_in(
        attempt=attempt,
        position=position,
        upload=upload("a.txt", b"x"),
        now=attempt.cutoff,
    )
    assert at_cutoff.pk
    with pytest.raises(marking_services.GradingError, match="Time is up"):
        marking_services.upload_hand_in(
            attempt=attempt,
            position=position,
            upload=upload("b.txt", b"x"),
            now=attempt.cutoff + timedelta(microseconds=1),
        )
    with pytest.raises(marking_services.GradingError, match="Time is up"):
        marking_services.remove_hand_in(
            attempt=attempt,
            file_id=at_cutoff.pk,
            now=attempt.cutoff + timedelta(seconds=1),
        )
    assert AttemptFile.objects.count() == 1


def test_no_hand_in_after_submitting(learner, exam):
    attempt = sit(learner, exam)
    with pytest.raises(marking_services.GradingError, match="Time is up"):
        marking_services.upload_hand_in(
            attempt=attempt,
            position=practical_position(attempt),
            upload=upload("late.txt", b"x"),
            now=T0 + timedelta(minutes=6),
        )


def test_a_hand_in_can_be_removed_while_the_attempt_is_open(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    record = marking_services.upload_hand_in(
        attempt=attempt,
        position=practical_position(attempt),
        upload=upload("a.txt", b"x"),
        now=T0,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        marking_services.remove_hand_in(attempt=attempt, file_id=record.pk, now=T0)
    assert AttemptFile.objects.count() == 0
    assert not storages["private"].exists(record.file.name)
