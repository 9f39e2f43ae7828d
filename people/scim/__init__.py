"""SCIM 2.0 (RFC 7643 / RFC 7644) for identity providers, on django-scim2.

Users are people; Groups are the platform's roles. Each identity-provider
connection authenticates with its own bearer token and sees only its scope: the
people of its organisation, or the company's own staff when it has none.
"""
