"""Helpers the tests here share."""

from datetime import UTC, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from exams import marking_services, services
from exams.models import (
    Marking,
)
from tests.factories import (
    correct_response,
    rubric_levels,
)

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sit(user, exam, *, theory_right=True, now=T0, text="My diagnosis."):
    """Start, answer (theory right or blank), write the practical and submit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        attempt = services.start_attempt(user=user, exam=exam, now=now)
        answers = {}
        for q in attempt.served_questions():
            if q.qtype == "practical":
                answers[q.position] = {"text": text}
            elif theory_right:
                answers[q.position] = correct_response(q.snapshot)
        services.save_answers(attempt=attempt, sequence=1, answers=answers, now=now)
        attempt = services.submit_attempt(
            attempt=attempt, now=now + timedelta(minutes=5)
        )
    return attempt


def grade(attempt, role, examiner, pick=0, *, now=None, feedback="Clear and ordered."):
    marking = Marking.objects.get(attempt=attempt, role=role)
    with TestCase.captureOnCommitCallbacks(execute=True):
        marking_services.submit_marking(
            marking_id=marking.pk,
            examiner=examiner,
            levels=rubric_levels(attempt, pick),
            feedback=feedback,
            now=now or T0 + timedelta(hours=1),
        )
    attempt.refresh_from_db()
    return attempt


def practical_position(attempt):
    return next(
        q.position for q in attempt.served_questions() if q.qtype == "practical"
    )


def upload(name, content):
    return SimpleUploadedFile(name, content)
