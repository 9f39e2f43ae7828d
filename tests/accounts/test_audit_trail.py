"""Every admin change to a learner's record goes through a service and lands in
the audit log: who, about whom, what, before and after, why."""

from datetime import date

import pytest
from django.urls import reverse

from accounts import roles
from accounts.models import AuditEvent
from certificates import services as certificate_services
from classes import services as class_services
from classes.models import Booking, BookingStatus
from courses import services as course_services
from onboarding.models import CohortMember
from tests.classes.fixtures import instructor, make_session  # noqa: F401
from tests.factories import make_course, make_onboarding, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(user_factory):
    return user_factory(roles=[roles.TRAINING_ADMINS])


def test_cancelling_a_booking_in_the_admin_promotes_the_waitlist_and_is_logged(
    client,
    admin,
    user_factory,
    make_session,  # noqa: F811
):
    session = make_session(capacity=1)
    seated, waiting = user_factory(), user_factory()
    booking, _new = class_services.book_session(user=seated, session=session)
    queued, _new = class_services.book_session(user=waiting, session=session)
    assert queued.status == BookingStatus.WAITLISTED
    client.force_login(admin)
    url = reverse("class_bookings:edit", args=[booking.pk])
    form = client.get(url).content.decode()
    assert 'name="status"' not in form  # the status is never edited directly
    response = client.post(url, {"change": "cancel", "reason": "Asked by phone"})
    assert response.status_code == 302
    booking.refresh_from_db()
    queued.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_at
    assert queued.status == BookingStatus.BOOKED
    event = AuditEvent.objects.get(action="classes.booking.cancel")
    assert (event.actor, event.subject, event.reason) == (
        admin,
        seated,
        "Asked by phone",
    )
    assert event.before["status"] == BookingStatus.BOOKED
    assert event.after["status"] == BookingStatus.CANCELLED


def test_a_refused_booking_change_says_why_and_changes_nothing(
    client,
    admin,
    user_factory,
    make_session,  # noqa: F811
):
    booking, _new = class_services.book_session(
        user=user_factory(), session=make_session()
    )
    client.force_login(admin)
    url = reverse("class_bookings:edit", args=[booking.pk])
    response = client.post(url, {"change": "attended", "reason": "Was there"})
    assert response.status_code == 200
    assert "once the class has started" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.BOOKED
    assert not AuditEvent.objects.exists()


def test_cohort_admin_refuses_a_hire_as_their_own_mentor_and_logs_changes(
    client, admin, user_factory
):
    program = make_onboarding()
    cohort = program.cohorts.create(name="December", start_date=date(2026, 12, 7))
    hire = user_factory(roles=[roles.SUPPORT_HIRES])
    mentor = user_factory(roles=[roles.MENTORS])
    client.force_login(admin)
    add = reverse("cohort_members:add")
    response = client.post(
        add, {"cohort": cohort.pk, "hire": hire.pk, "mentor": hire.pk, "start_date": ""}
    )
    assert response.status_code == 200
    assert "cannot be their own mentor" in response.content.decode()
    assert not CohortMember.objects.exists()

    response = client.post(
        add,
        {"cohort": cohort.pk, "hire": hire.pk, "mentor": mentor.pk, "start_date": ""},
    )
    assert response.status_code == 302
    member = CohortMember.objects.get()
    response = client.post(reverse("cohort_members:delete", args=[member.pk]))
    assert response.status_code == 302
    assert not CohortMember.objects.exists()
    actions = list(
        AuditEvent.objects.filter(subject=hire)
        .order_by("pk")
        .values_list("action", "actor")
    )
    assert actions == [
        ("onboarding.member.set", admin.pk),
        ("onboarding.member.remove", admin.pk),
    ]


def test_exemptions_and_revocations_are_logged_about_the_learner(admin, learner):
    site_tree()
    course = make_course()
    course_services.grant_exemption(
        user=learner, course=course, granted_by=admin, reason="Holds CompTIA A+"
    )
    event = AuditEvent.objects.get(action="courses.exemption.grant")
    assert (event.subject, event.reason, event.before) == (
        learner,
        "Holds CompTIA A+",
        None,
    )
    from certificates.models import Certificate

    certificate = Certificate.objects.create(
        serial="MWR-AUDIT-1",
        holder=learner,
        holder_name=learner.display_name,
        kind="course",
        course=course,
        title=course.title,
        issued_on=date(2026, 1, 5),
    )
    certificate_services.revoke_certificate(
        certificate=certificate, revoked_by=admin, reason="Exam taken by proxy"
    )
    event = AuditEvent.objects.get(action="certificates.certificate.revoke")
    assert (event.subject, event.actor) == (learner, admin)
    assert event.before["revoked_at"] is None and event.after["revoked_at"]


def test_the_audit_log_filters_by_person_and_by_record(
    client, admin, learner, user_factory
):
    site_tree()
    other = user_factory(email="other.learner@example.com")
    course = make_course()
    mine = course_services.grant_exemption(
        user=learner, course=course, granted_by=admin, reason="Prior training"
    )
    course_services.grant_exemption(
        user=other, course=course, granted_by=admin, reason="Came from a partner"
    )
    client.force_login(admin)
    index = reverse("audit-log:index")

    def rows(**filters) -> int:
        html = client.get(index, filters).content.decode()
        return html.count("courses.exemption.grant")

    everyone = rows()
    assert everyone > 0
    assert rows(subject=learner.email.upper()) * 2 == everyone
    assert rows(target_id=str(mine.pk)) * 2 == everyone
    by_person = client.get(index, {"subject": learner.email}).content.decode()
    # People are typed, not listed: no page of the log lists every account.
    assert "other.learner@example.com" not in by_person
    assert rows(subject="nobody@example.com") == 0
