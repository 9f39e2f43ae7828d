"""Writes for instructor-led classes: booking, waitlists, attendance, calendar
feed tokens and on-site training requests."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import (
    audit_values,
    is_internal_staff,
    is_training_admin,
    queue_email,
    record_audit_event,
    site_url,
    training_admin_emails,
)
from courses.api import Audience

from .models import (
    SEAT_STATUSES,
    Booking,
    BookingStatus,
    CalendarFeedToken,
    ClassSession,
    OnSiteRequestStatus,
    OnSiteTrainingRequest,
)
from .signals import attended


class BookingError(Exception):
    """The learner may not do this; ``str(error)`` is a message for them."""


class ClassNotBookable(BookingError):
    pass


class CancellationClosed(BookingError):
    pass


class TrainingRequestError(Exception):
    """An on-site training request cannot be made or answered as asked."""


def _lock_session(session: ClassSession) -> ClassSession:
    """The session row, locked: every seat change for one class runs in turn."""
    return ClassSession.objects.select_for_update().get(pk=session.pk)


def _active_booking(*, session: ClassSession, user) -> Booking | None:
    return (
        Booking.objects.filter(session=session, user=user)
        .exclude(status=BookingStatus.CANCELLED)
        .first()
    )


def _seats_taken(session: ClassSession) -> int:
    return Booking.objects.filter(session=session, status__in=SEAT_STATUSES).count()


def _next_waitlist_position(session: ClassSession) -> int:
    last = Booking.objects.filter(
        session=session, status=BookingStatus.WAITLISTED
    ).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


def can_manage_session(*, user, session: ClassSession) -> bool:
    """The class's instructor and training admins run a class (attendance)."""
    if not user.is_authenticated:
        return False
    return session.instructor_id == user.pk or is_training_admin(user)


@transaction.atomic
def book_session(
    *, user, session: ClassSession, now: datetime | None = None
) -> tuple[Booking, bool]:
    """Give ``user`` a seat in ``session``, or a place on its waitlist when full.

    Returns ``(booking, created)``; booking again while booked or waitlisted is a
    no-op returning the existing booking. The session row is locked for the rest of
    the transaction, so concurrent bookings are counted one after the other and the
    capacity is never exceeded. Raises :class:`ClassNotBookable` for an unpublished
    class, one that has started, or a class of an internal course the user may not
    see.
    """
    now = now or timezone.now()
    session = _lock_session(session)
    existing = _active_booking(session=session, user=user)
    if existing is not None:
        return existing, False
    if not session.published:
        raise ClassNotBookable(_("This class is not open for booking."))
    if session.starts_at <= now:
        raise ClassNotBookable(_("This class has already started."))
    if (
        session.course_id
        and session.course.audience == Audience.INTERNAL
        and not is_internal_staff(user)
    ):
        raise ClassNotBookable(_("This class is not open for booking."))
    if _seats_taken(session) < session.capacity:
        fields = {"status": BookingStatus.BOOKED}
    else:
        fields = {
            "status": BookingStatus.WAITLISTED,
            "position": _next_waitlist_position(session),
        }
    try:
        with transaction.atomic():
            return Booking.objects.create(session=session, user=user, **fields), True
    except IntegrityError:
        # Only reachable if the lock was bypassed; the learner keeps one booking.
        return _active_booking(session=session, user=user), False


def _notify_promoted(booking: Booking) -> None:
    session = booking.session
    url = settings.SITE_URL.rstrip("/") + reverse("classes:detail", args=[session.pk])
    context = {"booking": booking, "session": session, "url": url}
    queue_email(
        to=[booking.user.email],
        subject=_("A seat opened up: you are booked on %(title)s")
        % {"title": session.title},
        body_text=render_to_string("classes/email/promoted.txt", context),
    )


def _fill_free_seats(session: ClassSession, *, now: datetime) -> list[Booking]:
    """Move waitlisted learners, first come first served, into free seats.

    The caller holds the session lock. Each promoted learner is e-mailed once the
    transaction commits.
    """
    free = session.capacity - _seats_taken(session)
    if free <= 0 or session.starts_at <= now:
        return []
    promoted = list(
        Booking.objects.filter(session=session, status=BookingStatus.WAITLISTED)
        .select_related("user")
        .order_by("position", "pk")[:free]
    )
    for booking in promoted:
        booking.status = BookingStatus.BOOKED
        booking.position = None
        booking.promoted_at = now
        booking.save(update_fields=["status", "position", "promoted_at"])
        booking.session = session
        _notify_promoted(booking)
    return promoted


