"""A certificate as an Open Badges 3.0 ``OpenBadgeCredential`` (W3C Verifiable
Credentials Data Model 2.0), and its ``vc+jwt`` form signed with the issuer's key.

The holder is named twice in ``credentialSubject.identifier``: their e-mail
address hashed with a salt (``identityType: emailAddress``), as Open Badges 3.0
allows for privacy, and their name as printed on the certificate (not hashed). The
salt is derived from the server's secret and the certificate, so it is stable
without being stored and differs from one credential to the next.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, time

import jwt
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import strip_tags

from accounts.api import site_url

from ..models import Certificate, CertificateKind
from . import keys

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
MEDIA_TYPE = "application/vc+jwt"
STATUS_LIST_PATH = "revocation"


def issuer_id() -> str:
    return site_url(reverse("certificates:issuer"))


def issuer_profile() -> dict:
    return {
        "@context": CONTEXTS,
        "id": issuer_id(),
        "type": ["Profile"],
        "name": settings.CREDENTIAL_ISSUER_NAME,
        "url": site_url("/"),
        "image": {"id": site_url(static("lms/favicon.svg")), "type": "Image"},
    }


def credential_id(certificate: Certificate) -> str:
    return certificate.verification_url


def status_list_url() -> str:
    return site_url(reverse("certificates:status_list", args=[STATUS_LIST_PATH]))


def identity_salt(certificate: Certificate) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(),
        f"credential-salt:{certificate.verification_code}".encode(),
        hashlib.sha256,
    ).hexdigest()[:32]


def hashed_email(email: str, salt: str) -> str:
    """Open Badges' ``identityHash``: ``sha256$`` and the hex SHA-256 of the
    address followed by the salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}"


def _achievement(certificate: Certificate) -> dict:
    page = certificate.level if certificate.level_id else certificate.course
    is_level = certificate.kind == CertificateKind.CERTIFICATION
    url = site_url(page.url) if page is not None and page.url else issuer_id()
    summary = strip_tags(getattr(page, "summary", "") or "") or certificate.title
    if is_level:
        narrative = (
            f"Pass the {certificate.title} certification exam"
            + (
                f" and hold {page.required_experience_months} months of approved experience"
                if page is not None and page.required_experience_months
                else ""
            )
            + "."
        )
    else:
        narrative = (
            f"Complete every lesson of {certificate.title} and pass its final exam."
        )
    achievement = {
        "id": url,
        "type": ["Achievement"],
        "achievementType": "Certification" if is_level else "Course",
        "name": certificate.title,
        "description": summary,
        "criteria": {"id": url, "narrative": narrative},
        "image": {"id": site_url(static("lms/favicon.svg")), "type": "Image"},
        "creator": {"id": issuer_id(), "type": ["Profile"]},
    }
    if is_level and page is not None:
        achievement["humanCode"] = page.code
        achievement["tag"] = [page.title]
    return achievement


def _utc(day, at: time) -> str:
    """``day`` at ``at`` UTC, as the credential's dates are written."""
    return datetime.combine(day, at, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_credential(certificate: Certificate) -> dict:
    """The unsigned ``OpenBadgeCredential`` for ``certificate``. The certificate
    must have its status list index (see ``services.credentials``)."""
    salt = identity_salt(certificate)
    credential = {
        "@context": CONTEXTS,
        "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": issuer_id(),
            "type": ["Profile"],
            "name": settings.CREDENTIAL_ISSUER_NAME,
        },
        "validFrom": _utc(certificate.issued_on, time.min),
        "name": certificate.title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": hashed_email(certificate.holder.email, salt),
                    "salt": salt,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                },
            ],
            "achievement": _achievement(certificate),
        },
        "credentialStatus": {
            "id": f"{status_list_url()}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": status_list_url(),
        },
    }
    if certificate.expires_on:
        # The certificate is valid through its expiry day.
        credential["validUntil"] = _utc(certificate.expires_on, time(23, 59, 59))
    return credential


def sign(credential: dict) -> str:
    """``credential`` secured as a ``vc+jwt`` (VC-JOSE-COSE): the payload is the
    credential itself, signed EdDSA with the current key, named by ``kid``."""
    key = keys.signing_key()
    return jwt.encode(
        credential,
        key.private_key,
        algorithm="EdDSA",
        headers={"kid": key.kid, "typ": "vc+jwt", "cty": "vc"},
    )
