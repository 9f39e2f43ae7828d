"""Booking a class, the waitlist, cancelling and promotion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from classes import services as services
from classes.models import (
    Booking,
    BookingStatus,
    CalendarFeedToken,
)
from tests.classes.support import MEETING, book_url, cancel_url, detail_url

pytestmark = pytest.mark.django_db


# --- booking and the waitlist --------------------------------------------------------


def test_a_full_class_puts_learners_on_the_waitlist_in_order(
    make_session, user_factory
):
    session = make_session(capacity=2)
    learners = [user_factory() for _ in range(4)]
    bookings = [
        services.book_session(user=learner, session=session)[0] for learner in learners
    ]
    assert [b.status for b in bookings] == [
        BookingStatus.BOOKED,
        BookingStatus.BOOKED,
        BookingStatus.WAITLISTED,
        BookingStatus.WAITLISTED,
    ]
    assert [b.position for b in bookings[2:]] == [1, 2]


def test_booking_twice_is_a_no_op(make_session, learner):
    session = make_session()
    first, created = services.book_session(user=learner, session=session)
    again, created_again = services.book_session(user=learner, session=session)
    assert created and not created_again
    assert again.pk == first.pk
    assert Booking.objects.filter(session=session, user=learner).count() == 1


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"published": False}, "not open for booking"),
        (
            {"starts_at": timezone.now() - timedelta(days=1)},
            "already started",
        ),
    ],
)
def test_unpublished_or_past_classes_refuse_bookings(
    make_session, client, learner, fields, message
):
    session = make_session(**fields)
    with pytest.raises(services.ClassNotBookable, match=message):
        services.book_session(user=learner, session=session)
    assert not Booking.objects.exists()


def test_learner_books_through_the_page_and_sees_the_meeting_link(
    make_session, client, learner
):
    session = make_session()
    client.force_login(learner)
    page = client.get(detail_url(session)).content.decode()
    assert "Book a seat" in page
    assert MEETING not in page
    response = client.post(book_url(session), follow=True)
    page = response.content.decode()
    assert "You are booked on Fundamentals live class." in page
    assert MEETING in page
    assert "Cancel my booking" in page


def test_a_learner_who_did_not_book_never_sees_the_meeting_link(
    make_session, client, user_factory
):
    session = make_session(capacity=1)
    services.book_session(user=user_factory(), session=session)
    waiting = user_factory()
    services.book_session(user=waiting, session=session)
    bystander = user_factory()
    for viewer in (None, bystander, waiting):
        viewer_client = Client()
        if viewer:
            viewer_client.force_login(viewer)
        page = viewer_client.get(detail_url(session)).content.decode()
        assert MEETING not in page
    page_of_waiting = client
    page_of_waiting.force_login(waiting)
    assert (
        "number 1 on the waitlist"
        in page_of_waiting.get(detail_url(session)).content.decode()
    )


def test_joining_the_waitlist_from_the_page(make_session, client, user_factory):
    session = make_session(capacity=1)
    services.book_session(user=user_factory(), session=session)
    learner = user_factory()
    client.force_login(learner)
    assert "Join the waitlist" in client.get(detail_url(session)).content.decode()
    page = client.post(book_url(session), follow=True).content.decode()
    assert "you are number 1 on the waitlist" in page
    assert MEETING not in page


def test_changes_need_post_and_csrf(make_session, learner):
    session = make_session()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(learner)
    assert csrf_client.get(book_url(session)).status_code == 405
    assert csrf_client.post(book_url(session)).status_code == 403
    assert csrf_client.get(cancel_url(session)).status_code == 405
    assert csrf_client.post(reverse("classes:calendar_regenerate")).status_code == 403
    assert not Booking.objects.exists()
    assert not CalendarFeedToken.objects.exists()


def test_unknown_class_is_a_404_not_an_error(client, learner):
    client.force_login(learner)
    assert client.get("/classes/999999/").status_code == 404
    assert client.post("/classes/999999/book/").status_code == 404
    assert client.post("/classes/999999/cancel/").status_code == 404
    assert client.get("/classes/?page=abc").status_code == 200


# --- cancelling and promotion --------------------------------------------------------


def test_cancelling_promotes_the_first_waitlisted_learner_and_emails_them(
    make_session, client, user_factory, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    holder = user_factory()
    first_waiting = user_factory(email="first-waiting@example.org")
    second_waiting = user_factory()
    for learner in (holder, first_waiting, second_waiting):
        services.book_session(user=learner, session=session)
    client.force_login(holder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(session), follow=True)
    assert "Your booking is cancelled." in response.content.decode()
    promoted = Booking.objects.get(session=session, user=first_waiting)
    assert promoted.status == BookingStatus.BOOKED
    assert promoted.promoted_at is not None
    assert Booking.objects.get(user=second_waiting).status == BookingStatus.WAITLISTED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["first-waiting@example.org"]
    assert "Fundamentals live class" in message.subject
    assert f"/classes/{session.pk}/" in message.body
    client.force_login(first_waiting)
    assert MEETING in client.get(detail_url(session)).content.decode()


def test_cancelling_after_the_cutoff_is_refused(make_session, client, user_factory):
    session = make_session(
        capacity=1,
        starts_at=timezone.now() + timedelta(hours=10),
        cancellation_cutoff_hours=24,
    )
    holder = user_factory()
    waiting = user_factory()
    services.book_session(user=holder, session=session)
    services.book_session(user=waiting, session=session)
    client.force_login(holder)
    page = client.get(detail_url(session)).content.decode()
    assert "Cancel my booking" not in page
    response = client.post(cancel_url(session), follow=True)
    assert "until 24 hours before the class starts" in response.content.decode()
    assert Booking.objects.get(user=holder).status == BookingStatus.BOOKED
    assert Booking.objects.get(user=waiting).status == BookingStatus.WAITLISTED


def test_cutoff_is_measured_from_the_start(make_session, learner):
    starts_at = datetime(2031, 1, 10, 9, tzinfo=UTC)
    session = make_session(starts_at=starts_at, cancellation_cutoff_hours=24)
    booking, _ = services.book_session(
        user=learner, session=session, now=starts_at - timedelta(days=3)
    )
    with pytest.raises(services.CancellationClosed):
        services.cancel_booking(
            booking=booking, acting_user=learner, now=starts_at - timedelta(hours=24)
        )
    cancelled = services.cancel_booking(
        booking=booking,
        acting_user=learner,
        now=starts_at - timedelta(hours=24, minutes=1),
    )
    assert cancelled.status == BookingStatus.CANCELLED


def test_a_learner_cannot_cancel_someone_elses_booking(
    make_session, learner, user_factory
):
    session = make_session()
    booking, _ = services.book_session(user=learner, session=session)
    with pytest.raises(services.PermissionDenied):
        services.cancel_booking(booking=booking, acting_user=user_factory())
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


def test_a_cancelled_learner_can_book_again(make_session, learner):
    session = make_session()
    booking, _ = services.book_session(user=learner, session=session)
    services.cancel_booking(booking=booking, acting_user=learner)
    again, created = services.book_session(user=learner, session=session)
    assert created and again.status == BookingStatus.BOOKED
