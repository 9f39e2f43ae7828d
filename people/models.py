"""Connections through which an identity provider (Okta, Microsoft Entra ID, ...)
creates, updates and deactivates people over SCIM 2.0."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.api import new_secret

TOKEN_PREFIX = "scim_"  # noqa: S105 - a prefix, not a secret


class ProvisioningConnectionQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True)


class ProvisioningConnection(models.Model):
    """One identity provider's access to the SCIM API. It provisions the people of
    its organisation, or the company's own staff (people of no organisation) when it
    has none; it never sees anyone else."""

    name = models.CharField(_("name"), max_length=100)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provisioning_connections",
        help_text=_(
            "People it creates join this organisation, and it sees only this "
            "organisation's people. Leave empty for the company's own staff."
        ),
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(_("token starts with"), max_length=16, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, editable=False)

    objects = ProvisioningConnectionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("provisioning connection")
        verbose_name_plural = _("provisioning connections")

    def __str__(self) -> str:
        return self.name

    def issue_token(self) -> str:
        """A new secret for this connection; only its digest is kept, so the caller
        shows it once."""
        secret = new_secret(TOKEN_PREFIX)
        self.token_digest, self.token_hint = secret.digest, secret.hint
        return secret.token

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
