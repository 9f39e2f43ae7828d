"""Demo instructor-led classes: one with seats, a full one with a waitlist, an
on-site week, a weekly talk and a past class with its recording.

Bookings go through the training services, so the demo obeys the real rules.
Idempotent: classes are found again by title, and booking twice is a no-op.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts import roles
from accounts.models import User
from classes import services as training_services
from classes.models import ClassKind, ClassSession
from courses.models import CoursePage

from .accounts import ensure_user

BERLIN = "Europe/Berlin"


def _at(day, hour: int, zone: str) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=zoneinfo.ZoneInfo(zone))


def _session(title: str, **fields) -> ClassSession:
    session, _created = ClassSession.objects.update_or_create(
        title=title, defaults={"published": True, **fields}
    )
    return session


def seed_classes() -> int:
    """Create the demo classes and bookings; returns how many classes exist."""

    def existing_or_new(email, first, last, role_names):
        # Existing demo users keep their organization, manager and roles.
        return (
            User.objects.filter(email=email).first()
            or ensure_user(
                email=email, first_name=first, last_name=last, role_names=role_names
            )[0]
        )

    instructor = existing_or_new(
        "mentor@example.com", "Maria", "Garcia", [roles.MENTORS, roles.EXAMINERS]
    )
    learners: list[User] = [
        existing_or_new(email, first, last, [roles.LEARNERS])
        for email, first, last in [
            ("amara.nwosu@example.com", "Amara", "Nwosu"),
            ("bilal.haddad@example.com", "Bilal", "Haddad"),
        ]
    ]
    customer = User.objects.filter(email="customer@example.com").first()
    fundamentals = CoursePage.objects.filter(title__icontains="Fundamentals").first()
    today = timezone.localdate()
    next_week = today + timedelta(days=7 - today.weekday())  # next Monday

    _session(
        "MWRASP Fundamentals — live virtual class",
        course=fundamentals,
        topic="" if fundamentals else "MWRASP Fundamentals",
        kind=ClassKind.VIRTUAL,
        instructor=instructor,
        starts_at=_at(next_week + timedelta(days=1), 9, BERLIN),
        ends_at=_at(next_week + timedelta(days=1), 13, BERLIN),
        time_zone=BERLIN,
        capacity=12,
        meeting_url="https://meet.example.com/fundamentals-live",
    )
    full = _session(
        "Incident response clinic (small group)",
        course=fundamentals,
        topic="" if fundamentals else "Incident response",
        kind=ClassKind.VIRTUAL,
        instructor=instructor,
        starts_at=_at(next_week + timedelta(days=2), 15, BERLIN),
        ends_at=_at(next_week + timedelta(days=2), 17, BERLIN),
        time_zone=BERLIN,
        capacity=2,
        meeting_url="https://meet.example.com/ir-clinic",
    )
    for learner in learners:
        training_services.book_session(user=learner, session=full)

    on_site_start = next_week + timedelta(days=14)
    _session(
        "On-site deployment workshop (3 days)",
        course=fundamentals,
        topic="" if fundamentals else "Deployment and operations",
        kind=ClassKind.ON_SITE,
        instructor=instructor,
        starts_at=_at(on_site_start, 9, "Europe/London"),
        ends_at=_at(on_site_start + timedelta(days=2), 17, "Europe/London"),
        time_zone="Europe/London",
        capacity=16,
        location="Northwind Logistics training centre, 12 Dock Road, London",
    )
    _session(
        "Weekly technical talk: reading gateway logs",
        topic="Weekly technical talk",
        kind=ClassKind.VIRTUAL,
        instructor=instructor,
        starts_at=_at(next_week + timedelta(days=3), 16, BERLIN),
        ends_at=_at(next_week + timedelta(days=3), 17, BERLIN),
        time_zone=BERLIN,
        capacity=100,
        meeting_url="https://meet.example.com/tech-talk",
    )
    past_day = today - timedelta(days=10)
    past = _session(
        "Monthly soft-skills workshop: calm calls",
        topic="Monthly soft-skills workshop",
        kind=ClassKind.VIRTUAL,
        instructor=instructor,
        starts_at=_at(past_day, 14, BERLIN),
        ends_at=_at(past_day, 16, BERLIN),
        time_zone=BERLIN,
        capacity=30,
        meeting_url="https://meet.example.com/soft-skills",
        recording_url="https://video.example.com/soft-skills-calm-calls",
    )
    booked_before = past.starts_at - timedelta(days=7)
    for learner in [*learners, customer]:
        if learner is not None:
            training_services.book_session(
                user=learner, session=past, now=booked_before
            )
    return ClassSession.objects.count()
