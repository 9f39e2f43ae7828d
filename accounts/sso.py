"""The one rule for who must sign in through single sign-on: people of an
organisation marked "SSO only", found by their account or by their e-mail domain."""

from __future__ import annotations

from django.db.models import Q

from .models import Organization, User


def domains(organization: Organization) -> set[str]:
    return {
        part.strip().lower().lstrip("@")
        for part in (organization.email_domains or "").split(",")
        if part.strip()
    }


def address_fits(organization: Organization | None, email: str) -> bool:
    """Whether ``email`` may be one of ``organization``'s people: any address when
    it lists no e-mail domains, otherwise only those domains."""
    listed = domains(organization) if organization else set()
    domain = (email or "").rsplit("@", 1)[-1].strip().lower()
    return not listed or domain in listed


def sso_organization_for(email: str) -> Organization | None:
    """The SSO-only organisation ``email`` belongs to, if any (one query)."""
    email = (email or "").strip().lower()
    if "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1]
    candidates = Organization.objects.filter(sso_only=True).filter(
        Q(email_domains__icontains=domain)
        | Q(pk__in=User.objects.filter(email__iexact=email).values("organization_id"))
    )
    for organization in candidates:
        if (
            domain in domains(organization)
            or User.objects.filter(
                email__iexact=email, organization=organization
            ).exists()
        ):
            return organization
    return None
