"""Who may call the API: OAuth2 clients (django-oauth-toolkit applications with an
organisation and the scopes they may ask for) and personal access tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.api import new_secret

from . import scopes

PAT_PREFIX = "lmspat_"  # noqa: S105 - a prefix, not a secret


class ApiClient(models.Model):
    """An OAuth2 client-credentials application, as the platform sees it."""

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="api_client",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_clients",
        help_text=_("It sees only this organisation. Empty: every organisation."),
    )
    scopes = models.CharField(_("scopes it may ask for"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API client")

    def __str__(self) -> str:
        return self.application.name

    @property
    def allowed_scopes(self) -> frozenset[str]:
        return scopes.parse(self.scopes)


class PersonalAccessTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class PersonalAccessToken(models.Model):
    """A token a person makes for their scripts: it acts as them, within its
    scopes, until it expires or is revoked. Only its digest is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="access_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=16, editable=False)
    scopes = models.CharField(_("scopes"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PersonalAccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("personal access token")

    def __str__(self) -> str:
        return self.name

    def issue(self) -> str:
        secret = new_secret(PAT_PREFIX)
        self.digest, self.hint = secret.digest, secret.hint
        return secret.token

    @property
    def allowed_scopes(self) -> frozenset[str]:
        return scopes.parse(self.scopes)
