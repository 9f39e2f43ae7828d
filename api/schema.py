"""How the OpenAPI schema describes the API's two ways to authenticate."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .scopes import SCOPES


class ClientCredentialsScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ClientCredentialsAuthentication"
    name = "oauth2"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/api/oauth/token/",
                    "scopes": dict(SCOPES),
                }
            },
        }

    def get_security_requirement(self, auto_schema):
        view = auto_schema.view
        method = auto_schema.method.upper()
        scope = (
            getattr(view, "read_scope", "")
            if method in ("GET", "HEAD", "OPTIONS")
            else getattr(view, "write_scope", "")
        )
        return {self.name: [scope] if scope else []}


class PersonalAccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PersonalAccessTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "lmspat_…"}


def public_endpoints_only(endpoints):
    """The schema describes ``/api/v1/`` (the admin's own endpoints stay out)."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]

