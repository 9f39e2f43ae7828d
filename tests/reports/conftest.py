"""A small world with known answers: two customer organizations, internal staff,
one course, one certification exam and level."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import roles
from certificates.models import Certificate, ReminderSent
from courses.models import Enrollment
from exams.models import Attempt, AttemptStatus
from tests.factories import (
    OrganizationFactory,
    UserFactory,
    make_course,
    make_exam,
    make_level,
)

NOW = timezone.now()
TODAY = timezone.localdate()
# Every admin report, by its slug under /admin/training-reports/.
REPORTS = [
    "completion",
    "certification",
    "expiring",
    "exams",
    "onboarding",
    "classes",
    "compliance",
    "overdue",
]


def enroll(user, course, *, days_ago=30, completed_after=None, active=True):
    enrollment = Enrollment.objects.create(user=user, course=course)
    started = NOW - timedelta(days=days_ago)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        enrolled_at=started,
        last_activity_at=started if active or completed_after is not None else None,
        completed_at=started + timedelta(days=completed_after)
        if completed_after is not None
        else None,
    )
    return enrollment


def attempt(
    user,
    exam,
    *,
    number=1,
    percent=None,
    status=AttemptStatus.GRADED,
    minutes=20,
    days_ago=5,
):
    started = NOW - timedelta(days=days_ago)
    return Attempt.objects.create(
        user=user,
        exam=exam,
        number=number,
        status=status,
        started_at=started,
        deadline=started + timedelta(minutes=30),
        cutoff=started + timedelta(minutes=30),
        deadline_policy="auto_submit",
        pass_mark=Decimal(70),
        submitted_at=started + timedelta(minutes=minutes),
        graded_at=started + timedelta(minutes=minutes)
        if status == AttemptStatus.GRADED
        else None,
        percent=None if percent is None else Decimal(percent),
        passed=None if percent is None else percent >= 70,
    )


_serial = iter(range(1, 10_000))


def certificate(
    holder,
    level,
    *,
    issued_days_ago=100,
    expires_in=600,
    cycle=1,
    revoked=False,
    supersedes=None,
):
    return Certificate.objects.create(
        serial=f"T-{next(_serial)}",
        holder=holder,
        holder_name=str(holder),
        kind="certification",
        level=level,
        title=level.title,
        issued_on=TODAY - timedelta(days=issued_days_ago),
        expires_on=TODAY + timedelta(days=expires_in),
        cycle=cycle,
        supersedes=supersedes,
        revoked_at=NOW if revoked else None,
    )


@pytest.fixture
def world(db):
    north = OrganizationFactory(name="North", slug="north")
    south = OrganizationFactory(name="South", slug="south")
    a = [UserFactory(organization=north, last_name=f"North{i}") for i in range(4)]
    b = [UserFactory(organization=south, last_name=f"South{i}") for i in range(2)]
    staff = UserFactory(is_staff=True, roles=[roles.SUPPORT_HIRES], last_name="Staff")
    course = make_course(title="Gateway basics", modules=1)
    enroll(a[0], course, completed_after=2)
    enroll(a[1], course, completed_after=4)
    enroll(a[2], course, completed_after=10)
    enroll(a[3], course)
    enroll(b[0], course, active=False)
    enroll(b[1], course, completed_after=6)

    exam = make_exam(title="Associate exam")
    attempt(a[0], exam, percent=90, minutes=10)
    attempt(a[1], exam, percent=50, minutes=20)
    attempt(a[1], exam, number=2, percent=80, minutes=30)
    attempt(a[2], exam, percent=65, minutes=20)
    attempt(b[0], exam, percent=100, minutes=20)
    attempt(b[1], exam, status=AttemptStatus.SUBMITTED)
    attempt(staff, exam, percent=30, minutes=20)

    level = make_level(exams=[exam], title="Certified Associate", code="associate")
    valid = certificate(a[0], level)
    expiring = certificate(a[1], level, expires_in=30)
    ReminderSent.objects.create(certificate=expiring, offset_days=90)
    certificate(b[0], level, expires_in=-10)  # expired
    revoked = certificate(a[2], level, revoked=True)
    del revoked
    renewed = certificate(staff, level, issued_days_ago=900, expires_in=5)
    certificate(staff, level, cycle=2, supersedes=renewed, issued_days_ago=1)
    return {
        "north": north,
        "south": south,
        "north_people": a,
        "south_people": b,
        "staff": staff,
        "course": course,
        "exam": exam,
        "level": level,
        "valid": valid,
        "expiring": expiring,
    }
