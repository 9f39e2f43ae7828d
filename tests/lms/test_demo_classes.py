"""The demo classes: one with seats, a full one with a waitlist, an on-site week,
a weekly talk and a past class whose recording the booked learners can watch."""

import pytest
from django.utils import timezone

from classes.models import Booking, BookingStatus, ClassKind, ClassSession
from lms.demo.accounts import seed_accounts
from lms.demo.classes import seed_classes

pytestmark = pytest.mark.django_db


def test_seed_classes_is_idempotent_and_shows_every_case(client):
    seed_accounts()
    seed_classes()
    assert seed_classes() == 5
    full = ClassSession.objects.get(capacity=2)
    assert full.bookings.filter(status=BookingStatus.BOOKED).count() == 2
    on_site = ClassSession.objects.get(kind=ClassKind.ON_SITE)
    assert (on_site.ends_at - on_site.starts_at).days == 2
    past = ClassSession.objects.get(ends_at__lt=timezone.now())
    assert Booking.objects.filter(session=past, user__email="customer@example.com")
    client.login(email="customer@example.com", password="demo-pass-123")
    assert "Join the waitlist" in client.get(f"/classes/{full.pk}/").content.decode()
    assert past.recording_url in client.get(f"/classes/{past.pk}/").content.decode()
