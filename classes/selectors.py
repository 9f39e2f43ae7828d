"""Reads for instructor-led classes, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.api import is_internal_staff, is_training_admin
from courses.api import Audience

from .models import (
    SEAT_STATUSES,
    Booking,
    BookingStatus,
    CalendarFeedToken,
    ClassSession,
)


def visible_sessions(*, user) -> QuerySet[ClassSession]:
    """Published classes the user may see (internal courses for staff only)."""
    sessions = ClassSession.objects.filter(published=True)
    if not is_internal_staff(user):
        sessions = sessions.exclude(course__audience=Audience.INTERNAL)
    return sessions


def with_seats(sessions: QuerySet[ClassSession]) -> QuerySet[ClassSession]:
    return sessions.select_related("course", "instructor").annotate(
        seats_taken=Count("bookings", filter=Q(bookings__status__in=SEAT_STATUSES)),
        waitlist_length=Count(
            "bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)
        ),
    )


def upcoming_sessions(*, user, now: datetime | None = None) -> QuerySet[ClassSession]:
    """Classes that have not ended yet, soonest first, with seat counts."""
    now = now or timezone.now()
    return with_seats(visible_sessions(user=user).filter(ends_at__gt=now)).order_by(
        "starts_at", "pk"
    )


def bookings_by_session(*, user, sessions: list[ClassSession]) -> dict[int, Booking]:
    """The user's live booking for each of ``sessions`` (one query)."""
    if not user.is_authenticated or not sessions:
        return {}
    bookings = Booking.objects.filter(
        user=user, session__in=[s.pk for s in sessions]
    ).exclude(status=BookingStatus.CANCELLED)
    return {b.session_id: b for b in bookings}


def recording_visible(
    *, session: ClassSession, booking: Booking | None, now: datetime
) -> bool:
    """A booked learner may watch the recording from the end of the class for
    ``recording_days`` days (the last day included); nobody else sees the link."""
    return bool(
        session.recording_url
        and booking is not None
        and booking.holds_seat
        and session.ends_at <= now <= session.recording_available_until
    )


@dataclass
class SessionDetail:
    session: ClassSession
    booking: Booking | None
    seats_left: int
    waitlist_length: int
    can_manage: bool
    show_meeting_link: bool
    show_recording: bool
    can_book: bool
    can_cancel: bool
    has_started: bool


def session_detail(
    *, session_id: int, user, now: datetime | None = None
) -> SessionDetail | None:
    """Everything the class page shows; ``None`` when the user may not see it."""
    now = now or timezone.now()
    session = with_seats(visible_sessions(user=user)).filter(pk=session_id).first()
    if session is None:
        return None
    booking = bookings_by_session(user=user, sessions=[session]).get(session.pk)
    has_started = session.starts_at <= now
    is_booked = booking is not None and booking.holds_seat
    manages = user.is_authenticated and (
        session.instructor_id == user.pk or is_training_admin(user)
    )
    if booking is None or booking.status == BookingStatus.WAITLISTED:
        can_cancel = booking is not None and not has_started
    else:
        can_cancel = booking.status == BookingStatus.BOOKED and (
            now < session.cancellation_deadline
        )
    return SessionDetail(
        session=session,
        booking=booking,
        seats_left=max(session.capacity - session.seats_taken, 0),
        waitlist_length=session.waitlist_length,
        can_manage=manages,
        show_meeting_link=bool(session.meeting_url)
        and (is_booked or manages)
        and now <= session.ends_at,
        show_recording=recording_visible(session=session, booking=booking, now=now),
        can_book=booking is None and not has_started,
        can_cancel=can_cancel,
        has_started=has_started,
    )


def booked_session(*, user, session_id: int) -> ClassSession | None:
    """The class, if ``user`` holds a seat in it (for its .ics download)."""
    if not user.is_authenticated:
        return None
    booking = (
        Booking.objects.filter(
            user=user, session_id=session_id, status__in=SEAT_STATUSES
        )
        .select_related("session", "session__course", "session__instructor")
        .first()
    )
    return booking.session if booking else None


def feed_owner(*, token: str) -> CalendarFeedToken | None:
    """The live feed token (with its user), or ``None`` if unknown or revoked."""
    return (
        CalendarFeedToken.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )


def feed_sessions(*, user, limit: int = 500) -> list[ClassSession]:
    """The classes ``user`` holds a seat in, newest last (one query)."""
    return list(
        ClassSession.objects.filter(
            bookings__user=user, bookings__status__in=SEAT_STATUSES
        )
        .select_related("course", "instructor")
        .order_by("-starts_at")[:limit][::-1]
    )


def active_feed_token(*, user) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def attendance_roster(*, session: ClassSession) -> list[Booking]:
    """Learners holding a seat, by name, with their user (one query)."""
    return list(
        Booking.objects.filter(session=session, status__in=SEAT_STATUSES)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )


def waitlist(*, session: ClassSession) -> list[Booking]:
    return list(
        Booking.objects.filter(session=session, status=BookingStatus.WAITLISTED)
        .select_related("user")
        .order_by("position", "pk")
    )