@transaction.atomic
def cancel_booking(
    *, booking: Booking, acting_user, now: datetime | None = None, reason: str = ""
) -> Booking:
    """Cancel ``booking`` for its learner; returns it, cancelled.

    Only the learner (or a training admin) may cancel. A seat may be given up
    until ``cancellation_cutoff_hours`` before the start; leaving the waitlist is
    allowed until the class starts. A freed seat goes at once to the first learner
    on the waitlist, who is e-mailed after commit. Cancelling twice is a no-op.
    Raises :class:`CancellationClosed` after the cut-off and ``PermissionDenied``
    for anyone else.
    """
    now = now or timezone.now()
    if booking.user_id != acting_user.pk and not is_training_admin(acting_user):
        raise PermissionDenied
    session = _lock_session(booking.session)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status == BookingStatus.CANCELLED:
        return booking
    if booking.status in (BookingStatus.ATTENDED, BookingStatus.NO_SHOW):
        raise CancellationClosed(_("Attendance is already recorded for this class."))
    if booking.status == BookingStatus.WAITLISTED:
        if session.starts_at <= now:
            raise CancellationClosed(_("This class has already started."))
    elif now >= session.cancellation_deadline:
        raise CancellationClosed(
            _(
                "Bookings can be cancelled until %(hours)s hours before the class "
                "starts. Please contact the training team."
            )
            % {"hours": session.cancellation_cutoff_hours}
        )
    held_seat = booking.holds_seat
    before = audit_values(booking, BOOKING_AUDIT_FIELDS)
    booking.status = BookingStatus.CANCELLED
    booking.position = None
    booking.cancelled_at = now
    booking.save(update_fields=["status", "position", "cancelled_at"])
    record_audit_event(
        actor=acting_user,
        subject=booking.user,
        action="classes.booking.cancel",
        target=booking,
        before=before,
        after=audit_values(booking, BOOKING_AUDIT_FIELDS),
        reason=reason,
    )
    if held_seat:
        _fill_free_seats(session, now=now)
    return booking


@transaction.atomic
def fill_free_seats(*, session: ClassSession, now: datetime | None = None) -> int:
    """Promote waitlisted learners into free seats, e.g. after capacity grew.

    Returns how many were promoted (each is e-mailed after commit). Safe to run
    any number of times.
    """
    session = _lock_session(session)
    return len(_fill_free_seats(session, now=now or timezone.now()))


BOOKING_AUDIT_FIELDS = ["status", "position", "cancelled_at", "attendance_marked_at"]

ATTENDANCE_STATUSES = (
    BookingStatus.BOOKED,
    BookingStatus.ATTENDED,
    BookingStatus.NO_SHOW,
)


@transaction.atomic
def mark_attendance(
    *,
    session: ClassSession,
    marks: dict[int, str],
    acting_user,
    now: datetime | None = None,
    reason: str = "",
) -> int:
    """Record who attended: ``marks`` maps booking ids to ``attended``/``no_show``.

    Only the session's instructor or a training admin may mark, and only once the
    class has started. Bookings that hold no seat (waitlisted, cancelled) or belong
    to another class are refused as a whole with ``BookingError``; nothing changes.
    Returns how many bookings changed.
    """
    now = now or timezone.now()
    if not can_manage_session(user=acting_user, session=session):
        raise PermissionDenied
    session = _lock_session(session)
    if session.starts_at > now:
        raise BookingError(_("Attendance can be marked once the class has started."))
    wanted = {BookingStatus.ATTENDED, BookingStatus.NO_SHOW}
    if any(status not in wanted for status in marks.values()):
        raise BookingError(_("Choose attended or did not attend."))
    bookings = {
        b.pk: b
        for b in Booking.objects.select_for_update().filter(
            session=session, pk__in=list(marks), status__in=ATTENDANCE_STATUSES
        )
    }
    if set(bookings) != set(marks):
        raise BookingError(_("Some of these learners are not booked on this class."))
    changed = 0
    for pk, status in marks.items():
        booking = bookings[pk]
        if booking.status != status:
            before = audit_values(booking, BOOKING_AUDIT_FIELDS)
            booking.status = status
            booking.attendance_marked_at = now
            booking.save(update_fields=["status", "attendance_marked_at"])
            record_audit_event(
                actor=acting_user,
                subject=booking.user,
                action="classes.booking.attendance",
                target=booking,
                before=before,
                after=audit_values(booking, BOOKING_AUDIT_FIELDS),
                reason=reason,
            )
            if status == BookingStatus.ATTENDED:
                transaction.on_commit(
                    lambda booking=booking: attended.send(
                        sender=Booking, booking=booking
                    )
                )
            changed += 1
    return changed


