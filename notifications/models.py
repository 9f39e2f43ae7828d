"""A person's notifications (the bell in the header) and the e-mails they turned off."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

KEEP_DAYS = 90


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Scheduled notifications ("week 3 opens", "class tomorrow") carry a key: the
    # unique constraint makes each one happen once, whatever reruns.
    key = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("notification")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"],
                condition=~Q(key=""),
                name="unique_scheduled_notification",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.user_id})"


class EmailSetting(models.Model):
    """A kind of e-mail a person switched off (no row: the e-mail is on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_settings",
    )
    kind = models.CharField(_("kind"), max_length=40)
    enabled = models.BooleanField(_("send e-mail"), default=True)

    class Meta:
        verbose_name = _("e-mail setting")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="unique_email_setting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {'on' if self.enabled else 'off'}"
