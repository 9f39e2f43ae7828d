"""Instructor-led classes: booking, waitlist, calendars, recordings, attendance and
on-site requests, as learners, instructors and training admins meet them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts import roles
from classes import services as services
from classes.models import (
    Booking,
    BookingStatus,
    CalendarFeedToken,
    ClassKind,
    ClassSession,
    OnSiteRequestStatus,
    OnSiteTrainingRequest,
)
from classes.selectors import session_detail
from tests.factories import OrganizationFactory, make_course

pytestmark = pytest.mark.django_db

MEETING = "https://meet.example.com/secret-room"
RECORDING = "https://video.example.com/recording-42"


@pytest.fixture
def instructor(user_factory):
    return user_factory(email="instructor@example.org", roles=[roles.MENTORS])


@pytest.fixture
def make_session(instructor):
    def make(**fields) -> ClassSession:
        starts_at = fields.pop("starts_at", timezone.now() + timedelta(days=7))
        defaults = {
            "title": "Fundamentals live class",
            "topic": "Fundamentals",
            "instructor": instructor,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=3),
            "time_zone": "Europe/Berlin",
            "capacity": 3,
            "meeting_url": MEETING,
            "published": True,
        }
        defaults.update(fields)
        return ClassSession.objects.create(**defaults)

    return make


def detail_url(session) -> str:
    return reverse("classes:detail", args=[session.pk])


def book_url(session) -> str:
    return reverse("classes:book", args=[session.pk])


def cancel_url(session) -> str:
    return reverse("classes:cancel", args=[session.pk])


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


# --- calendars -----------------------------------------------------------------------


def _events(body: bytes) -> list:
    calendar = Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def test_ics_download_has_the_class_in_its_time_zone(make_session, client, learner):
    # 09:00 in Berlin in winter (CET, UTC+1) is 08:00 UTC.
    starts_at = datetime(2031, 1, 15, 8, 0, tzinfo=UTC)
    session = make_session(starts_at=starts_at, ends_at=starts_at + timedelta(hours=3))
    Booking.objects.create(session=session, user=learner, status=BookingStatus.BOOKED)
    client.force_login(learner)
    response = client.get(reverse("classes:ics", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"DTSTART;TZID=Europe/Berlin:20310115T090000" in response.content
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    (event,) = _events(response.content)
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Berlin"
    assert (start.hour, start.minute) == (9, 0)
    assert start.astimezone(UTC) == datetime(2031, 1, 15, 8, 0, tzinfo=UTC)
    assert event.decoded("DTEND").astimezone(UTC) == datetime(
        2031, 1, 15, 11, 0, tzinfo=UTC
    )
    assert str(event["SUMMARY"]) == "Fundamentals live class"
    assert MEETING in str(event["DESCRIPTION"])


def test_summer_time_shifts_the_utc_time(make_session, client, learner):
    # 09:00 in Berlin in summer (CEST, UTC+2) is 07:00 UTC.
    starts_at = datetime(2031, 7, 15, 7, 0, tzinfo=UTC)
    session = make_session(starts_at=starts_at, ends_at=starts_at + timedelta(hours=1))
    Booking.objects.create(session=session, user=learner, status=BookingStatus.BOOKED)
    client.force_login(learner)
    body = client.get(reverse("classes:ics", args=[session.pk])).content
    (event,) = _events(body)
    assert b"DTSTART;TZID=Europe/Berlin:20310715T090000" in body
    assert event.decoded("DTSTART").astimezone(UTC).hour == 7


def test_another_users_ics_is_a_404(make_session, client, learner, user_factory):
    session = make_session()
    services.book_session(user=learner, session=session)
    url = reverse("classes:ics", args=[session.pk])
    client.force_login(user_factory())
    assert client.get(url).status_code == 404
    waitlisted = user_factory()
    full = make_session(capacity=1)
    services.book_session(user=learner, session=full)
    services.book_session(user=waitlisted, session=full)
    client.force_login(waitlisted)
    assert client.get(reverse("classes:ics", args=[full.pk])).status_code == 404


def test_calendar_feed_lists_booked_classes_until_revoked(
    make_session, client, learner
):
    winter = datetime(2031, 1, 15, 8, 0, tzinfo=UTC)
    booked = make_session(title="Booked class", starts_at=winter)
    on_site = make_session(
        title="On-site week",
        kind=ClassKind.ON_SITE,
        location="Contoso HQ, Lisbon",
        time_zone="Europe/Lisbon",
        starts_at=datetime(2031, 2, 3, 9, 0, tzinfo=UTC),
        ends_at=datetime(2031, 2, 5, 17, 0, tzinfo=UTC),
    )
    make_session(title="Not booked")
    cancelled = make_session(title="Cancelled class")
    for session in (booked, on_site, cancelled):
        services.book_session(user=learner, session=session)
    services.cancel_booking(
        booking=Booking.objects.get(session=cancelled), acting_user=learner
    )
    client.force_login(learner)
    client.post(reverse("classes:calendar_regenerate"))
    token = CalendarFeedToken.objects.get(user=learner, revoked_at__isnull=True)
    page = client.get(reverse("classes:calendar")).content.decode()
    assert token.token in page
    feed_url = reverse("classes:feed", args=[token.token])
    anonymous = Client()
    response = anonymous.get(feed_url)
    assert response.status_code == 200
    events = {str(e["SUMMARY"]): e for e in _events(response.content)}
    assert set(events) == {"Booked class", "On-site week"}
    assert events["Booked class"].decoded("DTSTART").astimezone(UTC) == winter
    assert str(events["On-site week"]["LOCATION"]) == "Contoso HQ, Lisbon"
    assert str(events["On-site week"].decoded("DTSTART").tzinfo) == "Europe/Lisbon"

    client.post(reverse("classes:calendar_regenerate"))
    assert anonymous.get(feed_url).status_code == 404
    new_token = CalendarFeedToken.objects.get(user=learner, revoked_at__isnull=True)
    new_url = reverse("classes:feed", args=[new_token.token])
    assert anonymous.get(new_url).status_code == 200
    client.post(reverse("classes:calendar_revoke"))
    assert anonymous.get(new_url).status_code == 404
    assert (
        "Your calendar feed is off."
        in client.get(reverse("classes:calendar")).content.decode()
    )


def test_unknown_feed_token_is_a_404(client):
    assert client.get("/classes/feed/not-a-token.ics").status_code == 404


# --- recordings ----------------------------------------------------------------------


def test_recording_shows_for_booked_learners_for_recording_days(
    make_session, client, learner, user_factory, time_machine
):
    starts_at = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
    session = make_session(
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        recording_url=RECORDING,
        recording_days=30,
    )
    services.book_session(
        user=learner, session=session, now=starts_at - timedelta(days=2)
    )
    bystander = user_factory()

    def visible(viewer) -> bool:
        viewer_client = Client()
        viewer_client.force_login(viewer)  # sessions made before a time jump expire
        return RECORDING in viewer_client.get(detail_url(session)).content.decode()

    time_machine.move_to(starts_at + timedelta(hours=1), tick=False)
    assert not visible(learner)  # not before the class ends
    time_machine.move_to(session.ends_at + timedelta(minutes=1), tick=False)
    assert visible(learner)
    time_machine.move_to(session.ends_at + timedelta(days=30), tick=False)
    assert visible(learner)
    assert not visible(bystander)
    time_machine.move_to(session.ends_at + timedelta(days=31), tick=False)
    assert not visible(learner)


def test_recording_rule_with_an_explicit_clock(make_session, learner):
    starts_at = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
    session = make_session(
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        recording_url=RECORDING,
    )
    services.book_session(user=learner, session=session, now=starts_at - timedelta(1))
    day_30 = session.ends_at + timedelta(days=30)
    day_31 = session.ends_at + timedelta(days=31)
    assert session_detail(
        session_id=session.pk, user=learner, now=day_30
    ).show_recording
    assert not session_detail(
        session_id=session.pk, user=learner, now=day_31
    ).show_recording


# --- attendance ----------------------------------------------------------------------


def test_instructor_marks_attendance(make_session, client, instructor, user_factory):
    starts_at = timezone.now() - timedelta(hours=1)
    session = make_session(starts_at=starts_at, ends_at=starts_at + timedelta(hours=3))
    present = user_factory(first_name="Ada", last_name="Present")
    absent = user_factory(first_name="Bob", last_name="Absent")
    bookings = {
        user: Booking.objects.create(
            session=session, user=user, status=BookingStatus.BOOKED
        )
        for user in (present, absent)
    }
    url = reverse("classes:attendance", args=[session.pk])
    client.force_login(instructor)
    page = client.get(url).content.decode()
    assert "Ada Present" in page and "Bob Absent" in page
    response = client.post(
        url,
        {
            f"booking-{bookings[present].pk}": "attended",
            f"booking-{bookings[absent].pk}": "no_show",
        },
        follow=True,
    )
    assert "Attendance saved (2 change(s))." in response.content.decode()
    assert Booking.objects.get(user=present).status == BookingStatus.ATTENDED
    assert Booking.objects.get(user=absent).status == BookingStatus.NO_SHOW


def test_only_the_instructor_or_a_training_admin_marks_attendance(
    make_session, client, user_factory
):
    starts_at = timezone.now() - timedelta(hours=1)
    session = make_session(starts_at=starts_at, ends_at=starts_at + timedelta(hours=3))
    learner = user_factory()
    booking = Booking.objects.create(
        session=session, user=learner, status=BookingStatus.BOOKED
    )
    url = reverse("classes:attendance", args=[session.pk])
    client.force_login(learner)
    assert client.get(url).status_code == 404
    assert client.post(url, {f"booking-{booking.pk}": "attended"}).status_code == 404
    with pytest.raises(services.PermissionDenied):
        services.mark_attendance(
            session=session, marks={booking.pk: "attended"}, acting_user=learner
        )
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    services.mark_attendance(
        session=session, marks={booking.pk: "attended"}, acting_user=admin
    )
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.ATTENDED


def test_attendance_waits_for_the_class_to_start(make_session, instructor, learner):
    session = make_session()
    booking, _ = services.book_session(user=learner, session=session)
    with pytest.raises(services.BookingError, match="once the class has started"):
        services.mark_attendance(
            session=session, marks={booking.pk: "attended"}, acting_user=instructor
        )
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED


# --- on-site requests ----------------------------------------------------------------


def test_organization_admin_requests_an_on_site_class(
    client, user_factory, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory(name="Contoso Health", slug="contoso")
    org_admin = user_factory(organization=organization, is_organization_admin=True)
    team = user_factory(
        email="training.team@example.com", roles=[roles.TRAINING_ADMINS]
    )
    client.force_login(org_admin)
    url = reverse("classes:onsite_request")
    assert client.get(url).status_code == 200
    response = client.post(url, {"preferred_dates": "", "attendees": "0"})
    assert response.status_code == 200
    assert not OnSiteTrainingRequest.objects.exists()
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "preferred_dates": "Week of 3 March",
                "attendees": "12",
                "topics": "Fundamentals and incident response",
            },
            follow=True,
        )
    assert "the training team will answer" in response.content.decode()
    request = OnSiteTrainingRequest.objects.get()
    assert request.organization == organization
    assert request.status == OnSiteRequestStatus.NEW
    # The training team hears of it, with a link to answer it in the admin.
    [message] = mail.outbox
    assert message.to == [team.email]
    assert "Contoso Health" in message.subject
    assert "12" in message.body and "Week of 3 March" in message.body
    assert f"/admin/onsite_training_requests/edit/{request.pk}/" in message.body


def test_plain_learners_cannot_request_on_site_classes(client, learner):
    client.force_login(learner)
    assert client.get(reverse("classes:onsite_request")).status_code == 403


def test_training_admin_answers_an_on_site_request(
    user_factory, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory()
    org_admin = user_factory(
        email="boss@contoso.example",
        organization=organization,
        is_organization_admin=True,
    )
    request = services.request_onsite_training(
        requested_by=org_admin, preferred_dates="May", attendees=8, topics="Labs"
    )
    with pytest.raises(services.PermissionDenied):
        services.answer_onsite_request(
            request=request, answered_by=org_admin, answer="Yes"
        )
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_onsite_request(
            request=request, answered_by=admin, answer="We can come on 12-14 May."
        )
    request.refresh_from_db()
    assert request.status == OnSiteRequestStatus.ANSWERED
    assert request.answered_by == admin
    assert mail.outbox[0].to == ["boss@contoso.example"]
    assert "12-14 May" in mail.outbox[0].body


# --- the class list ------------------------------------------------------------------


def test_class_list_shows_upcoming_classes_with_seats(make_session, client, learner):
    course = make_course(title="Fundamentals")
    make_session(title="Upcoming class", course=course, topic="", capacity=5)
    make_session(title="Draft class", published=False)
    past = timezone.now() - timedelta(days=3)
    make_session(title="Past class", starts_at=past, ends_at=past + timedelta(hours=1))
    internal = make_course(title="Internal only", audience="internal")
    make_session(title="Staff class", course=internal, topic="")
    page = client.get("/classes/").content.decode()
    assert "Upcoming class" in page and "5 seats left" in page
    for hidden in ("Draft class", "Past class", "Staff class"):
        assert hidden not in page


def test_class_list_empty_state(client):
    page = client.get("/classes/").content.decode()
    assert "No upcoming classes" in page


def test_class_list_query_count_does_not_grow(
    make_session, client, learner, user_factory
):
    course = make_course()
    client.force_login(learner)

    def count() -> int:
        client.get("/classes/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/classes/")
        assert response.status_code == 200
        return len(queries)

    def add_sessions(n: int) -> None:
        for _ in range(n):
            session = make_session(course=course, capacity=1)
            services.book_session(user=learner, session=session)
            services.book_session(user=user_factory(), session=session)

    add_sessions(1)
    few = count()
    add_sessions(6)
    many = count()
    assert many == few


def test_session_validation_rules(instructor):
    from django.core.exceptions import ValidationError

    starts_at = timezone.now() + timedelta(days=10)
    long_virtual = ClassSession(
        title="Too long",
        topic="Talk",
        instructor=instructor,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=2),
        time_zone="Mars/Olympus",
    )
    with pytest.raises(ValidationError) as error:
        long_virtual.full_clean()
    assert set(error.value.message_dict) == {"ends_at", "time_zone"}
    on_site = ClassSession(
        title="Three days on site",
        topic="Deployment",
        kind=ClassKind.ON_SITE,
        location="Fabrikam, Oslo",
        instructor=instructor,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(days=3),
        time_zone="Europe/Oslo",
    )
    on_site.full_clean()


# --- the Wagtail admin ---------------------------------------------------------------


def test_training_admin_schedules_classes_and_answers_requests(
    client, make_session, user_factory, django_capture_on_commit_callbacks
):
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    org_admin = user_factory(
        email="lead@northwind.example",
        organization=OrganizationFactory(),
        is_organization_admin=True,
    )
    request = services.request_onsite_training(
        requested_by=org_admin, preferred_dates="June", attendees=10, topics="Labs"
    )
    session = make_session()
    client.force_login(admin)
    assert client.get("/admin/class_sessions/").status_code == 200
    assert client.get("/admin/class_sessions/new/").status_code == 200
    assert client.get(f"/admin/class_sessions/edit/{session.pk}/").status_code == 200
    assert client.get("/admin/class_bookings/").status_code == 200
    edit_url = f"/admin/onsite_training_requests/edit/{request.pk}/"
    response = client.post(edit_url, {"status": "answered", "answer": "  "})
    assert response.status_code == 200
    assert "Write an answer" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url, {"status": "answered", "answer": "We can do June."})
    request.refresh_from_db()
    assert request.status == OnSiteRequestStatus.ANSWERED
    assert request.answered_by == admin
    assert mail.outbox[-1].to == ["lead@northwind.example"]


def test_more_seats_move_the_waitlist_up(
    make_session, user_factory, django_capture_on_commit_callbacks
):
    session = make_session(capacity=1)
    services.book_session(user=user_factory(), session=session)
    waiting = user_factory()
    services.book_session(user=waiting, session=session)
    with django_capture_on_commit_callbacks(execute=True):
        session.capacity = 2
        session.save()
        services.fill_free_seats(session=session)
    assert Booking.objects.get(user=waiting).status == BookingStatus.BOOKED
    assert mail.outbox[-1].to == [waiting.email]