@transaction.atomic
def issue_feed_token(*, user) -> CalendarFeedToken:
    """A new private calendar feed token; any previous one stops working."""
    CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return CalendarFeedToken.objects.create(user=user)


@transaction.atomic
def revoke_feed_token(*, user) -> int:
    """Turn the learner's calendar feed off; returns how many tokens were revoked."""
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def request_onsite_training(
    *, requested_by, preferred_dates: str, attendees: int, topics: str
) -> OnSiteTrainingRequest:
    """Record an on-site training request for the requester's organization.

    Only an organization admin of a customer organization may ask; raises
    ``PermissionDenied`` otherwise. Training admins are e-mailed after commit.
    """
    if not (
        requested_by.is_authenticated
        and requested_by.is_organization_admin
        and requested_by.organization_id
    ):
        raise PermissionDenied
    if attendees < 1:
        raise TrainingRequestError(_("At least one attendee is needed."))
    request = OnSiteTrainingRequest.objects.create(
        organization_id=requested_by.organization_id,
        requested_by=requested_by,
        preferred_dates=preferred_dates.strip(),
        attendees=attendees,
        topics=topics.strip(),
    )
    team = training_admin_emails()
    if team:
        queue_email(
            to=team,
            subject=_("On-site training request from %(organization)s")
            % {"organization": request.organization.name},
            body_text=render_to_string(
                "classes/email/onsite_new.txt",
                {
                    "request": request,
                    "admin_url": site_url(
                        reverse("onsite_training_requests:edit", args=[request.pk])
                    ),
                },
            ),
        )
    return request


@transaction.atomic
def answer_onsite_request(
    *,
    request: OnSiteTrainingRequest,
    answered_by,
    answer: str,
    decline: bool = False,
) -> OnSiteTrainingRequest:
    """Answer (or decline) an on-site request and e-mail the requester after commit.

    Only training admins answer; raises ``PermissionDenied`` otherwise and
    :class:`TrainingRequestError` for an empty answer. Answering again replaces
    the answer and e-mails the new one.
    """
    if not is_training_admin(answered_by):
        raise PermissionDenied
    answer = answer.strip()
    if not answer:
        raise TrainingRequestError(_("Write an answer for the requester."))
    request = (
        OnSiteTrainingRequest.objects.select_for_update()
        .select_related("requested_by", "organization")
        .get(pk=request.pk)
    )
    request.status = (
        OnSiteRequestStatus.DECLINED if decline else OnSiteRequestStatus.ANSWERED
    )
    request.answer = answer
    request.answered_by = answered_by
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    queue_email(
        to=[request.requested_by.email],
        subject=_("Your on-site training request"),
        body_text=render_to_string(
            "classes/email/onsite_answer.txt", {"request": request}
        ),
    )
    return request


BOOKING_CHANGES = ("cancel", BookingStatus.ATTENDED, BookingStatus.NO_SHOW)


@transaction.atomic
def change_booking(
    *, booking: Booking, change: str, acting_user, reason: str
) -> Booking:
    """A training admin changes a booking from the admin: cancel it (the seat goes
    to the waitlist, as when the learner cancels) or record attendance. Each
    change keeps the same rules as the learner's and instructor's own screens,
    and is written to the audit log with its reason."""
    if change not in BOOKING_CHANGES:
        raise BookingError(_("Choose a change for this booking."))
    if change == "cancel":
        return cancel_booking(booking=booking, acting_user=acting_user, reason=reason)
    mark_attendance(
        session=booking.session,
        marks={booking.pk: change},
        acting_user=acting_user,
        reason=reason,
    )
    return Booking.objects.get(pk=booking.pk)
