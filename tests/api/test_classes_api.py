"""Classes and bookings through the API: published classes from today on with
seats taken (never the meeting link), and bookings of the caller's people only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Organization
from classes import services
from tests.api.test_api import bearer, get_token, make_client
from tests.classes.fixtures import instructor, make_session  # noqa: F401

pytestmark = pytest.mark.django_db


def test_classes_show_seats_and_bookings_stay_within_the_organisation(
    client,
    user_factory,
    make_session,  # noqa: F811
):
    northwind = Organization.objects.create(name="Northwind", slug="northwind")
    admin = user_factory()
    ours, theirs = user_factory(organization=northwind), user_factory()
    upcoming = make_session(capacity=2)
    make_session(title="Draft", published=False)
    make_session(
        title="Last month",
        starts_at=timezone.now() - timedelta(days=30),
    )
    services.book_session(user=ours, session=upcoming)
    services.book_session(user=theirs, session=upcoming)
    token = get_token(
        client, *make_client(admin, northwind, "learning:read"), scope="learning:read"
    )

    classes = client.get("/api/v1/classes/", **bearer(token)).json()["results"]
    bookings = client.get("/api/v1/bookings/", **bearer(token)).json()["results"]

    assert [(c["title"], c["seats_taken"], c["capacity"]) for c in classes] == [
        ("Fundamentals live class", 2, 2)
    ]
    assert "meeting_url" not in classes[0]
    assert [(b["person"], b["session"], b["status"]) for b in bookings] == [
        (ours.pk, upcoming.pk, "booked")
    ]
