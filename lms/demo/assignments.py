"""Assigned training in the demo: a compliance course for the hire's cohort (due at
the end of onboarding week 3), the yearly recertification of support staff, a
customer organisation that requires the Associate level, and a manager with one
report overdue long enough to be escalated."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import roles
from accounts.models import Organization, User
from assignments import reminders, services
from assignments.models import Assignment, AudienceKind, DueFrom
from certificates.models import CertificationLevelPage
from courses.models import CoursePage
from onboarding.models import CohortMember


def _course(slug: str):
    return CoursePage.objects.live().filter(slug=slug).first()


def _level(code: str):
    return CertificationLevelPage.objects.live().filter(code=code).first()


def seed_assignments() -> int:
    """Returns how many assignments were made (0 when the demo already has them)."""
    admin = User.objects.filter(email="admin@example.com").first()
    manager = User.objects.filter(email="manager@example.com").first()
    hire = User.objects.filter(email="hire@example.com").first()
    customer = User.objects.filter(email="customer@example.com").first()
    behind = User.objects.filter(email="goran.petrovic@example.com").first()
    if not (admin and manager and hire and customer):
        return 0
    # Set on every run: refreshing the demo accounts clears their managers.
    reports = [hire, customer] + ([behind] if behind else [])
    User.objects.filter(pk__in=[p.pk for p in reports]).update(manager=manager)
    if Assignment.objects.exists():
        return 0
    for person in reports:
        person.refresh_from_db()
    now = timezone.now()
    made = 0

    compliance = _course("support-engineer-foundations")
    member = CohortMember.objects.filter(hire=hire).select_related("cohort").first()
    if compliance and member:
        services.create_assignment(
            actor=admin,
            item=compliance,
            audience=AudienceKind.COHORT,
            cohort=member.cohort,
            due_days=21,  # the end of onboarding week 3
            due_from=DueFrom.HIRE_DATE,
            now=now,
        )
        made += 1
    support_certification = _level("cse")
    if support_certification:
        services.create_assignment(
            actor=admin,
            item=support_certification,
            audience=AudienceKind.ROLE,
            role=Group.objects.get(name=roles.SUPPORT_HIRES),
            due_days=90,
            due_from=DueFrom.HIRE_DATE,
            recur_months=12,
            window_days=60,
            now=now,
        )
        made += 1
    associate = _level("associate")
    northwind = Organization.objects.filter(name="Northwind Logistics").first()
    if associate and northwind:
        services.create_assignment(
            actor=admin,
            item=associate,
            audience=AudienceKind.ORGANIZATION,
            organization=northwind,
            due_days=90,
            now=now - timedelta(days=20),
        )
        made += 1
    fundamentals = _course("fundamentals")
    if fundamentals:
        if behind:
            # Reached him 24 days ago, due in 14: ten days overdue, escalated.
            services.create_assignment(
                actor=manager,
                item=fundamentals,
                audience=AudienceKind.PEOPLE,
                people=[behind],
                due_days=14,
                now=now - timedelta(days=24),
            )
            made += 1
        api = _course("api-essentials") or fundamentals
        services.create_assignment(
            actor=manager,
            item=api,
            audience=AudienceKind.PEOPLE,
            people=[customer],
            due_days=14,
            now=now - timedelta(days=2),
        )
        made += 1
    reminders.send_assignment_reminders(now=now)
    reminders.send_overdue_digests(now=now)
    return made
