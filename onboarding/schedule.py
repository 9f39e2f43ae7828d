"""The onboarding schedule, as pure functions of dates and counts.

A hire's week N opens on their start date + 7 x (N - 1) days, in their cohort's
time zone. By a given day, every required activity of the weeks that have ended
is due; a hire who has completed fewer required activities than are due is
behind. The hire's page, the mentor's page and the admin's onboarding report all
ask here, so they cannot disagree about the same hire.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

WEEK = timedelta(days=7)


def week_opens_on(starts_on: date, number: int) -> date:
    return starts_on + WEEK * (number - 1)


def weeks_ended(starts_on: date, today: date) -> int:
    """How many whole weeks of the program are behind the hire on ``today``."""
    return max(0, (today - starts_on).days // WEEK.days)


def required_due(
    required_per_week: Mapping[int, int], starts_on: date, today: date
) -> int:
    """Required activities of the weeks that have ended by ``today``."""
    ended = weeks_ended(starts_on, today)
    return sum(count for number, count in required_per_week.items() if number <= ended)


def is_behind(required_done: int, due: int) -> bool:
    return required_done < due
