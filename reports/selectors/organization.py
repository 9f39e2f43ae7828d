"""One customer organization's people."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Count,
    Max,
    Q,
)
from django.utils import timezone

from accounts.api import Organization
from certificates.api import (
    CertificateStatus,
    certificate_states,
)


def organization_people(*, organization: Organization, today: date | None = None):
    """The organization's people (never internal staff) with their course and
    certificate figures. One query."""
    from accounts.api import User

    today = today or timezone.localdate()
    states = certificate_states(today, "certificates__")
    return (
        User.objects.filter(organization=organization, is_staff=False)
        .annotate(
            enrolled=Count("enrollments", distinct=True),
            completed=Count(
                "enrollments",
                filter=Q(enrollments__completed_at__isnull=False),
                distinct=True,
            ),
            valid_certificates=Count(
                "certificates", filter=states[CertificateStatus.VALID], distinct=True
            ),
            last_activity=Max("enrollments__last_activity_at"),
        )
        .order_by("last_name", "first_name", "email")
    )
