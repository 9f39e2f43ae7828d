"""Learning record stores and the statements queued for them (an outbox)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.api import KeptRows
from webhooks.api import retry


class RecordStore(models.Model):
    """An LRS that receives statements: the platform's own, or an organisation's
    (then only statements about that organisation's people)."""

    name = models.CharField(_("name"), max_length=100)
    endpoint = models.URLField(
        _("xAPI endpoint"),
        max_length=500,
        help_text=_(
            "The LRS's xAPI address, the one that ends before “statements”: "
            "e.g. https://lrs.example.com/xAPI/"
        ),
    )
    username = models.CharField(
        _("key (username)"),
        max_length=200,
        help_text=_("The LRS's HTTP Basic credentials for this platform."),
    )
    password = models.CharField(_("secret (password)"), max_length=200)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Only statements about this organisation's people. Empty: all."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("learning record store")

    def __str__(self) -> str:
        return self.name

    @property
    def statements_url(self) -> str:
        return self.endpoint.rstrip("/") + "/statements"


# Which stores take statements, read on every event (each graded attempt,
# enrolment, lesson done): kept in the cache until a store is saved or deleted.
TAKING = KeptRows(RecordStore, fields=("pk", "organization_id"), active=True)


class Statement(retry.OutboundMessage):
    """One statement for one store, sent until the store accepts it or 24 hours
    pass. ``statement_id`` is the statement's xAPI id: the same on every attempt."""

    store = models.ForeignKey(
        RecordStore, on_delete=models.CASCADE, related_name="statements"
    )
    statement_id = models.UUIDField(_("statement id"), default=uuid.uuid4)
    verb = models.CharField(_("verb"), max_length=30)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.JSONField()
    created_at = models.DateTimeField(_("queued"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("stored by the LRS"), null=True, blank=True)

    class Meta(retry.OutboundMessage.Meta):
        ordering = ["-created_at", "-pk"]
        verbose_name = _("xAPI statement")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "statement_id"], name="xapi_statement_once_per_store"
            )
        ]

    def __str__(self) -> str:
        return f"{self.verb} → {self.store}"

    @property
    def object_name(self) -> str:
        """What the statement is about, as the LRS will show it."""
        definition = self.body.get("object", {}).get("definition", {})
        return definition.get("name", {}).get("en-US", "")
