"""Reminders before, on and after the due date, manual reminders and the overdue
digests: each goes out once, whatever reruns."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from assignments import reminders, services
from assignments.models import AssignmentReminder, AudienceKind, DigestSent
from tests.assignments.conftest import NOW
from tests.assignments.support import assign, rows_of

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def run_reminders(committed, day: date) -> int:
    with committed():
        return reminders.send_assignment_reminders(now=at(day))


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (20, None),
        (14, "before:14"),
        (10, "before:14"),
        (7, "before:7"),
        (5, "before:7"),
        (1, "before:1"),
        (0, "due"),
        (-1, "overdue"),
        (-30, "overdue"),
    ],
)
def test_only_the_nearest_threshold_applies(days_left, expected):
    assert reminders.threshold(days_left, [14, 7, 1]) == expected


def test_each_threshold_is_sent_once_however_often_the_job_runs(
    training_admin, user_factory, course, committed
):
    person = user_factory()
    due = date(2026, 12, 20)
    assign(training_admin, course, people=[person], due_on=due, now=NOW)

    sent = [run_reminders(committed, due - timedelta(days=14)) for _ in range(3)]
    sent += [run_reminders(committed, due - timedelta(days=7)) for _ in range(2)]
    sent += [run_reminders(committed, due) for _ in range(2)]
    sent += [run_reminders(committed, due + timedelta(days=d)) for d in (1, 2, 9)]

    assert sent == [1, 0, 0, 1, 0, 1, 0, 1, 0, 0]
    assert sorted(AssignmentReminder.objects.values_list("threshold", flat=True)) == [
        "before:14",
        "before:7",
        "due",
        "overdue",
    ]
    assert [m.to for m in mail.outbox] == [[person.email]] * 4
    assert "overdue by 1 day" in mail.outbox[-1].subject
    assert course.title in mail.outbox[-1].body


def test_someone_assigned_late_gets_one_reminder_not_three(
    training_admin, user_factory, course, committed
):
    person = user_factory()
    due = date(2026, 12, 9)
    assign(training_admin, course, people=[person], due_on=due, now=NOW)

    assert run_reminders(committed, date(2026, 12, 4)) == 1
    assert list(AssignmentReminder.objects.values_list("threshold", flat=True)) == [
        "before:7"
    ]


def test_done_exempt_and_former_members_get_no_reminders(
    training_admin, user_factory, course, committed, organization
):
    done, exempt, left = (user_factory(organization=organization) for _ in range(3))
    assign(
        training_admin,
        course,
        audience=AudienceKind.ORGANIZATION,
        organization=organization,
        due_on=date(2026, 12, 5),
        now=NOW,
    )
    rows_of(done)[0].__class__.objects.filter(person=done).update(completed_at=NOW)
    services.exempt(
        actor=training_admin,
        row_id=rows_of(exempt)[0].pk,
        reason="On parental leave",
        until=date(2027, 3, 1),
    )
    left.organization = None
    with committed():
        left.save()

    assert run_reminders(committed, date(2026, 12, 5)) == 0
    assert mail.outbox == []


def test_the_day_is_the_persons_own(training_admin, user_factory, course, committed):
    tokyo = user_factory(time_zone="Asia/Tokyo")
    honolulu = user_factory(time_zone="Pacific/Honolulu")
    assign(
        training_admin,
        course,
        people=[tokyo, honolulu],
        due_on=date(2026, 12, 10),
        now=NOW,
    )
    # 10 December, 20:00 UTC: already the 11th in Tokyo, still the 10th in Honolulu.
    with committed():
        reminders.send_assignment_reminders(
            now=datetime(2026, 12, 10, 20, 0, tzinfo=UTC)
        )

    sent = dict(AssignmentReminder.objects.values_list("row__person", "threshold"))
    assert sent == {tokyo.pk: "overdue", honolulu.pk: "due"}


def test_a_reminder_by_hand_goes_at_most_once_a_day(
    manager, user_factory, course, committed
):
    report = user_factory(manager=manager)
    assign(manager, course, people=[report], due_on=date(2027, 1, 1), now=NOW)
    row = rows_of(report)[0]

    with committed():
        services.remind_now(actor=manager, row_id=row.pk, now=NOW)
    with pytest.raises(ValidationError, match="already reminded today"):
        services.remind_now(actor=manager, row_id=row.pk, now=NOW + timedelta(hours=3))
    with committed():
        services.remind_now(actor=manager, row_id=row.pk, now=NOW + timedelta(days=1))

    assert len(mail.outbox) == 2
    assert "Mona Manager asked us to remind you" in mail.outbox[0].body


def test_managers_get_one_daily_digest_after_the_escalation_days(
    manager, user_factory, course, committed
):
    late = [user_factory(manager=manager) for _ in range(2)]
    assign(
        manager,
        course,
        people=late,
        due_on=date(2026, 12, 1),
        escalate_after_days=3,
        now=NOW,
    )

    def digests(day):
        with committed():
            return reminders.send_overdue_digests(now=at(day))

    assert digests(date(2026, 12, 3)) == 0  # 2 days overdue: not yet
    assert [digests(date(2026, 12, 4)) for _ in range(3)] == [1, 0, 0]
    assert digests(date(2026, 12, 5)) == 1  # the next day's digest
    to_manager = [m for m in mail.outbox if m.to == [manager.email]]
    assert len(to_manager) == 2
    assert all(person.display_name in to_manager[0].body for person in late)
    assert "2 people" in to_manager[0].subject


def test_organisation_admins_get_one_weekly_digest(
    training_admin, user_factory, course, committed, organization
):
    admin = user_factory(organization=organization, is_organization_admin=True)
    person = user_factory(organization=organization)
    assign(training_admin, course, people=[person], due_on=date(2026, 11, 30), now=NOW)

    def digests(day):
        with committed():
            return reminders.send_overdue_digests(now=at(day))

    # Thursday 3 and Sunday 6 December are the same week; Monday 7 starts a new one.
    sent = [digests(date(2026, 12, d)) for d in (3, 4, 6, 7)]

    assert sent == [1, 0, 0, 1]
    assert set(DigestSent.objects.values_list("kind", "period")) == {
        (DigestSent.Kind.ORGANIZATION_WEEKLY, date(2026, 11, 30)),
        (DigestSent.Kind.ORGANIZATION_WEEKLY, date(2026, 12, 7)),
    }
    assert all(m.to == [admin.email] for m in mail.outbox)
