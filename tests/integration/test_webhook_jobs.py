"""Webhooks with real parts: the event is written in the change's PostgreSQL
transaction, a Celery worker process on Redis delivers it after commit to a real
receiver on 127.0.0.1, signed, and records the answer."""

import pytest
from django.db import transaction

from accounts import roles
from certificates.api import revoke_certificate
from tests.factories import make_certificate, make_exam, make_level, site_tree
from tests.webhooks.receiver import Receiver
from webhooks.models import Delivery, Subscription
from webhooks.retry import DeliveryStatus

from .conftest import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_worker_delivers_the_signed_event_after_commit(
    worker_env, celery_worker_process, user_factory
):
    site_tree()
    level = make_level(exams=[make_exam(count=2)], code="associate", title="Associate")
    certificate = make_certificate(user_factory(), level, expires_on=None)
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    subscription = Subscription.objects.create(
        url="http://x", events=["certificate.revoked"]
    )
    receiver = Receiver(subscription.secret)
    subscription.url = receiver.url
    subscription.save()
    try:
        with transaction.atomic():
            revoke_certificate(
                certificate=certificate, revoked_by=admin, reason="Leaked"
            )
            assert receiver.received == []  # nothing leaves before commit

        assert wait_for(lambda: receiver.received, timeout=30), (
            celery_worker_process.log()
        )
        assert wait_for(
            lambda: Delivery.objects.filter(status=DeliveryStatus.DELIVERED).exists()
        )
    finally:
        receiver.close()
    [event] = receiver.received
    assert event["verified"]
    assert event["payload"]["data"]["serial"] == certificate.serial
    row = Delivery.objects.get()
    assert row.last_status_code == 204 and row.attempts == 1
