"""How an outbound message (a webhook delivery, an xAPI statement) is retried:
one schedule, one set of states, one way to claim a due message.

After the n-th failed attempt the message waits ``DELAYS[n - 1]`` (the last
delay repeats) and is given up once the next attempt would fall after its
``retry_until``, 24 hours after it was queued (or replayed).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.paginator import Paginator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

DELAYS = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
]
GIVE_UP_AFTER = timedelta(hours=24)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    RETRYING = "retrying", _("Retrying")
    GAVE_UP = "gave_up", _("Gave up")


OPEN = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


class OutboundMessage(models.Model):
    """What every retried outbound message records of its attempts."""

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    retry_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("response"), null=True)
    last_error = models.CharField(_("response excerpt"), max_length=500, blank=True)

    class Meta:
        abstract = True


def next_attempt(*, attempts: int, retry_until: datetime, now: datetime):
    """When to try again after ``attempts`` failures, or None to give up."""
    when = now + DELAYS[min(attempts, len(DELAYS)) - 1]
    return when if when <= retry_until else None


def claim(queryset: models.QuerySet, *, pk: int, now: datetime, hold: timedelta):
    """Lock the message ``pk`` if it is open and due, push its next attempt
    ``hold`` away so that no other worker takes it while this one tries, and
    return it; None when it is not due or another worker holds it.
    ``queryset`` says what else "due" needs (an active receiver).

    Only the message's row is locked (``of=("self",)``): a joined row (the
    receiver, the store) is share-locked by every transaction that inserts a
    message for it (when its key is checked, at commit), and locking it too made
    a claim skip a due message while another one was being committed, leaving it
    for the next retry sweep a minute later."""
    with transaction.atomic():
        message = (
            queryset.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=pk, status__in=OPEN, next_attempt_at__lte=now)
            .first()
        )
        if message is None:
            return None
        message.next_attempt_at = now + hold
        message.save(update_fields=["next_attempt_at"])
    return message


def due_ids(queryset: models.QuerySet, *, now: datetime, limit: int = 200) -> list:
    """The open messages whose next attempt is due, oldest first."""
    return list(
        queryset.filter(status__in=OPEN, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def settle(message, *, delivered: bool, now: datetime, final: bool = False) -> None:
    """Count one attempt on ``message`` (not saved): delivered, retried later or
    given up (at once when ``final``: an answer that no retry can change)."""
    message.attempts += 1
    if delivered:
        message.status, message.next_attempt_at = DeliveryStatus.DELIVERED, None
        return
    message.next_attempt_at = (
        None
        if final
        else next_attempt(
            attempts=message.attempts, retry_until=message.retry_until, now=now
        )
    )
    message.status = (
        DeliveryStatus.RETRYING if message.next_attempt_at else DeliveryStatus.GAVE_UP
    )


def reopen(queryset: models.QuerySet, *, now: datetime) -> int:
    """Make the messages in ``queryset`` due now with a fresh 24 hours (a replay
    from the admin); their ids stay the same, so receivers can drop duplicates."""
    return queryset.update(
        status=DeliveryStatus.PENDING,
        next_attempt_at=now,
        retry_until=now + GIVE_UP_AFTER,
    )


def log_page(request, rows: models.QuerySet) -> dict:
    """The admin log of outbound messages: filtered by ``?status=``, 50 a page
    (the context both logs' templates read)."""
    status = request.GET.get("status")
    if status in DeliveryStatus.values:
        rows = rows.filter(status=status)
    return {
        "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        "statuses": DeliveryStatus.choices,
        "status": status,
    }
