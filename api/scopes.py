"""The API's scopes: one registry, read by the OAuth2 server, the permission
check, the token forms and the OpenAPI schema."""

SCOPES: dict[str, str] = {
    "people:read": "Read people and organisations",
    "people:write": "Create and change people",
    "learning:read": "Read the catalog, enrolments, assignments and progress",
    "learning:write": "Enrol people and assign training",
    "results:read": "Read exam results (never answers or keys)",
    "certificates:read": "Read certificates",
    "certificates:write": "Revoke certificates",
}


def parse(text: str) -> frozenset[str]:
    """Space-separated scopes as OAuth2 writes them; unknown names dropped."""
    return frozenset(s for s in (text or "").split() if s in SCOPES)
