"""Course completion: rows per course, path, organization or cohort, and months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    Q,
)
from django.utils import timezone

from courses.api import CoursePage, Enrollment

from .common import (
    DIMENSIONS,
    Scope,
    _default_window,
    _median_days,
    _month_counts,
    _months,
    ratio,
)


@dataclass
class CompletionRow:
    key: int
    label: str
    enrolled: int
    not_started: int
    completed: int
    median_days: float | None = None

    @property
    def in_progress(self) -> int:
        return self.enrolled - self.completed - self.not_started

    @property
    def completion_rate(self) -> float | None:
        return ratio(self.completed, self.enrolled)


def completion_rows(
    *, scope: Scope, by: str = "course", course: CoursePage | None = None
) -> list[CompletionRow]:
    """Enrolled, not started, in progress, completed and the median days to complete,
    per course, learning path, organization or cohort. Two queries."""
    model, to_enrollments, label_field = DIMENSIONS[by]
    p = to_enrollments
    condition = scope.people(f"{p}__user__") & scope.period(f"{p}__enrolled_at")
    if course is not None:
        condition &= Q(**{f"{p}__course": course})
    if by == "organization" and scope.organization is not None:
        model_filter = Q(pk=scope.organization.pk)
    else:
        model_filter = Q()
    rows = (
        model.objects.filter(model_filter)
        .annotate(
            enrolled=Count(p, filter=condition, distinct=True),
            completed=Count(
                p,
                filter=condition & Q(**{f"{p}__completed_at__isnull": False}),
                distinct=True,
            ),
            not_started=Count(
                p,
                filter=condition
                & Q(
                    **{
                        f"{p}__completed_at__isnull": True,
                        f"{p}__last_activity_at__isnull": True,
                    }
                ),
                distinct=True,
            ),
        )
        .filter(enrolled__gt=0)
        .order_by(label_field)
        .values_list("pk", label_field, "enrolled", "not_started", "completed")
    )
    result = [CompletionRow(*row) for row in rows]
    medians = _median_days(model, p, condition & model_filter)
    for row in result:
        row.median_days = medians.get(row.key)
    return result


def completion_over_time(*, scope: Scope, today: date | None = None) -> list[dict]:
    """Enrolments and completions per month (two queries)."""
    today = today or timezone.localdate()
    start, end = _default_window(scope, today)
    window = Scope(scope.organization, start, end)
    enrollments = Enrollment.objects.filter(window.people("user__"))
    enrolled = _month_counts(
        enrollments.filter(window.period("enrolled_at")), "enrolled_at"
    )
    completed = _month_counts(
        enrollments.filter(window.period("completed_at")), "completed_at"
    )
    return [
        {
            "month": month,
            "enrolled": enrolled.get(month, 0),
            "completed": completed.get(month, 0),
        }
        for month in _months(start, end)
    ]
