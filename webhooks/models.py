from __future__ import annotations

import secrets
import uuid
from base64 import b64encode

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.api import KeptRows

from .events import EVENTS
from .retry import OutboundMessage


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 24 random bytes in base64."""
    return "whsec_" + b64encode(secrets.token_bytes(24)).decode()


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class Subscription(models.Model):
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Only events about this organisation's people. Empty: all."),
    )
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret)
    active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    disabled_reason = models.CharField(max_length=300, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]
        verbose_name = _("webhook subscription")

    def __str__(self) -> str:
        return self.description or self.url


def wants(events: list, event_type: str) -> bool:
    """Whether a subscription to ``events`` is sent ``event_type``."""
    return event_type in events and event_type in EVENTS


# Who listens, read on every event (each submit, enrolment, lesson done): kept
# in the cache until a subscription is saved, deleted or switched off.
LISTENING = KeptRows(
    Subscription, fields=("pk", "events", "organization_id"), active=True
)


class Delivery(OutboundMessage):
    """One event for one subscription, attempted until it succeeds or 24 hours
    pass. ``message_id`` is the ``webhook-id`` header: the same on every attempt
    and replay, so receivers can drop duplicates."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=50, default=new_message_id, editable=False)
    event_type = models.CharField(_("event"), max_length=50)
    payload = models.JSONField()
    last_latency_ms = models.PositiveIntegerField(_("latency (ms)"), null=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta(OutboundMessage.Meta):
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription}"
