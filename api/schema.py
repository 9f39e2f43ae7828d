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


PROBLEM = {
    "type": "object",
    "description": "An RFC 9457 problem.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["type", "title", "status", "detail"],
}
ERRORS = {
    "400": "The request is not valid (see errors).",
    "401": "No valid token.",
    "403": "The token lacks the scope, the caller may not do this, or (behind a "
    "misconfigured proxy) the client's address cannot be told.",
    "404": "Nothing the caller may see has this id.",
    "409": "A request with this Idempotency-Key is running, or the record's rules "
    "refuse the change (e.g. a course's prerequisites).",
    "422": "This Idempotency-Key was used for a different request.",
    "429": "Too many requests: wait Retry-After seconds.",
}


def problem_responses(result, generator, request, public):
    """Every operation documents the problems it can answer with."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            public_call = not operation.get("security") or operation["security"] == [{}]
            for code, text in ERRORS.items():
                if public_call and code == "401":
                    continue
                if method == "get" and code in ("409", "422"):
                    continue
                responses.setdefault(
                    code,
                    {
                        "description": text,
                        "content": {
                            "application/problem+json": {
                                "schema": {"$ref": "#/components/schemas/Problem"}
                            }
                        },
                    },
                )
    return result
