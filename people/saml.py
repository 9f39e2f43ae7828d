"""SAML 2.0 sign-in per organisation, through django-allauth's SAML provider.

Each organisation's identity provider is one allauth ``SocialApp`` (provider
``saml``, client id = the organisation's slug, so its addresses are
``/accounts/saml/<slug>/…``). This module is the one home for what such an app
holds (see :func:`app_settings`) and for the rules of signing in through it:
which people it may sign in, which organisation new people join, and which roles
its groups give.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp

from accounts.api import Organization, address_fits, organization_domains

from .scim import scope

PROVIDER = "saml"

# Attribute names Okta, Microsoft Entra ID, ADFS and Shibboleth send, tried in order.
EMAIL_ATTRIBUTES = [
    "email",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    "urn:oid:0.9.2342.19200300.100.1.3",
    "mail",
]
FIRST_NAME_ATTRIBUTES = [
    "firstName",
    "givenName",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
    "urn:oid:2.5.4.42",
]
LAST_NAME_ATTRIBUTES = [
    "lastName",
    "surname",
    "sn",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
    "urn:oid:2.5.4.4",
]
GROUP_ATTRIBUTES = [
    "groups",
    "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
    "memberOf",
]


# Besides the platform's roles, an organisation's identity provider may make
# someone the organisation's admin.
ORGANIZATION_ADMIN = "Organisation admin"
MAPPABLE_ROLES = (*scope.ORGANIZATION_ROLES, ORGANIZATION_ADMIN)


@dataclass(frozen=True)
class SamlSetup:
    """What a training admin fills in for an organisation's identity provider."""

    metadata_url: str = ""
    entity_id: str = ""
    sso_url: str = ""
    certificate: str = ""
    group_roles: str = ""  # one "IdP group = role" per line
    allow_idp_initiated: bool = False


def app_settings(setup: SamlSetup) -> dict:
    """The allauth app settings for ``setup``: signed assertions required, strict
    checks (audience, destination, validity window), sign-ins started by the
    identity provider refused unless allowed, and the app hidden from the list of
    buttons (people find it by their e-mail address)."""
    idp = {"entity_id": setup.entity_id}
    if setup.metadata_url:
        idp["metadata_url"] = setup.metadata_url
    else:
        idp.update({"sso_url": setup.sso_url, "x509cert": setup.certificate})
    return {
        "hidden": True,
        "idp": idp,
        # The sign-in page's form leads there (Content-Security-Policy form-action).
        "form_target": origin_of(setup.sso_url),
        "attribute_mapping": {
            "uid": ["urn:oasis:names:tc:SAML:attribute:subject-id"],
            "email": EMAIL_ATTRIBUTES,
            "first_name": FIRST_NAME_ATTRIBUTES,
            "last_name": LAST_NAME_ATTRIBUTES,
        },
        "use_nameid_for_email": False,
        # The organisation's IdP vouches for its people's addresses, so a member
        # who had a password account signs in to that account; the adapter
        # refuses anyone who is not the organisation's.
        "verified_email": True,
        "email_authentication": True,
        "advanced": {
            "strict": True,
            "want_assertion_signed": True,
            "want_attribute_statement": True,
            "reject_idp_initiated_sso": not setup.allow_idp_initiated,
            "allow_single_label_domains": True,
        },
        "group_roles": parse_group_roles(setup.group_roles),
    }


def read_metadata(url: str, entity_id: str | None = None) -> dict:
    """The identity provider's part of its metadata (entity ID, sign-on address,
    certificate), fetched now; ValueError with a readable reason if it cannot be
    read or holds no identity provider."""
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse_remote(
            url, entity_id=entity_id or None, timeout=10
        )
    except Exception as error:  # noqa: BLE001 - network, XML and HTTP errors alike
        raise ValueError(f"Could not read the metadata at {url}: {error}") from None
    idp = parsed.get("idp") or {}
    if not idp.get("entityId") or not idp.get("singleSignOnService"):
        raise ValueError(
            f"The metadata at {url} describes no identity provider"
            + (f" with the entity ID {entity_id}." if entity_id else ".")
        )
    return idp


def origin_of(url: str) -> str:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def form_target(organization_slug: str) -> str:
    """Where the organisation's sign-in form leads: the IdP's origin, or ""."""
    app = SocialApp.objects.filter(
        provider=PROVIDER, client_id=organization_slug
    ).first()
    return (app.settings or {}).get("form_target", "") if app else ""


