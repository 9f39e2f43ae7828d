"""A demo cohort: the demo hire in week 1 with some work done and one activity
waiting for the demo mentor; two more hires further along, one of them behind."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts import roles
from accounts.models import User
from onboarding import services as services
from onboarding.models import Cohort, OnboardingActivity, OnboardingProgramPage

from .accounts import ensure_user


def seed_onboarding() -> int:
    program = OnboardingProgramPage.objects.live().first()
    admin = User.objects.filter(email="admin@example.com").first()
    mentor = User.objects.filter(email="mentor@example.com").first()
    hire = User.objects.filter(email="hire@example.com").first()
    if not (program and admin and mentor and hire):
        return 0
    User.objects.filter(pk=hire.pk).update(manager=mentor)
    if Cohort.objects.exists():
        return 0
    today = timezone.localdate()
    cohort = services.create_cohort(
        name=f"Support hires, {today:%B %Y}",
        program=program,
        start_date=today - timedelta(days=3),
        time_zone="Europe/London",
        created_by=admin,
    )
    services.add_hire(cohort=cohort, hire=hire, mentor=mentor)
    first_week = list(
        OnboardingActivity.objects.filter(
            week__number=1, week__path__startswith=program.path
        )
        .exclude(kind="exam")
        .order_by("sort_order")
    )
    for activity in first_week[:2]:
        services.complete_activity(user=hire, activity=activity)

    earlier = services.create_cohort(
        name="Support hires, earlier intake",
        program=program,
        start_date=today - timedelta(days=17),
        time_zone="America/New_York",
        created_by=admin,
    )
    now = timezone.now()
    for index, (first, last) in enumerate([("Sam", "Ortega"), ("Priya", "Nair")]):
        person, _created = ensure_user(
            email=f"{first.lower()}.{last.lower()}@example.com",
            first_name=first,
            last_name=last,
            role_names=[roles.SUPPORT_HIRES],
            manager=mentor,
        )
        services.add_hire(cohort=earlier, hire=person, mentor=mentor)
        weeks = 3 if index == 0 else 1  # Priya is behind: only week 1 done
        activities = OnboardingActivity.objects.filter(
            week__number__lte=weeks, week__path__startswith=program.path
        ).exclude(kind="exam")
        for activity in activities.order_by("week__number", "sort_order"):
            progress = services.complete_activity(
                user=person, activity=activity, now=now
            )
            if progress.status == "submitted" and activity.week.number < weeks:
                services.sign_off(progress=progress, reviewer=mentor, approve=True)
    return 3
