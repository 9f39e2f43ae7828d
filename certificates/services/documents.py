"""A certificate's PDF."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction

from .. import pdf
from ..credentials import pdf_signature
from ..models import (
    Certificate,
    CertificateKind,
)

logger = logging.getLogger(__name__)


def certificate_data(certificate: Certificate) -> pdf.CertificateData:
    return pdf.CertificateData(
        holder_name=certificate.holder_name,
        title=certificate.title,
        kind="certification"
        if certificate.kind == CertificateKind.CERTIFICATION
        else "course completion",
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        serial=certificate.serial,
        verification_url=certificate.verification_url,
        score_percent=certificate.score,
    )


def generate_certificate_pdf(*, certificate_id: int) -> Certificate | None:
    """Render and store the certificate's PDF once; a second call does nothing."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        )
        if certificate is None or certificate.pdf:
            return certificate
        content = pdf_signature.sign(
            pdf.render_certificate_pdf(certificate_data(certificate))
        )
        certificate.pdf.save(
            f"{certificate.serial}.pdf", ContentFile(content), save=False
        )
        Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
        return certificate
