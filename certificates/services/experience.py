"""Experience attestations and certifications earned elsewhere."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import (
    can_review_staff_work,
)

from ..models import (
    AttestationStatus,
    ExperienceAttestation,
    ExternalCertification,
)
from .issuing import issue_certificate_if_eligible

logger = logging.getLogger(__name__)


@transaction.atomic
def attest_experience(
    *, user, level, months: int, description: str
) -> ExperienceAttestation:
    """Record (or replace, while pending) the learner's claim of experience."""
    if months <= 0 or months > 600:
        raise ValueError(_("Enter your experience in months (1 to 600)."))
    description = (description or "").strip()
    if len(description) < 20:
        raise ValueError(_("Describe your experience in a sentence or two."))
    attestation, _created = ExperienceAttestation.objects.update_or_create(
        user=user,
        level=level,
        defaults={
            "months": months,
            "description": description,
            "status": AttestationStatus.PENDING,
            "reviewed_by": None,
            "reviewed_at": None,
        },
    )
    return attestation


def review_experience(
    *, attestation: ExperienceAttestation, reviewer, approve: bool, note: str = ""
) -> ExperienceAttestation:
    """An examiner or mentor approves or rejects an attestation (not their own).
    Approval may complete the requirements, so it tries to issue the certificate."""
    if attestation.user_id == reviewer.pk or not can_review_staff_work(reviewer):
        raise PermissionDenied(_("You cannot review this attestation."))
    with transaction.atomic():
        attestation.status = (
            AttestationStatus.APPROVED if approve else AttestationStatus.REJECTED
        )
        attestation.reviewed_by = reviewer
        attestation.reviewed_at = timezone.now()
        attestation.review_note = note[:300]
        attestation.save()
    if approve:
        issue_certificate_if_eligible(user=attestation.user, level=attestation.level)
    return attestation


MAX_PROOF_BYTES = 5 * 1024 * 1024
PROOF_SIGNATURES = {
    b"%PDF-": "pdf",
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpg",
}


def check_proof(upload) -> str:
    """The proof's file type from its first bytes; ValueError with a clear message."""
    if upload.size > MAX_PROOF_BYTES:
        raise ValueError(_("The proof must be 5 MB or smaller."))
    head = upload.read(16)
    upload.seek(0)
    for signature, extension in PROOF_SIGNATURES.items():
        if head.startswith(signature):
            return extension
    raise ValueError(_("The proof must be a PDF, PNG or JPEG file."))


@transaction.atomic
def record_external_certification(*, holder, proof, **fields) -> ExternalCertification:
    """A staff member records a certification from elsewhere, with proof.

    The proof is type-checked by content and size-checked before anything is
    stored; expiry (if any) must follow the issue date."""
    extension = check_proof(proof)
    if fields.get("expires_on") and fields["expires_on"] <= fields["issued_on"]:
        raise ValueError(_("The expiry date must be after the issue date."))
    external = ExternalCertification(holder=holder, **fields)
    external.proof.save(
        f"{holder.pk}-{timezone.now():%Y%m%d%H%M%S}.{extension}", proof, save=False
    )
    external.save()
    return external


@transaction.atomic
def review_external_certification(
    *, external: ExternalCertification, reviewer, approve: bool
) -> ExternalCertification:
    if external.holder_id == reviewer.pk or not can_review_staff_work(reviewer):
        raise PermissionDenied(_("You cannot review this certification."))
    external.status = (
        AttestationStatus.APPROVED if approve else AttestationStatus.REJECTED
    )
    external.reviewed_by = reviewer
    external.reviewed_at = timezone.now()
    external.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return external
