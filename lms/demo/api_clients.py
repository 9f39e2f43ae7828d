"""An API client for the demo's support tool: it asks whether a customer holds a
valid certification, and until when. Its secret is new on every seed and printed
once (the README's curl lines use it)."""

import secrets

from oauth2_provider.models import Application

from accounts.models import User
from api.models import ApiClient

DEMO_CLIENT = "Support desk (demo)"


def seed_api_client() -> tuple[str, str]:
    admin = User.objects.get(email="admin@example.com")
    secret = secrets.token_urlsafe(32)
    application = Application.objects.filter(name=DEMO_CLIENT).first()
    if application is None:
        application = Application(
            name=DEMO_CLIENT,
            user=admin,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        )
    application.client_secret = secret
    application.hash_client_secret = True
    application.save()
    ApiClient.objects.update_or_create(
        application=application,
        defaults={
            "organization": None,
            "scopes": "certificates:read people:read learning:read",
            "revoked_at": None,
        },
    )
    return application.client_id, secret
