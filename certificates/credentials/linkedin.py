"""LinkedIn's "Add to profile" link for a certificate: the certification's
name, the organisation, issue and expiry month, the number and the verification
URL filled in (LinkedIn's documented ``profile/add`` parameters)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings

ADD_TO_PROFILE = "https://www.linkedin.com/profile/add"


def add_to_profile_url(certificate, *, verification_url: str) -> str:
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.title,
        "organizationName": settings.CREDENTIAL_ISSUER_NAME,
        "issueYear": certificate.issued_on.year,
        "issueMonth": certificate.issued_on.month,
        "certUrl": verification_url,
        "certId": certificate.serial,
    }
    if certificate.expires_on:
        params["expirationYear"] = certificate.expires_on.year
        params["expirationMonth"] = certificate.expires_on.month
    return f"{ADD_TO_PROFILE}?{urlencode(params)}"
