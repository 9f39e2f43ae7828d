"""Deactivating a person: signed out everywhere, no sign-in, history and
certificates kept, shown as inactive; reactivating; audited with a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import roles
from accounts.models import AuditEvent, Organization, User
from people.services import set_active
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(user_factory):
    return user_factory(roles=[roles.TRAINING_ADMINS], is_staff=True, is_superuser=True)


def test_a_deactivated_person_is_signed_out_and_cannot_sign_in(client, admin, learner):
    client.force_login(learner)
    assert client.get("/dashboard/").status_code == 200

    set_active(actor=admin, person=learner, active=False, reason="Left the company")

    assert client.get("/dashboard/").status_code == 302
    response = client.post(
        "/accounts/login/", {"login": learner.email, "password": PASSWORD}
    )
    assert (
        response["Location"] == "/accounts/inactive/"
    )  # refused, with a page saying so
    assert client.get("/dashboard/").status_code == 302
    event = AuditEvent.objects.get(action="person.deactivate")
    assert event.reason == "Left the company" and event.subject == learner


def test_reactivation_lets_them_back_in(client, admin, learner):
    set_active(actor=admin, person=learner, active=False, reason="Leave")
    set_active(actor=admin, person=learner, active=True, reason="Back")

    response = client.post(
        "/accounts/login/", {"login": learner.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="person.activate").count() == 1


def test_only_training_admins_with_a_reason_and_not_themselves(
    admin, learner, user_factory
):
    with pytest.raises(PermissionDenied):
        set_active(actor=user_factory(), person=learner, active=False, reason="x")
    with pytest.raises(ValidationError):
        set_active(actor=admin, person=learner, active=False, reason=" ")
    with pytest.raises(ValidationError):
        set_active(actor=admin, person=admin, active=False, reason="x")
    assert User.objects.get(pk=learner.pk).is_active


def test_the_organisation_report_shows_inactive_people(client, admin, user_factory):
    org = Organization.objects.create(name="Northwind", slug="northwind")
    viewer = user_factory(organization=org, is_organization_admin=True)
    gone = user_factory(organization=org, first_name="Gina", last_name="Gone")
    set_active(actor=admin, person=gone, active=False, reason="Left")
    client.force_login(viewer)

    page = client.get("/organization/").content.decode()

    assert "Gina Gone" in page and "inactive" in page


def test_the_admin_page_deactivates_with_a_reason(client, admin, learner):
    client.force_login(admin)
    url = f"/admin/people/{learner.pk}/active/"

    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 200
    assert User.objects.get(pk=learner.pk).is_active
    assert client.post(url, {"reason": "Left"}).status_code == 302
    assert not User.objects.get(pk=learner.pk).is_active
    assert "Reactivate" in client.get("/admin/users/").content.decode()


def test_the_admins_bulk_set_active_state_is_audited_and_signs_out(
    client, admin, learner, user_factory, settings
):
    """Wagtail's bulk action in the user list goes through the same service:
    audited, and the person's sessions (and any exam state kept for them) end."""
    from django.test import Client

    from exams import live, services
    from tests.factories import make_exam

    settings.LMS_REQUIRE_MFA_FOR_ADMIN = False
    other = user_factory()
    sitting = Client()
    sitting.force_login(learner)
    attempt = services.start_attempt(user=learner, exam=make_exam())
    sitting.get(f"/exams/attempts/{attempt.public_id}/status/")
    assert live.for_session(sitting.session, attempt.public_id) is not None

    client.force_login(admin)
    url = "/admin/bulk/accounts/user/set_active_state/"
    ids = f"?id={learner.pk}&id={other.pk}&id={admin.pk}"
    assert client.get(url + ids).status_code == 200  # the confirmation page
    response = client.post(url + ids, {"mark_as_active": "False"})
    assert response.status_code == 302

    assert not User.objects.get(pk=learner.pk).is_active
    assert not User.objects.get(pk=other.pk).is_active
    assert User.objects.get(pk=admin.pk).is_active  # never oneself
    events = AuditEvent.objects.filter(action="person.deactivate")
    assert {event.subject_id for event in events} == {learner.pk, other.pk}
    assert all(event.actor == admin and event.reason for event in events)
    assert live.for_session(sitting.session, attempt.public_id) is None
    assert sitting.get("/dashboard/").status_code == 302

    client.post(url + f"?id={learner.pk}", {"mark_as_active": "True"})
    assert User.objects.get(pk=learner.pk).is_active
    assert AuditEvent.objects.filter(action="person.activate").count() == 1
