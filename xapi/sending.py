"""Queueing statements and sending them to the learning record stores.

Queueing writes one ``Statement`` row per active store that should hear about
the person, in the caller's transaction (an outbox): a rolled-back change sends
nothing, and the worker is asked to send only after commit. Each attempt PUTs
the statement under its own id (``PUT statements?statementId=…``), so a resend
after a lost answer is a duplicate the LRS recognises, never a second record.
Failures are retried on the webhooks' schedule for 24 hours; answers no retry
can change (a statement the LRS rejects as invalid, a different statement under the same
id) are given up at once, with the LRS's reason in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from webhooks.api import retry

from . import statements
from .models import TAKING, Statement

logger = logging.getLogger(__name__)

# Answers that a retry cannot change: the statement itself is refused.
REFUSED = {400, 409, 413, 422}
ENQUEUE_AT_MOST = 20


def timeout() -> float:
    return float(getattr(settings, "XAPI_TIMEOUT_SECONDS", 10))


@dataclass(frozen=True)
class About:
    """What a statement says beyond its verb and person."""

    activity: statements.Activity
    timestamp: datetime
    parent: statements.Activity | None = None
    score: statements.Score | None = None


def queue(*, verb: str, user, about: Callable[[], About]) -> list[int]:
    """Queue the statement ``user`` ``verb`` … for every active store that wants
    it (the platform's, and the person's organisation's), with one insert: in the
    caller's transaction when there is one, sent after it commits. ``about`` is
    called only when some store wants it, so an event nobody listens to reads
    nothing while the stores are kept (``TAKING``). Returns the queued rows' ids."""
    stores = [
        store
        for store in TAKING.rows()
        if store["organization_id"] in (None, user.organization_id)
    ]
    if not stores:
        return []
    described = about()
    body = statements.statement(
        verb=verb,
        person=statements.Person(
            email=user.email, name=user.get_full_name() or user.email
        ),
        activity=described.activity,
        timestamp=described.timestamp,
        parent=described.parent,
        score=described.score,
    )
    now = timezone.now()
    created = Statement.objects.bulk_create(
        [
            Statement(
                store_id=store["pk"],
                statement_id=body["id"],
                verb=verb,
                person=user,
                body=body,
                next_attempt_at=now,
                retry_until=now + retry.GIVE_UP_AFTER,
            )
            for store in stores
        ]
    )
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: _enqueue(ids))
    return ids


def _enqueue(ids) -> None:
    from .tasks import send, send_due

    if len(ids) > ENQUEUE_AT_MOST:
        send_due.delay()
        return
    for pk in ids:
        send.delay(pk)


def attempt(statement_pk: int) -> str | None:
    """One attempt of a due statement; returns its status, or None when it was
    not due (sent, given up, not yet time, or taken by another worker)."""
    now = timezone.now()
    row = retry.claim(
        Statement.objects.select_related("store").filter(store__active=True),
        pk=statement_pk,
        now=now,
        hold=timedelta(seconds=timeout() * 2 + 30),
    )
    if row is None:
        return None
    try:
        answer = requests.put(
            row.store.statements_url,
            params={"statementId": str(row.statement_id)},
            json=row.body,
            auth=(row.store.username, row.store.password),
            headers={
                "X-Experience-API-Version": statements.VERSION,
                "User-Agent": "MWRASP-Academy-xAPI/1.0",
            },
            timeout=timeout(),
            allow_redirects=False,
        )
        code, excerpt = answer.status_code, answer.text[:500]
    except requests.RequestException as error:
        code, excerpt = None, f"{type(error).__name__}: {error}"[:500]
    return _record(row, code, excerpt)


@transaction.atomic
def _record(row: Statement, code: int | None, excerpt: str) -> str:
    now = timezone.now()
    delivered = code is not None and 200 <= code < 300
    retry.settle(row, delivered=delivered, now=now, final=code in REFUSED)
    row.last_status_code, row.last_error = code, excerpt
    if delivered:
        row.sent_at = now
    else:
        logger.warning(
            "xAPI statement %s to %s: %s", row.pk, row.store, code or excerpt
        )
    row.save()
    return row.status


def due_ids(limit: int = 200) -> list[int]:
    return retry.due_ids(
        Statement.objects.filter(store__active=True), now=timezone.now(), limit=limit
    )


def resend(row: Statement) -> None:
    """Send ``row`` again now (same statement id), with a fresh 24 hours."""
    with transaction.atomic():
        retry.reopen(Statement.objects.filter(pk=row.pk), now=timezone.now())
        transaction.on_commit(lambda: _enqueue([row.pk]))
