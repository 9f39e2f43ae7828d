"""The class list, a class's validation rules, and scheduling in the Wagtail admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import roles
from classes import services as services
from classes.models import (
    Booking,
    BookingStatus,
    ClassKind,
    ClassSession,
    OnSiteRequestStatus,
)
from tests.factories import OrganizationFactory, make_course

pytestmark = pytest.mark.django_db


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


def test_bookings_are_found_by_a_learners_first_name_last_name_or_e_mail(
    client, make_session, user_factory
):
    session = make_session()
    for first, last, email in [
        ("Priya", "Natarajan", "pn@northwind.example"),
        ("Tomas", "Berg", "t.berg@contoso.example"),
    ]:
        Booking.objects.create(
            session=session,
            user=user_factory(first_name=first, last_name=last, email=email),
            status=BookingStatus.BOOKED,
        )
    client.force_login(user_factory(roles=[roles.TRAINING_ADMINS]))
    for query in ("Priya", "natarajan", "northwind"):
        page = client.get("/admin/class_bookings/", {"q": query}).content.decode()
        assert "Priya Natarajan" in page, query  # the booking's row
        assert "Tomas Berg" not in page, query
