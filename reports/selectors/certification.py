"""Certification levels and expiring certificates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from certificates.api import (
    EXPIRING_WITHIN_DAYS,
    Certificate,
    CertificateStatus,
    CertificationLevelPage,
    LevelRequiredExam,
    certificate_states,
)
from exams.api import Attempt, AttemptStatus

from .common import (
    Scope,
    _count_distinct,
    _default_window,
    _month_counts,
    _months,
    ratio,
)


@dataclass
class CertificationRow:
    key: int
    label: str
    holders: int
    certified: int
    candidates: int
    valid: int
    expiring: int
    expired: int
    revoked: int
    superseded: int

    @property
    def certification_rate(self) -> float | None:
        return ratio(self.certified, self.candidates)


def certification_rows(
    *, scope: Scope, today: date | None = None
) -> list[CertificationRow]:
    """Per certification level: current holders, certification rate, and
    certificates by state. One query.

    The rate counts the same people above and below the line: of the people who
    sat a graded required exam of the level in the period (``candidates``), the
    share who hold or held a certificate of the level (``certified``). Holders
    who never sat the exam here (renewals of older certificates, imported ones)
    count as holders, not in the rate, so it never exceeds 100%."""
    today = today or timezone.localdate()
    people = scope.people("certificates__holder__")
    issued = people & scope.days("certificates__issued_on")
    states = certificate_states(today, "certificates__")

    def sat_a_required_exam(level_ref):
        return Attempt.objects.filter(
            scope.people("user__"),
            scope.period("started_at"),
            status=AttemptStatus.GRADED,
            exam_id__in=LevelRequiredExam.objects.filter(level_id=level_ref).values(
                "exam_id"
            ),
        )

    certified_candidates = (
        Certificate.objects.filter(
            level_id=OuterRef("pk"),
            holder_id__in=sat_a_required_exam(OuterRef(OuterRef("level_id"))).values(
                "user_id"
            ),
        )
        .order_by()
        .annotate(certified_count=_count_distinct("holder_id"))
        .values("certified_count")[:1]
    )
    candidates = (
        sat_a_required_exam(OuterRef(OuterRef("pk")))
        .order_by()
        .annotate(candidate_count=_count_distinct("user_id"))
        .values("candidate_count")[:1]
    )
    rows = (
        CertificationLevelPage.objects.annotate(
            holders=Count(
                "certificates__holder",
                filter=issued & states[CertificateStatus.VALID],
                distinct=True,
            ),
            certified=Subquery(certified_candidates, output_field=IntegerField()),
            candidates=Subquery(candidates, output_field=IntegerField()),
            **{
                f"state_{name}": Count("certificates", filter=issued & q, distinct=True)
                for name, q in states.items()
            },
        )
        .order_by("path")
        .values_list(
            "pk",
            "title",
            "holders",
            "certified",
            "candidates",
            *(f"state_{name}" for name in states),
        )
    )
    return [
        CertificationRow(*row[:3], row[3] or 0, row[4] or 0, *row[5:]) for row in rows
    ]


def certifications_over_time(*, scope: Scope, today: date | None = None) -> list[dict]:
    """Certificates issued, and renewals among them, per month (two queries)."""
    today = today or timezone.localdate()
    start, end = _default_window(scope, today)
    window = Scope(scope.organization, start, end)
    certificates = Certificate.objects.filter(
        window.people("holder__"),
        window.days("issued_on"),
        kind="certification",
    )
    issued = _month_counts(certificates.filter(cycle=1), "issued_on")
    renewed = _month_counts(certificates.filter(cycle__gt=1), "issued_on")
    return [
        {
            "month": month,
            "issued": issued.get(month, 0),
            "renewed": renewed.get(month, 0),
        }
        for month in _months(start, end)
    ]


def expiring_certificates(
    *,
    scope: Scope,
    within_days: int = EXPIRING_WITHIN_DAYS,
    level: CertificationLevelPage | None = None,
    today: date | None = None,
) -> QuerySet[Certificate]:
    """Valid certificates expiring within ``within_days``, soonest first, with their
    holder, organization and the reminders already sent (two queries)."""
    today = today or timezone.localdate()
    queryset = Certificate.objects.filter(
        scope.people("holder__"),
        revoked_at__isnull=True,
        superseded_by__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=within_days),
    )
    if level is not None:
        queryset = queryset.filter(level=level)
    return (
        queryset.select_related("holder__organization", "level")
        .prefetch_related("reminders")
        .order_by("expires_on", "pk")
    )


def expiring_per_week(
    *,
    scope: Scope,
    within_days: int = EXPIRING_WITHIN_DAYS,
    level: CertificationLevelPage | None = None,
    today: date | None = None,
) -> list[dict]:
    """How many of those certificates expire in each coming week (one query)."""
    today = today or timezone.localdate()
    weeks = [0] * (within_days // 7 + 1)
    for expires_on in expiring_certificates(
        scope=scope, within_days=within_days, level=level, today=today
    ).values_list("expires_on", flat=True):
        weeks[(expires_on - today).days // 7] += 1
    return [
        {"week": today + timedelta(days=7 * i), "count": n} for i, n in enumerate(weeks)
    ]
