"""Compliance with assigned training: per assignment, organisation or manager, over
time, and who is overdue.

One query reads every cycle in scope; where each person stands (done, exempt,
overdue…) is decided by assigned training's own rule, on each person's own
calendar day, so these figures agree with the team view and the reminders.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignments.api import (
    COMPLIANT,
    Standing,
    cycle_on,
    cycles_for_report,
    person_zone,
    standing,
)

from .common import ratio

COMPLIANCE_DIMENSIONS = {
    "assignment": (_("Assignment"), lambda row: row.assignment.item.title),
    "organization": (
        _("Organisation"),
        lambda row: (
            row.person.organization.name
            if row.person.organization
            else str(_("Internal staff"))
        ),
    ),
    "manager": (
        _("Manager"),
        lambda row: (
            row.person.manager.display_name
            if row.person.manager
            else str(_("No manager"))
        ),
    ),
}
COMPLIANCE_DIMENSION_CHOICES = [
    (key, label) for key, (label, _value) in COMPLIANCE_DIMENSIONS.items()
]


@dataclass
class ComplianceRow:
    label: str
    assigned: int = 0
    done: int = 0
    exempt: int = 0
    overdue: int = 0

    @property
    def compliant(self) -> int:
        return self.done + self.exempt

    @property
    def compliance(self) -> float | None:
        return ratio(self.compliant, self.assigned)

    @property
    def pending(self) -> int:
        return self.assigned - self.compliant - self.overdue


@dataclass
class OverdueRow:
    person: object
    title: str
    due_on: date
    days_overdue: int
    manager: str = field(default="")
    organization: str = field(default="")


def _current_by_pair(cycles) -> dict:
    pairs = defaultdict(list)
    for row in cycles:
        pairs[(row.person_id, row.assignment_id)].append(row)
    return pairs


def _standing_on(row, day: date) -> Standing:
    zone = person_zone(row.person)
    return standing(row, today=day, zone=zone)


def _today(row) -> date:
    return timezone.localtime(timezone.now(), person_zone(row.person)).date()


def cycle_pairs(*, organization=None) -> list[list]:
    """Each person's cycles of each assignment, in scope (one query). The report
    reads them once and hands them to the functions below."""
    return list(_current_by_pair(cycles_for_report(organization=organization)).values())


def compliance_rows(
    pairs: list[list], *, by: str = "assignment"
) -> list[ComplianceRow]:
    """Assigned, done, exempt and overdue people per group, today."""
    _label, key = COMPLIANCE_DIMENSIONS[by]
    groups: dict[str, ComplianceRow] = {}
    for cycles in pairs:
        row = cycles[-1]
        state = _standing_on(row, _today(row))
        label = key(row)
        group = groups.setdefault(label, ComplianceRow(label=label))
        group.assigned += 1
        if state == Standing.EXEMPT:
            group.exempt += 1
        elif state in COMPLIANT:
            group.done += 1
        elif state == Standing.OVERDUE:
            group.overdue += 1
    return sorted(groups.values(), key=lambda group: group.label)


def compliance_over_time(pairs: list[list], *, months: int = 12) -> list[dict]:
    """The share compliant at the end of each of the last ``months`` months and
    today, counting each person's cycle that was current on that day."""
    today = timezone.localdate()
    days = []
    month_start = today.replace(day=1)
    for _index in range(months):
        days.append(month_start - timedelta(days=1))
        month_start = (month_start - timedelta(days=1)).replace(day=1)
    days = sorted(days) + [today]
    points = []
    for day in days:
        assigned = compliant = overdue = 0
        for cycles in pairs:
            row = cycle_on(cycles, day)
            if row is None:
                continue
            assigned += 1
            state = _standing_on(row, day)
            compliant += state in COMPLIANT
            overdue += state == Standing.OVERDUE
        points.append(
            {
                "day": day,
                "assigned": assigned,
                "compliance": ratio(compliant, assigned),
                "overdue": overdue,
            }
        )
    return points


def overdue_people(pairs: list[list]) -> list[OverdueRow]:
    """Everyone overdue today, longest overdue first."""
    rows = []
    for cycles in pairs:
        row = cycles[-1]
        today = _today(row)
        if _standing_on(row, today) != Standing.OVERDUE:
            continue
        rows.append(
            OverdueRow(
                person=row.person,
                title=row.assignment.item.title,
                due_on=row.due_on,
                days_overdue=(today - row.due_on).days,
                manager=row.person.manager.display_name if row.person.manager else "",
                organization=row.person.organization.name
                if row.person.organization
                else "",
            )
        )
    return sorted(rows, key=lambda r: (-r.days_overdue, r.person.last_name))
