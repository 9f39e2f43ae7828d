"""Onboarding: hires against the schedule (``onboarding.schedule``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Count,
    Min,
    Q,
)
from django.utils import timezone

from onboarding.api import (
    ActivityProgress,
    Cohort,
    CohortMember,
    OnboardingWeekPage,
    ProgressStatus,
    schedule,
)

from .common import (
    ratio,
)


@dataclass
class HireRow:
    member: CohortMember
    weeks_elapsed: int
    completed: int
    expected: int
    awaiting_signoff: int

    @property
    def behind(self) -> bool:
        return schedule.is_behind(self.completed, self.expected)

    @property
    def current_week(self) -> int:
        return self.weeks_elapsed + 1


@dataclass
class OnboardingFigures:
    hires: list[HireRow]
    # cohort name -> [percent of the week's required activities done, per week]
    cohort_weeks: dict[str, list[float | None]]
    week_numbers: list[int]
    backlog: list[dict]


def onboarding_figures(
    *,
    cohort: Cohort | None = None,
    behind_only: bool = False,
    now: datetime | None = None,
) -> OnboardingFigures:
    """Each hire's progress against the schedule (``onboarding.schedule``, on the
    day it is in the hire's cohort's time zone), each cohort's progress week by
    week, and the mentors' sign-off backlog. Four queries."""
    members_qs = CohortMember.objects.select_related(
        "hire", "mentor", "cohort__program"
    ).annotate(
        awaiting=Count("progress", filter=Q(progress__status=ProgressStatus.SUBMITTED))
    )
    if cohort is not None:
        members_qs = members_qs.filter(cohort=cohort)
    members = list(members_qs.order_by("-cohort__start_date", "hire__last_name"))
    required: dict[str, dict[int, int]] = defaultdict(dict)
    for path, number, count in (
        OnboardingWeekPage.objects.live()
        .annotate(required=Count("activities", filter=Q(activities__required=True)))
        .values_list("path", "number", "required")
    ):
        required[path[: -OnboardingWeekPage.steplen]][number] = count
    done: dict[int, dict[int, int]] = defaultdict(dict)
    for member_id, number, count in (
        ActivityProgress.objects.filter(
            member__in=[m.pk for m in members],
            activity__required=True,
            status__in=[ProgressStatus.DONE, ProgressStatus.SIGNED_OFF],
        )
        .values("member_id", "activity__week__number")
        .annotate(number=Count("pk"))
        .values_list("member_id", "activity__week__number", "number")
    ):
        done[member_id][number] = count

    hires, week_numbers = [], set()
    cohort_done: dict[str, dict[int, list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for member in members:
        weeks = required.get(member.cohort.program.path, {})
        week_numbers.update(weeks)
        today = member.local_today(now)
        elapsed = schedule.weeks_ended(member.starts_on, today)
        expected = schedule.required_due(weeks, member.starts_on, today)
        completed = sum(done[member.pk].values())
        row = HireRow(member, elapsed, completed, expected, member.awaiting)
        for number, needed in weeks.items():
            pair = cohort_done[member.cohort.name][number]
            if not pair:
                pair.extend([0, 0])
            pair[0] += done[member.pk].get(number, 0)
            pair[1] += needed
        if row.behind or not behind_only:
            hires.append(row)
    ordered_weeks = sorted(week_numbers)
    cohort_weeks = {
        name: [
            ratio(weeks[n][0], weeks[n][1]) if n in weeks else None
            for n in ordered_weeks
        ]
        for name, weeks in cohort_done.items()
    }
    backlog = list(
        ActivityProgress.objects.filter(status=ProgressStatus.SUBMITTED)
        .values("member__mentor__first_name", "member__mentor__last_name")
        .annotate(waiting=Count("pk"), oldest=Min("submitted_at"))
        .order_by("-waiting", "oldest")
    )
    for entry in backlog:
        entry["mentor"] = (
            f"{entry['member__mentor__first_name']} {entry['member__mentor__last_name']}"
        ).strip()
        entry["days_waiting"] = (timezone.now() - entry["oldest"]).days
    return OnboardingFigures(hires, cohort_weeks, ordered_weeks, backlog)
