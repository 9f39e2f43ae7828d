"""With MFA required, staff work asks for a second factor wherever it lives: the
admin, a mentor's sign-off, taking attendance. A refused request changes nothing."""

from datetime import date, timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from classes.models import Booking, BookingStatus
from onboarding import services as onboarding_services
from tests.classes.fixtures import instructor, make_session  # noqa: F401
from tests.onboarding.test_onboarding import activity, at, member, people  # noqa: F401

pytestmark = pytest.mark.django_db

SETUP = reverse("mfa_activate_totp")


@pytest.fixture(autouse=True)
def _mfa_required(settings):
    settings.LMS_REQUIRE_MFA_FOR_ADMIN = True


def enrol(user):
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )


def test_a_mentor_signs_off_only_with_a_second_factor(
    client,
    member,  # noqa: F811
    people,  # noqa: F811
    time_machine,
):
    time_machine.move_to(at(date(2026, 11, 25)))
    progress = onboarding_services.complete_activity(
        user=people["hire"], activity=activity(1, "practice")
    )
    mentor = people["mentor"]
    client.force_login(mentor)
    sign_off = f"/onboarding-tasks/sign-off/{progress.pk}/"
    assert client.get("/onboarding-tasks/mentor/")["Location"] == SETUP
    refused = client.post(sign_off, {"decision": "approve"})
    assert refused.status_code == 302 and refused["Location"] == SETUP
    progress.refresh_from_db()
    assert progress.status != "signed_off"

    enrol(mentor)
    assert client.get("/onboarding-tasks/mentor/").status_code == 200
    client.post(sign_off, {"decision": "approve"})
    progress.refresh_from_db()
    assert progress.status == "signed_off"


def test_attendance_is_taken_only_with_a_second_factor(
    client,
    make_session,  # noqa: F811
    instructor,  # noqa: F811
    user_factory,
):
    starts_at = timezone.now() - timedelta(hours=1)
    session = make_session(starts_at=starts_at, ends_at=starts_at + timedelta(hours=3))
    booking = Booking.objects.create(
        session=session, user=user_factory(), status=BookingStatus.BOOKED
    )
    url = reverse("classes:attendance", args=[session.pk])
    client.force_login(instructor)
    assert client.get(url)["Location"] == SETUP
    refused = client.post(url, {f"booking-{booking.pk}": "attended"})
    assert refused["Location"] == SETUP
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED

    enrol(instructor)
    client.post(url, {f"booking-{booking.pk}": "attended"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED


def test_a_learner_is_not_sent_to_set_up_a_second_factor(client, learner):
    client.force_login(learner)
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/classes/").status_code == 200
