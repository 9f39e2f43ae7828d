"""A certificate's Open Badges credential, and the signed revocation status list."""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ..credentials import keys, openbadges, status_list
from ..models import Certificate

STATUS_LIST_CACHE_KEY = "certificates:status-list:revocation"
# How long a served status list may be reused; revoking or superseding a
# certificate also drops it at once.
STATUS_LIST_MAX_AGE = 60


def ensure_status_index(certificate: Certificate) -> int:
    """Give ``certificate`` a random, unused place in the status list, once."""
    while certificate.status_index is None:
        index = secrets.randbelow(status_list.MIN_BITS)
        try:
            with transaction.atomic():
                Certificate.objects.filter(
                    pk=certificate.pk, status_index__isnull=True
                ).update(status_index=index)
        except IntegrityError:
            continue  # another certificate holds that place: draw again
        certificate.refresh_from_db(fields=["status_index"])
    return certificate.status_index


def credential(certificate: Certificate) -> dict:
    ensure_status_index(certificate)
    return openbadges.build_credential(certificate)


def signed_credential(certificate: Certificate) -> str:
    return openbadges.sign(credential(certificate))


def withdrawn_indices() -> list[int]:
    """The status bits that are set: revoked certificates and those a renewal
    superseded (neither is the credential to trust any more)."""
    return list(
        Certificate.objects.filter(status_index__isnull=False)
        .filter(Q(revoked_at__isnull=False) | Q(superseded_by__isnull=False))
        .values_list("status_index", flat=True)
    )


def status_list_credential() -> dict:
    url = openbadges.status_list_url()
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": openbadges.issuer_id(),
        "validFrom": timezone.now()
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": status_list.encode(withdrawn_indices()),
        },
    }


def signed_status_list() -> str:
    """The status list as a ``vc+jwt``, reused for up to a minute."""
    signed = cache.get(STATUS_LIST_CACHE_KEY)
    if signed is None:
        signed = openbadges.sign(status_list_credential())
        cache.set(STATUS_LIST_CACHE_KEY, signed, STATUS_LIST_MAX_AGE)
    return signed


def status_changed() -> None:
    """Call when a certificate is revoked or superseded: the next request for
    the status list rebuilds it."""
    transaction.on_commit(lambda: cache.delete(STATUS_LIST_CACHE_KEY))


def jwks() -> dict:
    keys.signing_key()  # development makes the first key on first use
    return keys.jwks()
