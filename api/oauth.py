"""django-oauth-toolkit, narrowed: clients use the client-credentials grant and
may only ask for the scopes their ``ApiClient`` allows."""

from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes

from . import scopes


class Scopes(BaseScopes):
    def get_all_scopes(self):
        return dict(scopes.SCOPES)

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        client = getattr(application, "api_client", None) if application else None
        if client is None or client.revoked_at:
            return []
        return sorted(client.allowed_scopes)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request)


class Validator(OAuth2Validator):
    def validate_scopes(self, client_id, scopes_asked, client, request, *args, **kw):
        api_client = getattr(client, "api_client", None)
        if api_client is None or api_client.revoked_at:
            return False
        return set(scopes_asked) <= api_client.allowed_scopes
