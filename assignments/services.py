"""Changes to assigned training. Every change goes through here, with its audit
record in the same transaction: assigning, reaching people as rules match them,
completion, repeat cycles, exemptions, new due dates and reminders sent by hand."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import audit_values, record_audit_event
from onboarding.api import CohortMember

from . import audiences, permissions, schedule
from .emails import send_reminder
from .kinds import kind_for
from .models import Assignment, AssignmentReminder, PersonAssignment

ROW_AUDIT_FIELDS = ["due_on", "exempt_until", "exempt_reason"]


class AssignmentError(Exception):
    """A change refused; ``str(error)`` says why, for the person who asked."""


def create_assignment(
    *, actor, item, audience: str, people=(), now: datetime | None = None, **fields
) -> tuple[Assignment, list[str]]:
    """Assign ``item`` and reach everyone it applies to now. Returns the assignment
    and the enrolment refusals (prerequisites) met on the way, for the actor."""
    kind = kind_for(item)  # ValueError for anything that cannot be assigned
    if fields.get("recur_months") and not kind.repeats:
        raise ValidationError(
            {
                "recur_months": _(
                    "Only a certification repeats (it is renewed); a course or a "
                    "learning path stays completed once completed."
                )
            }
        )
    people = list(people)
    if not permissions.may_assign(
        actor,
        audience=audience,
        people=people,
        organization=fields.get("organization"),
    ):
        raise PermissionDenied
    with transaction.atomic():
        assignment = Assignment(
            item=item, audience=audience, assigned_by=actor, **fields
        )
        assignment.full_clean(exclude=["people", "item", "assigned_by"])
        assignment.save()
        if people:
            assignment.people.set(people)
        refusals = reach(assignment, audiences.members(assignment), now=now)
        record_audit_event(
            actor=actor,
            action="assignment.create",
            target=assignment,
            before=None,
            after=audit_values(
                assignment,
                ["item", "audience", "due_on", "due_days", "recur_months"],
            ),
        )
    return assignment, refusals


def reach(assignment: Assignment, people, *, now: datetime | None = None) -> list[str]:
    """Give each of ``people`` who has none yet their first cycle of ``assignment``
    (a completion from before counts while still valid), and enrol them."""
    now = now or timezone.now()
    existing = set(
        PersonAssignment.objects.filter(assignment=assignment).values_list(
            "person_id", flat=True
        )
    )
    newcomers = [person for person in people if person.pk not in existing]
    if not newcomers:
        return []
    kind = kind_for(assignment.item)
    done = kind.completions([p.pk for p in newcomers], [assignment.item_id])
    starts = hire_dates([p.pk for p in newcomers])
    rows, refusals = [], []
    for person in newcomers:
        today = schedule.local_today(person, now)
        completed = done.get((person.pk, assignment.item_id))
        if completed and not schedule.still_counts(
            assignment, person, completed_at=completed, today=today
        ):
            completed = None
        rows.append(
            PersonAssignment(
                assignment=assignment,
                person=person,
                assigned_at=now,
                due_on=schedule.due_on(
                    assignment, person, reached_at=now, hire_date=starts.get(person.pk)
                ),
                completed_at=completed,
                completed_by=_("completed before it was assigned") if completed else "",
            )
        )
        if completed:
            rows.extend(_next_cycle(assignment, person, 1, completed, now))
    PersonAssignment.objects.bulk_create(rows, ignore_conflicts=True)
    for row in rows:
        if row.cycle == 1 and row.completed_at is None:
            refused = kind.enrol(row.person, assignment.item)
            if refused:
                refusals.append(f"{row.person.display_name}: {refused}")
    return refusals


def _next_cycle(assignment, person, cycle: int, completed_at, now):
    dates = schedule.next_cycle_dates(assignment, person, completed_at=completed_at)
    if dates is None:
        return []
    due, opens = dates
    return [
        PersonAssignment(
            assignment=assignment,
            person=person,
            cycle=cycle + 1,
            assigned_at=now,
            due_on=due,
            opens_on=opens,
        )
    ]


def hire_dates(person_ids) -> dict[int, date]:
    """Each person's start date in onboarding (their earliest cohort), if any."""
    starts = {}
    for member in CohortMember.objects.filter(hire_id__in=person_ids).select_related(
        "cohort"
    ):
        day = member.starts_on
        if member.hire_id not in starts or day < starts[member.hire_id]:
            starts[member.hire_id] = day
    return starts


@transaction.atomic
def sync_person(person, *, now: datetime | None = None) -> int:
    """Bring ``person`` in line with every rule: new matches reach them, rules they
    stopped matching leave their history but stop asking. Returns new assignments."""
    reaching = list(audiences.assignments_reaching(person))
    held = set(
        PersonAssignment.objects.filter(person=person).values_list(
            "assignment_id", flat=True
        )
    )
    reached = 0
    for assignment in reaching:
        if assignment.pk not in held:
            reach(assignment, [person], now=now)
            reached += 1
    rows = PersonAssignment.objects.filter(
        person=person, assignment__withdrawn_at__isnull=True
    )
    rows.exclude(assignment__in=reaching).filter(
        left_audience_at__isnull=True, completed_at__isnull=True
    ).update(left_audience_at=now or timezone.now())
    rows.filter(assignment__in=reaching, left_audience_at__isnull=False).update(
        left_audience_at=None
    )
    return reached


