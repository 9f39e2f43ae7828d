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


def learner_figures(*, user, today: date | None = None) -> dict:
    """The signed-in learner's own numbers for the dashboard. One query."""
    from accounts.api import User

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
    return {
        "courses_enrolled": figures["enrolled"],
        "courses_completed": figures["completed"],
        "courses_in_progress": figures["enrolled"] - figures["completed"],
        "completion_rate": ratio(figures["completed"], figures["enrolled"]),
        "certificates_valid": figures["valid"],
        "certificates_expiring": figures["expiring"],
        "next_expiry": figures["next_expiry"],
    }
