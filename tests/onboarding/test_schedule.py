"""One schedule for "behind": the mentor's page and the admin's onboarding report
say the same about the same hire at the same moment, on the day it is in the
cohort's time zone, counting required activities only."""

from datetime import UTC, date, datetime

import pytest

from onboarding import schedule
from onboarding.selectors import mentor_overview
from reports.selectors import onboarding_figures
from tests.onboarding.test_onboarding import START, activity, member, people  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_schedule_counts_whole_weeks_from_the_start():
    assert schedule.week_opens_on(START, 1) == START
    assert schedule.week_opens_on(START, 3) == date(2026, 12, 7)
    assert schedule.weeks_ended(START, date(2026, 11, 29)) == 0
    assert schedule.weeks_ended(START, date(2026, 11, 30)) == 1
    assert schedule.weeks_ended(START, date(2026, 11, 1)) == 0
    required = {1: 2, 2: 3, 3: 1}
    assert schedule.required_due(required, START, date(2026, 11, 29)) == 0
    assert schedule.required_due(required, START, date(2026, 12, 7)) == 5
    assert schedule.is_behind(4, 5) and not schedule.is_behind(5, 5)


def _behind(hire, now) -> tuple[bool, bool]:
    on_mentor_page = mentor_overview(mentor=hire.mentor, now=now)["mentees"]
    in_report = onboarding_figures(now=now).hires
    [mentor_row] = [r for r in on_mentor_page if r.member.pk == hire.pk]
    [report_row] = [r for r in in_report if r.member.pk == hire.pk]
    return mentor_row.behind, report_row.behind


def test_mentor_page_and_report_agree_on_behind_across_the_week_edge(
    member,  # noqa: F811
    time_machine,
):
    from onboarding import services

    member.cohort.time_zone = "Pacific/Auckland"  # UTC+13 in November
    member.cohort.save()
    optional = activity(1, "practice")
    optional.required = False
    optional.requires_signoff = False
    optional.save()
    time_machine.move_to(datetime(2026, 11, 24, 12, tzinfo=UTC))
    services.complete_activity(user=member.hire, activity=optional)

    # Sunday 29 Nov, 22:59 in Auckland: week 1 has not ended.
    before = datetime(2026, 11, 29, 9, 59, tzinfo=UTC)
    assert _behind(member, before) == (False, False)
    # Monday 30 Nov, 00:30 in Auckland (still the 29th on a UTC server): week 1
    # has ended and its one required activity is not done; the optional one
    # does not count.
    after = datetime(2026, 11, 29, 11, 30, tzinfo=UTC)
    assert _behind(member, after) == (True, True)

    time_machine.move_to(datetime(2026, 11, 29, 11, 0, tzinfo=UTC))
    services.complete_activity(user=member.hire, activity=activity(1, "read"))
    assert _behind(member, after) == (False, False)
