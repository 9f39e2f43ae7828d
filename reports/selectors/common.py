"""What every report's selectors share: whose data (``Scope``), ratios, and
the date and counting helpers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    Window,
)
from django.db.models.functions import RowNumber, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.api import Organization
from courses.api import CoursePage, LearningPathPage
from onboarding.api import (
    Cohort,
)

DIMENSIONS = {
    # dimension: (model, path from it to its enrollments, label field)
    "course": (CoursePage, "enrollments", "title"),
    "path": (LearningPathPage, "steps__course__enrollments", "title"),
    "organization": (Organization, "members__enrollments", "name"),
    "cohort": (Cohort, "members__hire__enrollments", "name"),
}
DIMENSION_CHOICES = [
    ("course", _("Course")),
    ("path", _("Learning path")),
    ("organization", _("Organization")),
    ("cohort", _("Onboarding cohort")),
]


def ratio(part: int | None, whole: int | None) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Scope:
    """Whose data a report covers: everybody, or one customer organization's
    people (never internal staff), and an optional period."""

    organization: Organization | None = None
    date_from: date | None = None
    date_to: date | None = None

    def start(self) -> datetime | None:
        if self.date_from is None:
            return None
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    def end(self) -> datetime | None:
        if self.date_to is None:
            return None
        return timezone.make_aware(
            datetime.combine(self.date_to + timedelta(days=1), time.min)
        )

    def people(self, prefix: str) -> Q:
        """People in scope, ``prefix`` being the path to a user (``"user__"``)."""
        if self.organization is None:
            return Q()
        return Q(**{f"{prefix}organization": self.organization}) & Q(
            **{f"{prefix}is_staff": False}
        )

    def days(self, field_path: str) -> Q:
        """The period, on a date field."""
        q = Q()
        if self.date_from:
            q &= Q(**{f"{field_path}__gte": self.date_from})
        if self.date_to:
            q &= Q(**{f"{field_path}__lte": self.date_to})
        return q

    def period(self, field_path: str) -> Q:
        q = Q()
        if start := self.start():
            q &= Q(**{f"{field_path}__gte": start})
        if end := self.end():
            q &= Q(**{f"{field_path}__lt": end})
        return q


def _median_days(model, p: str, condition: Q) -> dict[int, float]:
    """Median days from enrolment to completion per group, ranked by a window
    function so only the one or two middle rows of each group leave the database."""
    duration = ExpressionWrapper(
        F(f"{p}__completed_at") - F(f"{p}__enrolled_at"),
        output_field=DurationField(),
    )
    middle = (
        model.objects.filter(condition, **{f"{p}__completed_at__isnull": False})
        .annotate(
            duration=duration,
            rank=Window(RowNumber(), partition_by=[F("pk")], order_by=duration.asc()),
            size=Window(Count(f"{p}__pk"), partition_by=[F("pk")]),
        )
        .filter(rank__gte=(F("size") + 1) / 2, rank__lte=F("size") / 2 + 1)
        .values_list("pk", "duration")
    )
    found: dict[int, list[timedelta]] = defaultdict(list)
    for key, length in middle:
        found[key].append(length)
    return {
        key: sum(lengths, timedelta()).total_seconds() / len(lengths) / 86400
        for key, lengths in found.items()
    }


@dataclass
class MonthPoint:
    month: date
    values: dict[str, float] = field(default_factory=dict)


def _month_counts(queryset, field_name: str) -> dict[date, int]:
    return {
        month.date() if isinstance(month, datetime) else month: number
        for month, number in queryset.annotate(month=TruncMonth(field_name))
        .order_by()
        .values("month")
        .annotate(number=Count("pk"))
        .values_list("month", "number")
        if month is not None
    }


def _months(start: date, end: date) -> list[date]:
    months, current = [], date(start.year, start.month, 1)
    while current <= end:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def _default_window(scope: Scope, today: date) -> tuple[date, date]:
    end = scope.date_to or today
    start = scope.date_from or date(end.year - 1, end.month, 1)
    return start, end


def _count_distinct(field_name: str) -> Func:
    """COUNT(DISTINCT field) as a subquery's one value (Django's Count would add
    a GROUP BY that a correlated subquery must not have)."""
    return Func(
        F(field_name),
        function="COUNT",
        template="COUNT(DISTINCT %(expressions)s)",
        output_field=IntegerField(),
    )
