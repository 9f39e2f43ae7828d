"""The learner's own figures, for the dashboard."""

from __future__ import annotations

from datetime import date

from certificates.api import CertificateStatus, holder_certificates
from courses.api import Enrollment

from .common import (
    ratio,
)


def learner_figures(
    *, user, today: date | None = None, enrollments=None, certificates=None
) -> dict:
    """The signed-in learner's own numbers for the dashboard, counted from their
    ``enrollments`` and ``certificates`` (``holder_certificates``' rows, each with
    its state on the day). The dashboard gives the rows it shows; without them
    they are read here, on ``today`` (the enrollments' query; the certificates
    as ``holder_certificates`` keeps them)."""
    if (enrollments is None) != (certificates is None):
        raise TypeError("give both the enrollments and the certificates, or neither")
    if enrollments is None:
        enrollments = list(Enrollment.objects.filter(user=user).only("completed_at"))
        certificates = holder_certificates(user=user, today=today)
    completed = sum(1 for e in enrollments if e.completed_at is not None)
    valid = [row for row in certificates if row.status == CertificateStatus.VALID]
    return {
        "courses_enrolled": len(enrollments),
        "courses_completed": completed,
        "courses_in_progress": len(enrollments) - completed,
        "completion_rate": ratio(completed, len(enrollments)),
        "certificates_valid": len(valid),
        "certificates_expiring": sum(1 for row in valid if row.expiring),
        "next_expiry": min(
            (row.certificate.expires_on for row in valid if row.certificate.expires_on),
            default=None,
        ),
    }
