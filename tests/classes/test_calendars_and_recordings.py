"""Calendar downloads and feeds, and who sees a class's recording and when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from classes import services as services
from classes.models import (
    Booking,
    BookingStatus,
    CalendarFeedToken,
    ClassKind,
)
from classes.selectors import session_detail
from tests.classes.support import MEETING, RECORDING, detail_url

pytestmark = pytest.mark.django_db


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
