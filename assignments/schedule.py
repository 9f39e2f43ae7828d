"""The one home of assigned training's dates: due dates in the person's time zone,
repeat cycles, and where a person stands with one cycle (done, exempt, overdue…)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.api import zone_named
from certificates.api import add_months

from .models import Assignment, DueFrom, PersonAssignment


class Standing(models.TextChoices):
    DONE = "done", _("Done")
    EXEMPT = "exempt", _("Exempt")
    OVERDUE = "overdue", _("Overdue")
    DUE = "due", _("Due")
    IN_PROGRESS = "in_progress", _("In progress")
    UPCOMING = "upcoming", _("Done, next cycle not open yet")


# Standings that count as compliant in reports and the team view.
COMPLIANT = frozenset({Standing.DONE, Standing.EXEMPT, Standing.UPCOMING})


def person_zone(person) -> ZoneInfo:
    return zone_named(person.time_zone)


def local_date(moment: datetime, person) -> date:
    """The calendar date of ``moment`` where the person lives."""
    return timezone.localtime(moment, person_zone(person)).date()


def local_today(person, now: datetime | None = None) -> date:
    return local_date(now or timezone.now(), person)


def due_on(
    assignment: Assignment, person, *, reached_at: datetime, hire_date: date | None
) -> date | None:
    """The first cycle's due date: fixed, or N days after the assignment reached the
    person (or after their start date), counted in the person's own calendar."""
    if assignment.due_on is not None:
        return assignment.due_on
    if assignment.due_days is None:
        return None
    start = local_date(reached_at, person)
    if assignment.due_from == DueFrom.HIRE_DATE and hire_date is not None:
        start = hire_date
    return start + timedelta(days=assignment.due_days)


def next_cycle_dates(
    assignment: Assignment, person, *, completed_at: datetime
) -> tuple[date, date] | None:
    """(due, opens) of the cycle after one completed at ``completed_at``; None for an
    assignment that does not repeat. Month ends clamp (31 Jan + 1 month = 28 Feb)."""
    if not assignment.recur_months:
        return None
    due = add_months(local_date(completed_at, person), assignment.recur_months)
    return due, due - timedelta(days=assignment.window_days)


def still_counts(assignment: Assignment, person, *, completed_at, today) -> bool:
    """Whether a completion from before the assignment still counts: always for a
    one-off, within the repeat period for a recurring one."""
    if not assignment.recur_months:
        return True
    return add_months(local_date(completed_at, person), assignment.recur_months) > today


def standing(
    row: PersonAssignment,
    *,
    today: date,
    started: bool = False,
    zone: ZoneInfo | None = None,
) -> Standing:
    """Where the person stands with this cycle on ``today`` (their local date).

    With the person's ``zone``, ``today`` may be a day in the past (the compliance
    report's history): a completion after that day does not count yet."""
    if row.completed_at is not None and (
        zone is None or timezone.localtime(row.completed_at, zone).date() <= today
    ):
        return Standing.DONE
    if row.exempt_until is not None and row.exempt_until >= today:
        return Standing.EXEMPT
    if row.opens_on is not None and today < row.opens_on:
        return Standing.UPCOMING
    if row.due_on is not None and today > row.due_on:
        return Standing.OVERDUE
    if started:
        return Standing.IN_PROGRESS
    return Standing.DUE


def days_left(row: PersonAssignment, *, today: date) -> int | None:
    """Days until the due date (0 on the day, negative when overdue)."""
    return None if row.due_on is None else (row.due_on - today).days