def setup_of(app: SocialApp | None) -> SamlSetup:
    if app is None:
        return SamlSetup()
    settings = app.settings or {}
    idp = settings.get("idp", {})
    return SamlSetup(
        metadata_url=idp.get("metadata_url", ""),
        entity_id=idp.get("entity_id", ""),
        sso_url=idp.get("sso_url", ""),
        certificate=idp.get("x509cert", ""),
        group_roles="\n".join(
            f"{group} = {role}"
            for group, role in settings.get("group_roles", {}).items()
        ),
        allow_idp_initiated=not settings.get("advanced", {}).get(
            "reject_idp_initiated_sso", True
        ),
    )


def parse_group_roles(text: str) -> dict[str, str]:
    """``LMS Learners = Learners`` lines into a mapping; raises ValueError naming
    the first line that is not ``group = role`` with a known role."""
    mapping = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        group, equals, role = line.partition("=")
        group, role = group.strip(), role.strip()
        if not equals or not group or role not in MAPPABLE_ROLES:
            raise ValueError(
                f"Line {number}: write “identity-provider group = role”, with "
                f"one of: {', '.join(MAPPABLE_ROLES)}."
            )
        mapping[group] = role
    return mapping


def app_for(organization: Organization) -> SocialApp | None:
    return SocialApp.objects.filter(
        provider=PROVIDER, client_id=organization.slug
    ).first()


def organization_of(app) -> Organization | None:
    if app is None or app.provider != PROVIDER:
        return None
    return Organization.objects.filter(slug=app.client_id).first()


def organization_for_email(email: str) -> Organization | None:
    """The organisation whose identity provider signs in ``email``: by the
    address's domain, or by the account's organisation (two queries at most)."""
    from accounts.api import User

    email = (email or "").strip().lower()
    if "@" not in email:
        return None
    slugs = SocialApp.objects.filter(provider=PROVIDER).values("client_id")
    candidates = Organization.objects.filter(slug__in=slugs)
    domain = email.rsplit("@", 1)[1]
    for organization in candidates.filter(email_domains__icontains=domain):
        if domain in _domains(organization):
            return organization
    person = User.objects.filter(email__iexact=email).select_related("organization")
    person = person.first()
    if person and person.organization and candidates.filter(pk=person.organization_id):
        return person.organization
    return None


def _domains(organization) -> set[str]:
    return organization_domains(organization)


def may_sign_in(organization: Organization, email: str, person) -> bool:
    """An organisation's identity provider signs in its own people only: someone
    of another organisation (or staff) is refused even if the provider asserts
    their address, and a new person needs an address of the organisation's
    domains when it lists any."""
    if person is not None:
        return person.organization_id == organization.pk and not person.is_superuser
    return address_fits(organization, email)


def roles_from_groups(app, groups: list[str]) -> set[str]:
    """Roles the person's identity-provider groups give, within what an
    organisation's identity provider may hand out (``ORGANIZATION_ADMIN`` makes
    them their organisation's admin, who follows its people's progress)."""
    mapping = (app.settings or {}).get("group_roles", {})
    return {mapping[g] for g in groups if mapping.get(g) in MAPPABLE_ROLES}


def apply_roles(person, app, extra_data: dict) -> None:
    """Give ``person`` exactly the mappable roles their groups name now (roles the
    mapping does not mention stay as they are)."""
    from django.contrib.auth.models import Group

    given = roles_from_groups(app, groups_in(extra_data))
    mapped = set((app.settings or {}).get("group_roles", {}).values())
    for role in mapped & set(scope.ORGANIZATION_ROLES):
        group, _created = Group.objects.get_or_create(name=role)
        (person.groups.add if role in given else person.groups.remove)(group)
    if ORGANIZATION_ADMIN in mapped:
        admin = ORGANIZATION_ADMIN in given
        if person.is_organization_admin != admin:
            person.is_organization_admin = admin
            person.save(update_fields=["is_organization_admin"])


def groups_in(extra_data: dict) -> list[str]:
    for name in GROUP_ATTRIBUTES:
        values = extra_data.get(name)
        if values:
            return [str(v) for v in values]
    return []
