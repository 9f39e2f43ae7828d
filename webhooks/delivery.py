"""Emitting events and delivering them.

Emitting writes one ``Delivery`` per matching subscription in the caller's
transaction (an outbox): a rolled-back change sends nothing, and the worker is
asked to deliver only after commit. Each attempt POSTs the JSON body signed per
Standard Webhooks (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``)
with a timeout; failures are retried with growing delays for 24 hours, then
given up. A subscription whose deliveries keep failing is switched off and the
training admins are told.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from standardwebhooks import Webhook

from accounts.api import queue_email, site_url, training_admin_emails

from . import retry
from .models import LISTENING, Delivery, Subscription, wants

logger = logging.getLogger(__name__)

# A subscription is switched off after this many failed attempts in a row.
DISABLE_AFTER = 20


def timeout() -> float:
    return float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 10))


def emit(event_type: str, data: dict, *, organization_id=None) -> list[int]:
    """Queue ``event_type`` for every active subscription that wants it (and
    whose organisation it concerns). Call it inside the change's transaction."""
    return emit_many(event_type, [(data, organization_id)])


def emit_many(event_type: str, events: list[tuple[dict, int | None]]) -> list[int]:
    """Many events of one type (an import's new people): one insert, and no
    read when the subscriptions are kept (``LISTENING``)."""
    subscriptions = [s for s in LISTENING.rows() if wants(s["events"], event_type)]
    if not subscriptions or not events:
        return []
    now = timezone.now()
    deliveries = [
        Delivery(
            subscription_id=subscription["pk"],
            event_type=event_type,
            payload={"type": event_type, "timestamp": now.isoformat(), "data": data},
            next_attempt_at=now,
            retry_until=now + retry.GIVE_UP_AFTER,
        )
        for data, organization_id in events
        for subscription in subscriptions
        if subscription["organization_id"] in (None, organization_id)
    ]
    created = Delivery.objects.bulk_create(deliveries, batch_size=500)
    ids = [d.pk for d in created]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return ids


ENQUEUE_AT_MOST = 20


def _enqueue(ids) -> None:
    """A few deliveries go to the worker one by one; a large batch (an import)
    is picked up by one sweep of what is due."""
    from .tasks import deliver, deliver_due

    if len(ids) > ENQUEUE_AT_MOST:
        deliver_due.delay()
        return
    for pk in ids:
        deliver.delay(pk)


def signed_request(delivery: Delivery, now) -> tuple[bytes, dict]:
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True)
    signature = Webhook(delivery.subscription.secret).sign(
        delivery.message_id, now, body
    )
    return body.encode(), {
        "content-type": "application/json",
        "user-agent": "MWRASP-Academy-Webhooks/1.0",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


def attempt(delivery_id: int) -> str | None:
    """One attempt of a due delivery; returns its status, or None when it was
    not due (delivered, given up, not yet time, or taken by another worker)."""
    now = timezone.now()
    delivery = retry.claim(
        Delivery.objects.select_related("subscription").filter(
            subscription__active=True
        ),
        pk=delivery_id,
        now=now,
        hold=timedelta(seconds=timeout() * 2 + 30),
    )
    if delivery is None:
        return None
    body, headers = signed_request(delivery, now)
    started = time.monotonic()
    try:
        answer = requests.post(
            delivery.subscription.url,
            data=body,
            headers=headers,
            timeout=timeout(),
            allow_redirects=False,
        )
        code, excerpt = answer.status_code, answer.text[:500]
    except requests.RequestException as error:
        code, excerpt = None, f"{type(error).__name__}: {error}"[:500]
    latency = int((time.monotonic() - started) * 1000)
    return _record(delivery, code, excerpt, latency)


@transaction.atomic
def _record(delivery: Delivery, code, excerpt: str, latency: int) -> str:
    now = timezone.now()
    delivered = code is not None and 200 <= code < 300
    retry.settle(delivery, delivered=delivered, now=now)
    delivery.last_status_code, delivery.last_error = code, excerpt
    delivery.last_latency_ms = latency
    subscription = delivery.subscription
    if delivered:
        delivery.delivered_at = now
        Subscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
    else:
        Subscription.objects.filter(pk=subscription.pk).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        subscription.refresh_from_db(fields=["consecutive_failures", "active"])
        if subscription.active and subscription.consecutive_failures >= DISABLE_AFTER:
            _switch_off(subscription, code, excerpt)
    delivery.save()
    return delivery.status


def _switch_off(subscription: Subscription, code, excerpt: str) -> None:
    reason = f"{DISABLE_AFTER} failed attempts in a row; last: {code or excerpt}"[:300]
    Subscription.objects.filter(pk=subscription.pk).update(
        active=False, disabled_reason=reason
    )
    LISTENING.forget()  # an update() sends no signal
    recipients = training_admin_emails()
    if recipients:
        queue_email(
            to=recipients,
            subject=f"Webhook switched off: {subscription}",
            body_text=(
                f"The webhook subscription {subscription} ({subscription.url}) failed "
                f"{DISABLE_AFTER} times in a row and was switched off.\n"
                f"Last answer: {code or excerpt}\n\n"
                f"Fix the receiver, then switch it on again and replay what was "
                f"missed: {site_url('/admin/webhooks/')}\n"
            ),
        )


def due_ids(limit: int = 200) -> list[int]:
    return retry.due_ids(
        Delivery.objects.filter(subscription__active=True),
        now=timezone.now(),
        limit=limit,
    )


def replay(delivery: Delivery) -> None:
    """Send ``delivery`` again now, with the same ``webhook-id``."""
    with transaction.atomic():
        retry.reopen(Delivery.objects.filter(pk=delivery.pk), now=timezone.now())
        transaction.on_commit(lambda: _enqueue([delivery.pk]))