@transaction.atomic
def sync_assignment(assignment: Assignment, *, now: datetime | None = None) -> int:
    """A rule asked again: reach people who match now, note those who left."""
    now = now or timezone.now()
    current = audiences.members(assignment)
    before = PersonAssignment.objects.filter(assignment=assignment).count()
    reach(assignment, list(current), now=now)
    rows = PersonAssignment.objects.filter(assignment=assignment)
    rows.exclude(person__in=current).filter(
        left_audience_at__isnull=True, completed_at__isnull=True
    ).update(left_audience_at=now)
    rows.filter(person__in=current, left_audience_at__isnull=False).update(
        left_audience_at=None
    )
    return rows.count() - before


def sync_rules(*, now: datetime | None = None) -> int:
    """Every rule asked again (the periodic safety net behind the signals)."""
    return sum(
        sync_assignment(assignment, now=now)
        for assignment in Assignment.objects.active().filter(keeps_matching=True)
    )


def record_completions(person, *, now: datetime | None = None) -> int:
    """Mark the open cycles ``person`` has now completed, and open the next cycle of
    those that repeat. Called when a course is completed or a certificate issued."""
    now = now or timezone.now()
    open_rows = list(
        PersonAssignment.objects.filter(
            person=person, completed_at__isnull=True, left_audience_at__isnull=True
        ).select_related("assignment__item", "person")
    )
    by_kind = defaultdict(list)
    for row in open_rows:
        by_kind[kind_for(row.assignment.item)].append(row)
    completed = 0
    for kind, rows in by_kind.items():
        done = kind.completions([person.pk], {row.assignment.item_id for row in rows})
        for row in rows:
            when = done.get((person.pk, row.assignment.item_id))
            if when is None or (row.opens_on and when.date() < row.opens_on):
                continue  # not done, or done before this cycle opened
            with transaction.atomic():
                updated = PersonAssignment.objects.filter(
                    pk=row.pk, completed_at__isnull=True
                ).update(completed_at=when, completed_by=str(kind.label))
                if updated:
                    completed += 1
                    PersonAssignment.objects.bulk_create(
                        _next_cycle(row.assignment, person, row.cycle, when, now),
                        ignore_conflicts=True,
                    )
    return completed


def team_row(actor, row_id: int) -> PersonAssignment:
    """The cycle ``row_id`` if ``actor`` manages its person; PermissionDenied
    otherwise (views answer 404, never hinting that the id exists)."""
    row = (
        PersonAssignment.objects.filter(
            pk=row_id, person__in=permissions.team_of(actor)
        )
        .select_related("person", "assignment__item")
        .first()
    )
    if row is None:
        raise PermissionDenied
    return row


def _change_row(row, *, actor, action: str, reason: str, **values) -> PersonAssignment:
    """Save ``values`` on one cycle with its audit record (before, after, reason)."""
    before = audit_values(row, ROW_AUDIT_FIELDS)
    for field, value in values.items():
        setattr(row, field, value)
    row.save(update_fields=list(values))
    record_audit_event(
        actor=actor,
        action=action,
        target=row,
        subject=row.person,
        before=before,
        after=audit_values(row, ROW_AUDIT_FIELDS),
        reason=reason,
    )
    return row


def _reason(text: str, missing: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise ValidationError(missing)
    return reason


@transaction.atomic
def exempt(*, actor, row_id: int, reason: str, until: date) -> PersonAssignment:
    """Exempt a person from one cycle until ``until`` (a reason is required)."""
    row = team_row(actor, row_id)
    reason = _reason(reason, _("Give the reason for the exemption."))
    if until < schedule.local_today(row.person):
        raise ValidationError(_("An exemption ends today or later."))
    return _change_row(
        row,
        actor=actor,
        action="assignment.exempt",
        reason=reason,
        exempt_until=until,
        exempt_reason=reason,
    )


@transaction.atomic
def extend(*, actor, row_id: int, due_on: date, reason: str) -> PersonAssignment:
    """Move one cycle's due date (a reason is required; the old date is kept in
    the audit log)."""
    row = team_row(actor, row_id)
    reason = _reason(reason, _("Give the reason for the new due date."))
    if row.completed_at is not None:
        raise ValidationError(_("This is already done."))
    if due_on < schedule.local_today(row.person):
        raise ValidationError(_("The new due date cannot be in the past."))
    if row.due_on is not None and due_on <= row.due_on:
        raise ValidationError(_("The new due date must be later than the current one."))
    return _change_row(
        row, actor=actor, action="assignment.extend", reason=reason, due_on=due_on
    )


def remind_now(*, actor, row_id: int, now: datetime | None = None) -> PersonAssignment:
    """Send the person a reminder now: at most once a day per person and assignment."""
    row = team_row(actor, row_id)
    if row.completed_at is not None:
        raise ValidationError(_("This is already done."))
    day = schedule.local_today(row.person, now)
    try:
        with transaction.atomic():
            AssignmentReminder.objects.create(row=row, threshold=f"manual:{day}")
            send_reminder(row, today=day, sent_by=actor)
    except IntegrityError:
        raise ValidationError(
            _("%(name)s was already reminded today.")
            % {"name": row.person.display_name}
        ) from None
    return row
