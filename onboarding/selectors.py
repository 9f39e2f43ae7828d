"""Reads for the hire's and the mentor's onboarding views (fixed query counts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from . import schedule
from .models import (
    ActivityProgress,
    CohortMember,
    OnboardingActivity,
    OnboardingProgramPage,
    OnboardingWeekPage,
    ProgressStatus,
)


class ActivityState(models.TextChoices):
    """An activity as a hire's week shows it: the progress statuses, plus not
    started and overdue for an activity with no progress yet."""

    NOT_STARTED = "not_started", _("Not started")
    OVERDUE = "overdue", _("Overdue")
    DONE = ProgressStatus.DONE.value, ProgressStatus.DONE.label
    SUBMITTED = ProgressStatus.SUBMITTED.value, ProgressStatus.SUBMITTED.label
    SIGNED_OFF = ProgressStatus.SIGNED_OFF.value, ProgressStatus.SIGNED_OFF.label
    SENT_BACK = ProgressStatus.SENT_BACK.value, ProgressStatus.SENT_BACK.label


@dataclass
class ActivityRow:
    activity: OnboardingActivity
    progress: ActivityProgress | None
    overdue: bool

    @property
    def state(self) -> ActivityState:
        if self.progress:
            return ActivityState(self.progress.status)
        return ActivityState.OVERDUE if self.overdue else ActivityState.NOT_STARTED


@dataclass
class WeekView:
    week: OnboardingWeekPage
    opens_on: date | None
    is_open: bool
    rows: list[ActivityRow] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for r in self.rows if r.progress and r.progress.complete)


def _weeks(program) -> list[OnboardingWeekPage]:
    return list(
        OnboardingWeekPage.objects.child_of(program)
        .live()
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=OnboardingActivity.objects.select_related("page").order_by(
                    "sort_order"
                ),
            )
        )
    )


def build_weeks(program, member: CohortMember | None, now=None) -> list[WeekView]:
    weeks = _weeks(program)
    progress = {}
    today = None
    if member:
        today = member.local_today(now)
        progress = {
            p.activity_id: p for p in ActivityProgress.objects.filter(member=member)
        }
    views = []
    for week in weeks:
        opens_on = member.week_opens_on(week.number) if member else None
        is_open = bool(member and today >= opens_on)
        ends_on = opens_on + schedule.WEEK if opens_on else None
        rows = [
            ActivityRow(
                activity=activity,
                progress=progress.get(activity.pk),
                overdue=bool(
                    is_open
                    and activity.required
                    and today >= ends_on
                    and not (
                        progress.get(activity.pk) and progress[activity.pk].complete
                    )
                ),
            )
            for activity in week.activities.all()
        ]
        views.append(WeekView(week=week, opens_on=opens_on, is_open=is_open, rows=rows))
    return views


def hire_overview(*, program: OnboardingProgramPage, user, now=None) -> dict:
    member = (
        CohortMember.objects.select_related("cohort", "mentor", "cohort__program")
        .filter(hire=user, cohort__program=program)
        .order_by("-cohort__start_date")
        .first()
    )
    weeks = build_weeks(program, member, now)
    required = [r for w in weeks for r in w.rows if r.activity.required]
    complete = [r for r in required if r.progress and r.progress.complete]
    current = next(
        (w for w in reversed(weeks) if w.is_open), weeks[0] if weeks else None
    )
    return {
        "member": member,
        "weeks": weeks,
        "current_week": current,
        "percent": round(100 * len(complete) / len(required)) if required else 0,
        "progress_detail": f"{len(complete)} of {len(required)} activities",
        "mentees": mentor_overview(mentor=user, now=now)
        if user.mentees.exists()
        else None,
    }


@dataclass
class MenteeRow:
    member: CohortMember
    complete: int  # required activities done
    expected: int  # required activities due by today

    @property
    def behind(self) -> bool:
        return schedule.is_behind(self.complete, self.expected)


def mentor_overview(*, mentor, now=None) -> dict:
    """The mentor's hires (who is behind) and their sign-off queue, oldest first."""
    members = list(
        CohortMember.objects.filter(mentor=mentor)
        .select_related("hire", "cohort", "cohort__program")
        .order_by("hire__last_name")
    )
    queue = list(
        ActivityProgress.objects.filter(
            member__mentor=mentor, status=ProgressStatus.SUBMITTED
        )
        .select_related("member__hire", "activity__week")
        .order_by("submitted_at")
    )
    rows = progress_rows(members, now=now)
    return {"mentees": rows, "queue": queue}


def progress_rows(members: list[CohortMember], *, now=None) -> list[MenteeRow]:
    """Each hire's required activities done against those due by today (members
    with their cohort and program loaded): a fixed number of queries."""
    all_progress = {}
    for p in ActivityProgress.objects.filter(member__in=members).select_related(
        "activity__week"
    ):
        all_progress.setdefault(p.member_id, []).append(p)
    programs = {m.cohort.program_id: m.cohort.program for m in members}
    week_cache = {pid: _weeks(program) for pid, program in programs.items()}
    rows = []
    for member in members:
        required = {
            week.number: sum(1 for a in week.activities.all() if a.required)
            for week in week_cache[member.cohort.program_id]
        }
        expected = schedule.required_due(
            required, member.starts_on, member.local_today(now)
        )
        complete = sum(
            1
            for p in all_progress.get(member.pk, [])
            if p.complete and p.activity.required
        )
        rows.append(MenteeRow(member=member, complete=complete, expected=expected))
    return rows


def onboarding_progress(hire_ids, *, now=None) -> dict[int, MenteeRow]:
    """Progress of the hires among ``hire_ids`` (their latest cohort), by hire id."""
    members = (
        CohortMember.objects.filter(hire_id__in=hire_ids)
        .select_related("hire", "cohort", "cohort__program")
        .order_by("hire_id", "cohort__start_date")
    )
    latest = {member.hire_id: member for member in members}
    return {
        row.member.hire_id: row for row in progress_rows(list(latest.values()), now=now)
    }


def mentees_of(mentor):
    """The ids of the hires ``mentor`` mentors, as a subquery."""
    return CohortMember.objects.filter(mentor=mentor).values("hire_id")
