"""Classes: seats, waitlists, attendance."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    Q,
)

from classes.api import BookingStatus, ClassSession
from courses.api import CoursePage

from .common import (
    Scope,
    ratio,
)


@dataclass
class ClassRow:
    session: ClassSession
    seats_taken: int
    waitlisted: int
    attended: int
    no_show: int

    @property
    def fill_rate(self) -> float | None:
        return ratio(self.seats_taken, self.session.capacity)

    @property
    def attendance_rate(self) -> float | None:
        return ratio(self.attended, self.attended + self.no_show)


def class_rows(*, scope: Scope, course: CoursePage | None = None) -> list[ClassRow]:
    """Per class: seats taken, fill rate, waitlist length, attendance rate (of those
    whose attendance was marked). One query."""
    seat = Q(
        bookings__status__in=[
            BookingStatus.BOOKED,
            BookingStatus.ATTENDED,
            BookingStatus.NO_SHOW,
        ]
    )
    sessions = ClassSession.objects.filter(scope.period("starts_at"))
    if course is not None:
        sessions = sessions.filter(course=course)
    sessions = sessions.select_related("course").annotate(
        seats_taken=Count("bookings", filter=seat),
        waitlisted=Count(
            "bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)
        ),
        attended=Count("bookings", filter=Q(bookings__status=BookingStatus.ATTENDED)),
        no_show=Count("bookings", filter=Q(bookings__status=BookingStatus.NO_SHOW)),
    )
    return [
        ClassRow(s, s.seats_taken, s.waitlisted, s.attended, s.no_show)
        for s in sessions.order_by("starts_at", "pk")
    ]
