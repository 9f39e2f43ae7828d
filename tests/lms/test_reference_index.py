"""Records about people stay out of Wagtail's reference index: an exam's start and
submit write no index rows, and no exam lists its attempts as usage; content keeps
its references."""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from wagtail.models import ReferenceIndex

from accounts.api import PersonRecord
from tests.factories import make_exam, pass_exam

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def admin_loaded():
    # The admin's view sets register their models when the URLs are first loaded.
    assert get_resolver().url_patterns


def test_records_are_not_indexed_and_content_is():
    records = [m for m in apps.get_models() if issubclass(m, PersonRecord)]
    assert {m._meta.label for m in records} >= {
        "exams.Attempt",
        "accounts.AuditEvent",
        "classes.Booking",
        "certificates.Certificate",
    }
    assert not [m for m in records if ReferenceIndex.is_indexed(m)]
    for content in ("exams.ExamPage", "exams.QuestionBank", "classes.ClassSession"):
        assert ReferenceIndex.is_indexed(apps.get_model(content))


def test_an_exam_sat_and_passed_writes_no_reference_rows(learner):
    exam = make_exam(count=3)
    before = ReferenceIndex.objects.count()
    with CaptureQueriesContext(connection) as queries:
        attempt = pass_exam(learner, exam)
    assert attempt.passed
    assert not [q for q in queries if "referenceindex" in q["sql"]]
    assert ReferenceIndex.objects.count() == before
    assert not list(ReferenceIndex.get_references_to(exam))
