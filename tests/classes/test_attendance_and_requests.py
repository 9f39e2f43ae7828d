"""Attendance by the instructor, and on-site class requests from organisations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from classes import services as services
from classes.models import (
    Booking,
    BookingStatus,
    OnSiteRequestStatus,
    OnSiteTrainingRequest,
)
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


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
