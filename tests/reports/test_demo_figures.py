"""On the demo that `make run` serves, every figure the reports show is possible:
rates between 0 and 100 %, no negative duration, no completion before enrolment."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import roles
from courses.models import Enrollment
from lms.loading import load_content
from tests.factories import UserFactory, make_course
from tests.reports.conftest import REPORTS

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BASE = "/admin/training-reports/"
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
DURATION_HEADINGS = ("days to complete", "time", "minutes", "duration")


def test_a_course_cannot_be_completed_before_it_is_enrolled(learner):
    enrollment = Enrollment.objects.create(user=learner, course=make_course(modules=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.filter(pk=enrollment.pk).update(
            completed_at=enrollment.enrolled_at - timezone.timedelta(days=1)
        )


def test_every_rate_and_duration_on_the_demo_is_possible(client, settings):
    settings.DEBUG = True
    load_content(ROOT / "content")
    call_command("seed_demo")
    client.force_login(UserFactory(roles=[roles.TRAINING_ADMINS]))
    problems, rates_seen = [], 0
    for report in REPORTS:
        response = client.get(f"{BASE}{report}/?export=csv")
        assert response.status_code == 200, report
        text = b"".join(response.streaming_content).decode()
        rows = list(csv.reader(io.StringIO(text)))
        headings = [h.lower() for h in rows[0]]
        for row in rows[1:]:
            for heading, cell in zip(headings, row, strict=False):
                if not NUMBER.match(cell):
                    continue
                value = float(cell)
                if "rate" in heading:  # exported as a share, 0 to 1
                    rates_seen += 1
                    if not 0 <= value <= 1:
                        problems.append((report, heading, cell))
                elif "%" in heading:
                    rates_seen += 1
                    if not 0 <= value <= 100:
                        problems.append((report, heading, cell))
                elif any(word in heading for word in DURATION_HEADINGS):
                    if value < 0:
                        problems.append((report, heading, cell))
    assert rates_seen > 10
    assert problems == []
    assert not Enrollment.objects.filter(
        completed_at__lt=timezone.now() - timezone.timedelta(days=100_000)
    ).exists()
