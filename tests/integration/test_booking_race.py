"""The last seats of a class, fought over by concurrent bookings on PostgreSQL."""

import threading
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from classes import services as services
from classes.models import Booking, BookingStatus, ClassSession
from tests.factories import UserFactory

from .conftest import concurrent_transactions

pytestmark = concurrent_transactions("the booking race")


def book_together(session, learners) -> list[Exception]:
    barrier = threading.Barrier(len(learners))
    errors: list[Exception] = []

    def book(learner):
        try:
            barrier.wait(timeout=10)
            services.book_session(user=learner, session=session)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(u,)) for u in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


def test_concurrent_bookings_never_exceed_capacity():
    instructor = UserFactory()
    starts_at = timezone.now() + timedelta(days=3)
    session = ClassSession.objects.create(
        title="Last seats",
        topic="Fundamentals",
        instructor=instructor,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        capacity=3,
        published=True,
    )
    # Two seats already gone: eight learners race for the last one.
    for _ in range(2):
        services.book_session(user=UserFactory(), session=session)
    racers = [UserFactory() for _ in range(8)]

    errors = book_together(session, racers)

    assert errors == []
    statuses = list(
        Booking.objects.filter(session=session).values_list("status", flat=True)
    )
    assert statuses.count(BookingStatus.BOOKED) == 3
    assert statuses.count(BookingStatus.WAITLISTED) == 7
    positions = sorted(
        Booking.objects.filter(
            session=session, status=BookingStatus.WAITLISTED
        ).values_list("position", flat=True)
    )
    assert positions == list(range(1, 8))


def test_the_same_learner_booking_twice_at_once_gets_one_booking():
    instructor = UserFactory()
    starts_at = timezone.now() + timedelta(days=3)
    session = ClassSession.objects.create(
        title="Double click",
        topic="Fundamentals",
        instructor=instructor,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        capacity=5,
        published=True,
    )
    learner = UserFactory()

    errors = book_together(session, [learner] * 4)

    assert errors == []
    assert Booking.objects.filter(session=session, user=learner).count() == 1
