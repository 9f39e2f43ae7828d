"""The learner's own figures, for the dashboard."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Count,
    Min,
    Q,
)
from django.utils import timezone

from certificates.api import (
    CertificateStatus,
    certificate_states,
)

from .common import (
    ratio,
)


def learner_figures(
    *, user, today: date | None = None, enrollments=None, certificates=None
) -> dict:
    """The signed-in learner's own numbers for the dashboard. One query; none
    when the dashboard gives the learner's ``enrollments`` and ``certificates``
    (``holder_certificates``' rows, on the same day) it has read already."""
    from accounts.api import User

    if enrollments is not None and certificates is not None:
        valid = [row for row in certificates if row.status == CertificateStatus.VALID]
        return _figures(
            enrolled=len(enrollments),
            completed=sum(1 for e in enrollments if e.completed_at is not None),
            valid=len(valid),
            expiring=sum(1 for row in valid if row.expiring),
            next_expiry=min(
                (
                    row.certificate.expires_on
                    for row in valid
                    if row.certificate.expires_on
                ),
                default=None,
            ),
        )
    today = today or timezone.localdate()
    states = certificate_states(today, "certificates__")
    figures = User.objects.filter(pk=user.pk).aggregate(
        enrolled=Count("enrollments", distinct=True),
        completed=Count(
            "enrollments",
            filter=Q(enrollments__completed_at__isnull=False),
            distinct=True,
        ),
        valid=Count(
            "certificates", filter=states[CertificateStatus.VALID], distinct=True
        ),
        expiring=Count("certificates", filter=states["expiring"], distinct=True),
        next_expiry=Min(
            "certificates__expires_on", filter=states[CertificateStatus.VALID]
        ),
    )
    return _figures(**figures)


def _figures(*, enrolled, completed, valid, expiring, next_expiry) -> dict:
    return {
        "courses_enrolled": enrolled,
        "courses_completed": completed,
        "courses_in_progress": enrolled - completed,
        "completion_rate": ratio(completed, enrolled),
        "certificates_valid": valid,
        "certificates_expiring": expiring,
        "next_expiry": next_expiry,
    }
