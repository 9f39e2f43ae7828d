"""Webhooks delivered to a real HTTP receiver on 127.0.0.1 that fails, times out,
answers 500 and then succeeds: signatures verify with the library's verifier,
the webhook-id stays the same, retries stop at success, nothing is sent for a
rolled-back change, deliveries give up after 24 hours and a subscription that
keeps failing is switched off."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.models import Organization, OutboundEmail
from certificates.api import revoke_certificate
from people.services import apply_active
from tests.factories import make_certificate, make_exam, make_level, site_tree
from webhooks import delivery, tasks
from webhooks.models import Delivery, Subscription
from webhooks.retry import DeliveryStatus

from .receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _short_timeout(settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5


@pytest.fixture
def receiver():
    made = []

    def make(subscription, script=()):
        r = Receiver(subscription.secret, script, slow_seconds=1.5)
        subscription.url = r.url
        subscription.save()
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


@pytest.fixture
def subscription():
    return Subscription.objects.create(
        url="http://127.0.0.1:9/unused", events=["certificate.revoked"]
    )


@pytest.fixture
def admin(user_factory):
    return user_factory(roles=[roles.TRAINING_ADMINS])


@pytest.fixture
def certificate(user_factory):
    site_tree()
    level = make_level(exams=[make_exam(count=2)], code="associate", title="Associate")
    return make_certificate(user_factory(), level, expires_on=None)


def revoke(certificate, admin, capture):
    with capture(execute=True):
        revoke_certificate(certificate=certificate, revoked_by=admin, reason="Leaked")


def later(**delta):
    return time_machine.travel(timezone.now() + timedelta(**delta), tick=True)


def test_retries_through_failure_timeout_and_500_then_stops_at_success(
    subscription, receiver, certificate, admin, django_capture_on_commit_callbacks
):
    hooks = receiver(subscription, script=["fail", "slow", "fail", "ok"])

    revoke(certificate, admin, django_capture_on_commit_callbacks)  # attempt 1: 500
    row = Delivery.objects.get()
    assert row.status == DeliveryStatus.RETRYING and row.last_status_code == 500
    assert row.last_error == "receiver is down"
    with later(seconds=6):
        assert tasks.deliver_due() == 1  # attempt 2: times out
        row.refresh_from_db()
        assert row.last_status_code is None and "Timeout" in row.last_error
    with later(minutes=6):
        tasks.deliver_due()  # attempt 3: 500
    with later(minutes=40):
        tasks.deliver_due()  # attempt 4: 204
        row.refresh_from_db()
        assert row.status == DeliveryStatus.DELIVERED and row.attempts == 4
        assert row.last_status_code == 204 and row.last_latency_ms is not None
    with later(hours=30):
        assert tasks.deliver_due() == 0  # nothing more after success

    assert len(hooks.received) == 4
    assert all(r["verified"] for r in hooks.received[:1] + hooks.received[2:])
    assert len({r["headers"]["webhook-id"] for r in hooks.received}) == 1
    payload = hooks.received[-1]["payload"]
    assert payload["type"] == "certificate.revoked"
    assert payload["data"]["serial"] == certificate.serial
    assert payload["data"]["revocation_reason"] == "Leaked"


def test_a_tampered_body_does_not_verify(subscription, certificate, admin):
    from standardwebhooks import Webhook

    with transaction.atomic():
        revoke_certificate(certificate=certificate, revoked_by=admin, reason="x")
    row = Delivery.objects.get()
    body, headers = delivery.signed_request(row, timezone.now())
    Webhook(subscription.secret).verify(body, headers)
    with pytest.raises(Exception, match="(?i)signature"):
        Webhook(subscription.secret).verify(body.replace(b"x", b"y"), headers)


def test_nothing_is_sent_for_a_rolled_back_change(
    subscription, receiver, certificate, admin, django_capture_on_commit_callbacks
):
    hooks = receiver(subscription)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            revoke_certificate(certificate=certificate, revoked_by=admin, reason="x")
            raise RuntimeError("the change fails after the event")

    assert not Delivery.objects.exists() and hooks.received == []


def test_a_delivery_gives_up_after_24_hours_and_a_dead_receiver_is_switched_off(
    subscription,
    receiver,
    certificate,
    admin,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    monkeypatch.setattr(delivery, "DISABLE_AFTER", 7)
    hooks = receiver(subscription, script=["fail"] * 50)
    revoke(certificate, admin, django_capture_on_commit_callbacks)
    row = Delivery.objects.get()
    for hours in (0.01, 0.1, 0.7, 3, 8, 18, 26):
        with later(hours=hours):
            tasks.deliver_due()
    row.refresh_from_db()
    subscription.refresh_from_db()

    assert row.status == DeliveryStatus.GAVE_UP and row.next_attempt_at is None
    assert row.attempts == 7 == len(hooks.received)  # the 8th would come after 24 h
    assert (
        not subscription.active and "7 failed attempts" in subscription.disabled_reason
    )
    warning = OutboundEmail.objects.get(subject__startswith="Webhook switched off")
    assert admin.email in warning.to


def test_replay_sends_the_same_message_again(
    subscription,
    receiver,
    certificate,
    admin,
    django_capture_on_commit_callbacks,
    client,
):
    hooks = receiver(subscription)
    revoke(certificate, admin, django_capture_on_commit_callbacks)
    row = Delivery.objects.get()
    assert row.status == DeliveryStatus.DELIVERED
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/webhook-deliveries/{row.pk}/replay/")

    assert response.status_code == 302
    assert [r["headers"]["webhook-id"] for r in hooks.received] == [row.message_id] * 2
    log = client.get("/admin/webhook-deliveries/").content.decode()
    assert "certificate.revoked" in log and "204" in log
    assert client.get(f"/admin/webhook-deliveries/{row.pk}/replay/").status_code == 405


def test_an_organisations_subscription_hears_only_its_people(
    receiver, user_factory, django_capture_on_commit_callbacks, admin
):
    northwind = Organization.objects.create(name="Northwind", slug="northwind")
    theirs = Subscription.objects.create(
        url="http://x", events=["person.deactivated"], organization=northwind
    )
    everyone = Subscription.objects.create(
        url="http://y", events=["person.deactivated"]
    )
    hooks_theirs, hooks_all = receiver(theirs), receiver(everyone)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        apply_active(user_factory(organization=northwind), active=False, reason="Left")
        apply_active(user_factory(), active=False, reason="Left")

    assert len(hooks_theirs.received) == 1 and len(hooks_all.received) == 2


def test_events_come_from_sign_up_import_and_course_completion(
    receiver, django_capture_on_commit_callbacks, user_factory
):
    subscription = Subscription.objects.create(
        url="http://x", events=["person.created"]
    )
    hooks = receiver(subscription)

    with django_capture_on_commit_callbacks(execute=True):
        person = user_factory(email="new.person@example.org")

    [event] = hooks.received
    assert event["payload"]["data"]["person"]["email"] == "new.person@example.org"
    assert event["verified"] and person.pk == event["payload"]["data"]["person"]["id"]


def test_only_training_admins_see_webhooks(client, user_factory):
    client.force_login(user_factory(is_staff=True, roles=[roles.MENTORS]))
    assert client.get("/admin/webhook-deliveries/").status_code in (302, 403)
    assert client.get("/admin/webhooks/").status_code in (302, 403)


def test_receivers_must_use_https_outside_development(client, admin, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    client.force_login(admin)

    response = client.post(
        "/admin/webhooks/new/",
        {
            "url": "http://receiver.example/hook",
            "events": ["certificate.issued"],
            "active": "on",
        },
    )

    assert response.status_code == 200 and "HTTPS" in response.content.decode()
    assert not Subscription.objects.exists()


def test_expiring_and_overdue_events_come_once_from_the_reminder_jobs(
    receiver, user_factory, admin, django_capture_on_commit_callbacks
):
    from datetime import date

    from assignments.models import AudienceKind
    from assignments.reminders import send_assignment_reminders
    from assignments.services import create_assignment
    from certificates.api import Certificate
    from certificates.services import send_expiry_reminders
    from tests.factories import make_course

    subscription = Subscription.objects.create(
        url="http://x", events=["certificate.expiring", "assignment.overdue"]
    )
    hooks = receiver(subscription)
    site_tree()
    level = make_level(exams=[make_exam(count=2)], code="associate", title="Associate")
    holder = user_factory()
    make_certificate(holder, level, expires_on=timezone.localdate() + timedelta(days=6))
    late = user_factory()
    create_assignment(
        actor=admin,
        item=make_course(title="Security awareness", modules=1),
        audience=AudienceKind.PEOPLE,
        people=[late],
        due_on=date(2026, 1, 5),
    )

    for _ in range(2):  # a second run of each job sends nothing new
        with django_capture_on_commit_callbacks(execute=True):
            send_expiry_reminders()
            send_assignment_reminders()

    kinds = sorted(r["payload"]["type"] for r in hooks.received)
    assert kinds == ["assignment.overdue", "certificate.expiring"]
    by_type = {r["payload"]["type"]: r["payload"]["data"] for r in hooks.received}
    assert by_type["certificate.expiring"]["days_left"] == 6
    assert by_type["certificate.expiring"]["holder"]["id"] == holder.pk
    assert by_type["assignment.overdue"]["title"] == "Security awareness"
    assert by_type["assignment.overdue"]["person"]["id"] == late.pk
    assert Certificate.objects.count() == 1


def test_a_final_result_is_announced_pass_or_fail(
    receiver, user_factory, django_capture_on_commit_callbacks
):
    from exams import services as exam_services
    from tests.factories import pass_exam

    subscription = Subscription.objects.create(
        url="http://x", events=["attempt.graded"]
    )
    hooks = receiver(subscription)
    site_tree()
    exam = make_exam(count=3)
    learner = user_factory()

    with django_capture_on_commit_callbacks(execute=True):
        attempt = exam_services.start_attempt(user=learner, exam=exam)
        exam_services.submit_attempt(attempt=attempt)  # nothing answered: a fail
    passed = pass_exam(learner, exam)

    results = [r["payload"]["data"] for r in hooks.received]
    assert [(r["number"], r["passed"]) for r in results] == [(1, False), (2, True)]
    assert results[1]["id"] == str(passed.public_id)
    assert results[1]["percent"] == 100.0 and results[0]["percent"] == 0.0
    assert "answer" not in str(results) and "response" not in str(results)
