"""Accommodations (extra time, extra attempts) are granted by training admins
only, never to themselves, and every grant is in the audit log."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts import roles
from accounts.models import AuditEvent
from exams import services
from exams.models import Accommodation
from tests.factories import make_exam, site_tree

pytestmark = pytest.mark.django_db

NEW = "/admin/accommodations/new/"


@pytest.fixture
def exam(db):
    site_tree()
    return make_exam(count=3, time_limit_minutes=30)


def form(user, exam, **values):
    return {
        "user": user.pk,
        "exam": exam.pk,
        "extra_time_percent": 25,
        "extra_attempts": 0,
        "extended_closes_at": "",
        "note": "Reading support",
        **values,
    }


@pytest.mark.parametrize("role", [roles.EXAMINERS, roles.LEAD_EXAMINERS, roles.MENTORS])
def test_only_training_admins_reach_the_accommodation_forms(
    client, exam, learner, user_factory, role
):
    client.force_login(user_factory(roles=[role]))
    assert client.get(NEW).status_code in (302, 403)
    response = client.post(NEW, form(learner, exam))
    assert response.status_code in (302, 403)
    assert not Accommodation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_examiner_cannot_grant_themself_400_percent_through_the_service(
    exam, user_factory
):
    examiner = user_factory(roles=[roles.EXAMINERS])
    with pytest.raises(PermissionDenied):
        services.set_accommodation(
            user=examiner,
            exam=exam,
            set_by=examiner,
            extra_time_percent=400,
            extra_attempts=100,
        )
    assert not Accommodation.objects.exists()


def test_a_training_admin_cannot_grant_themself_one(client, exam, user_factory):
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    client.force_login(admin)
    response = client.post(NEW, form(admin, exam, extra_time_percent=400))
    assert response.status_code == 200
    assert "cannot grant yourself an accommodation" in response.content.decode()
    assert not Accommodation.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("extra_attempts", 100), ("extra_time_percent", 401)]
)
def test_out_of_range_values_are_refused(
    client, exam, learner, user_factory, field, value
):
    client.force_login(user_factory(roles=[roles.TRAINING_ADMINS]))
    response = client.post(NEW, form(learner, exam, **{field: value}))
    assert response.status_code == 200
    assert "must be between" in response.content.decode()
    assert not Accommodation.objects.exists()


def test_every_grant_and_change_is_audited_before_and_after(
    client, exam, learner, user_factory
):
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    client.force_login(admin)
    assert client.post(NEW, form(learner, exam)).status_code == 302
    accommodation = Accommodation.objects.get()
    edit = f"/admin/accommodations/edit/{accommodation.pk}/"
    changed = form(learner, exam, extra_time_percent=50, note="Assessed again")
    assert client.post(edit, changed).status_code == 302
    granted, raised = AuditEvent.objects.order_by("pk")
    assert granted.actor == admin and granted.action == "exams.accommodation.set"
    assert granted.before is None
    assert granted.after["extra_time_percent"] == 25
    assert raised.before["extra_time_percent"] == 25
    assert raised.after["extra_time_percent"] == 50
    assert raised.reason == "Assessed again"
    assert raised.target_id == str(accommodation.pk)

    log = client.get(f"/admin/audit-log/?q={learner.last_name}")
    assert log.status_code == 200
    html = log.content.decode()
    assert "exams.accommodation.set" in html
    # The log is read-only.
    assert client.get(f"/admin/audit-log/edit/{raised.pk}/").status_code in (
        302,
        403,
        404,
    )


def test_the_audit_log_is_for_training_admins(client, user_factory):
    client.force_login(user_factory(roles=[roles.EXAMINERS]))
    assert client.get("/admin/audit-log/").status_code in (302, 403)
