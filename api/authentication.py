"""Bearer tokens for the API: a personal access token (``lmspat_…``) or an OAuth2
access token from the client-credentials grant. Either way the request carries
a :class:`~api.callers.Caller` as ``request.auth``."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts.api import secret_digest

from . import callers, scopes
from .models import PAT_PREFIX, ApiClient, PersonalAccessToken

LAST_USED_EVERY = timedelta(minutes=5)


def _bearer(request) -> str:
    parts = get_authorization_header(request).split()
    if len(parts) != 2 or parts[0].lower() != b"bearer":
        return ""
    try:
        return parts[1].decode()
    except UnicodeDecodeError:
        return ""


class PersonalAccessTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        token = _bearer(request)
        if not token.startswith(PAT_PREFIX):
            return None
        found = (
            PersonalAccessToken.objects.usable()
            .select_related("user")
            .filter(digest=secret_digest(token))
            .first()
        )
        if found is None or not found.user.is_active:
            raise AuthenticationFailed("The token is unknown, expired or revoked.")
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_EVERY:
            PersonalAccessToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.user, callers.for_person(found.user, found.allowed_scopes)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ClientCredentialsAuthentication(OAuth2Authentication):
    """An OAuth2 access token of a client that is not revoked."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        _user, token = result
        client = (
            ApiClient.objects.filter(
                application_id=token.application_id, revoked_at__isnull=True
            )
            .select_related("application", "application__user")
            .first()
        )
        if client is None:
            raise AuthenticationFailed("This client is revoked.")
        caller = callers.for_client(client, scopes.parse(token.scope))
        return client.application.user, caller

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
