"""The reminder jobs: each person before, on and after their due date, and the
overdue digests for managers (daily) and organisation admins (weekly).

Each e-mail is recorded by a row whose unique constraint allows it once (per cycle
and threshold, or per recipient and period) in the transaction that queues it:
retries, restarts and two schedulers running at once cannot send it twice.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.api import User
from certificates.api import parse_offsets

from . import schedule
from .emails import send_digest, send_reminder
from .models import Assignment, AssignmentReminder, DigestSent, PersonAssignment
from .signals import assignment_overdue

CHUNK = 500


def threshold(days_left: int, offsets: list[int]) -> str | None:
    """The reminder due for a cycle ``days_left`` days from its due date: only the
    nearest threshold, so a person assigned 5 days before gets one e-mail, not three."""
    if days_left < 0:
        return "overdue"
    if days_left == 0:
        return "due"
    nearer = [days for days in offsets if days >= days_left]
    return f"before:{min(nearer)}" if nearer else None


def _open_rows():
    return PersonAssignment.objects.filter(
        completed_at__isnull=True,
        left_audience_at__isnull=True,
        assignment__withdrawn_at__isnull=True,
        due_on__isnull=False,
        person__is_active=True,
    ).select_related("person", "assignment__item")


def send_assignment_reminders(*, now: datetime | None = None) -> int:
    """Queue every reminder due now; returns how many were queued."""
    now = now or timezone.now()
    horizon = max(
        (
            max(parse_offsets(text), default=0)
            for text in Assignment.objects.active()
            .values_list("reminder_days", flat=True)
            .distinct()
        ),
        default=0,
    )
    # A day of slack either side covers every time zone's idea of today.
    rows = (
        _open_rows()
        .filter(due_on__lte=now.date() + timedelta(days=horizon + 1))
        .exclude(reminders__threshold="overdue")
        .order_by("pk")
    )
    sent = 0
    for row in rows.iterator(chunk_size=CHUNK):
        today = schedule.local_today(row.person, now)
        if schedule.standing(row, today=today) in schedule.COMPLIANT:
            continue  # exempt, or a repeat cycle not open yet
        due = threshold(
            schedule.days_left(row, today=today),
            parse_offsets(row.assignment.reminder_days),
        )
        if due is None:
            continue
        try:
            with transaction.atomic():
                AssignmentReminder.objects.create(row=row, threshold=due)
                send_reminder(row, today=today)
                if due == "overdue":
                    assignment_overdue.send(sender=type(row), row=row, today=today)
        except IntegrityError:
            continue  # sent before, or by a scheduler running at the same time
        sent += 1
    return sent


def send_overdue_digests(*, now: datetime | None = None) -> int:
    """Each manager's daily digest of their people overdue past the assignment's
    escalation days; each organisation admin's weekly digest of their
    organisation's overdue people. Returns how many digests were queued."""
    now = now or timezone.now()
    overdue = []
    for row in (
        _open_rows()
        .filter(due_on__lt=now.date() + timedelta(days=1))
        .filter(
            Q(person__manager__isnull=False) | Q(person__organization__isnull=False)
        )
        .order_by("person_id", "due_on")
        .iterator(chunk_size=CHUNK)
    ):
        today = schedule.local_today(row.person, now)
        if schedule.standing(row, today=today) == schedule.Standing.OVERDUE:
            overdue.append((row, today))
    by_manager, by_organization = defaultdict(list), defaultdict(list)
    for row, today in overdue:
        if (
            row.person.manager_id
            and (today - row.due_on).days >= row.assignment.escalate_after_days
        ):
            by_manager[row.person.manager_id].append(row)
        if row.person.organization_id:
            by_organization[row.person.organization_id].append(row)
    sent = 0
    recipients = User.objects.in_bulk(list(by_manager))
    for manager_id, rows in by_manager.items():
        manager = recipients.get(manager_id)
        if manager is not None and manager.is_active:
            period = schedule.local_today(manager, now)
            sent += _digest(manager, rows, DigestSent.Kind.MANAGER_DAILY, period, now)
    admins = User.objects.filter(
        is_organization_admin=True,
        is_active=True,
        organization_id__in=list(by_organization),
    )
    for admin in admins:
        today = schedule.local_today(admin, now)
        monday = today - timedelta(days=today.weekday())
        rows = by_organization[admin.organization_id]
        sent += _digest(admin, rows, DigestSent.Kind.ORGANIZATION_WEEKLY, monday, now)
    return sent


def _digest(recipient, rows, kind, period, now) -> int:
    try:
        with transaction.atomic():
            DigestSent.objects.create(
                recipient=recipient,
                kind=kind,
                period=period,
                people=len({row.person_id for row in rows}),
            )
            send_digest(recipient, rows, today=schedule.local_today(recipient, now))
    except IntegrityError:
        return 0
    return 1
