"""Exams: attempts, pass rates, scores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
)
from django.db.models.functions import Floor

from exams.api import Attempt, AttemptStatus, ExamPage

from .common import (
    Scope,
    ratio,
)


@dataclass
class ExamRow:
    key: int
    label: str
    attempts: int
    graded: int
    awaiting_grading: int
    passed: int
    average_percent: float | None
    average_duration: timedelta | None

    @property
    def pass_rate(self) -> float | None:
        return ratio(self.passed, self.graded)

    @property
    def attempts_per_pass(self) -> float | None:
        return ratio(self.graded, self.passed)

    @property
    def average_minutes(self) -> float | None:
        if self.average_duration is None:
            return None
        return self.average_duration.total_seconds() / 60


def exam_rows(*, scope: Scope, exam: ExamPage | None = None) -> list[ExamRow]:
    """Per exam: closed attempts, pass rate over graded attempts, attempts awaiting
    grading, average score and time used, attempts per pass. One query."""
    condition = scope.people("attempts__user__") & scope.period("attempts__started_at")
    graded = condition & Q(attempts__status=AttemptStatus.GRADED)
    queryset = ExamPage.objects.all()
    if exam is not None:
        queryset = queryset.filter(pk=exam.pk)
    rows = (
        queryset.annotate(
            attempts_count=Count(
                "attempts",
                filter=condition
                & Q(
                    attempts__status__in=[AttemptStatus.GRADED, AttemptStatus.SUBMITTED]
                ),
            ),
            graded_count=Count("attempts", filter=graded),
            awaiting=Count(
                "attempts",
                filter=condition & Q(attempts__status=AttemptStatus.SUBMITTED),
            ),
            passed_count=Count("attempts", filter=graded & Q(attempts__passed=True)),
            average_percent=Avg("attempts__percent", filter=graded),
            average_duration=Avg(
                ExpressionWrapper(
                    F("attempts__submitted_at") - F("attempts__started_at"),
                    output_field=DurationField(),
                ),
                filter=graded & Q(attempts__submitted_at__isnull=False),
            ),
        )
        .filter(attempts_count__gt=0)
        .order_by("title")
        .values_list(
            "pk",
            "title",
            "attempts_count",
            "graded_count",
            "awaiting",
            "passed_count",
            "average_percent",
            "average_duration",
        )
    )
    return [
        ExamRow(
            *row[:6],
            float(row[6]) if row[6] is not None else None,
            row[7],
        )
        for row in rows
    ]


def score_histogram(*, scope: Scope, exam: ExamPage | None = None) -> list[dict]:
    """Graded attempts per score band of ten points (0-9, ..., 90-100). One query."""
    attempts = Attempt.objects.filter(
        scope.people("user__"),
        scope.period("started_at"),
        status=AttemptStatus.GRADED,
        percent__isnull=False,
    )
    if exam is not None:
        attempts = attempts.filter(exam=exam)
    counts = [0] * 10
    for band, number in (
        attempts.annotate(band=Floor(F("percent") / 10))
        .order_by()
        .values("band")
        .annotate(number=Count("pk"))
        .values_list("band", "number")
    ):
        counts[min(9, max(0, int(band)))] += number
    return [
        {"band": f"{10 * i}–{10 * i + 9 if i < 9 else 100}", "attempts": counts[i]}
        for i in range(10)
    ]
