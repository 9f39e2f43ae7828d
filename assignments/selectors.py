"""Reading assigned training: a person's list for their dashboard and the team
view's people × assignment matrix, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from accounts.api import Columns, Prepared
from certificates.api import Certificate
from onboarding.api import onboarding_progress

from . import schedule
from .emails import due_phrase
from .kept_rows import ROWS
from .kinds import ItemKind, kind_for
from .models import Assignment, PersonAssignment

EXPIRING_WITHIN = timedelta(days=90)


@dataclass(frozen=True)
class Cell:
    """One person's current cycle of one assignment."""

    row: PersonAssignment
    standing: schedule.Standing
    days_left: int | None

    @property
    def when(self) -> str:
        return due_phrase(self.days_left)

    @property
    def tone(self) -> str:
        """The badge's colour: ok, warn or bad."""
        if self.standing in schedule.COMPLIANT:
            return "ok"
        if self.standing == schedule.Standing.OVERDUE:
            return "bad"
        return "warn" if self.days_left is not None and self.days_left <= 7 else ""

    @property
    def title(self) -> str:
        return self.row.assignment.item.title

    @property
    def url(self) -> str:
        return self.row.assignment.item.url or ""

    @property
    def kind(self) -> str:
        return str(kind_for(self.row.assignment.item).label)


def _current_rows(rows) -> list[PersonAssignment]:
    """The latest cycle of each (person, assignment)."""
    latest = {}
    for row in rows:
        key = (row.person_id, row.assignment_id)
        if key not in latest or row.cycle > latest[key].cycle:
            latest[key] = row
    return list(latest.values())


def _cells(rows: list[PersonAssignment], people: dict, now: datetime) -> list[Cell]:
    by_kind: dict[ItemKind, list[PersonAssignment]] = defaultdict(list)
    for row in rows:
        by_kind[kind_for(row.assignment.item)].append(row)
    started = set()
    for kind, kind_rows in by_kind.items():
        started |= kind.started(
            {row.person_id for row in kind_rows},
            {row.assignment.item_id for row in kind_rows},
        )
    cells = []
    for row in rows:
        today = schedule.local_today(people[row.person_id], now)
        cells.append(
            Cell(
                row=row,
                standing=schedule.standing(
                    row,
                    today=today,
                    started=(row.person_id, row.assignment.item_id) in started,
                ),
                days_left=schedule.days_left(row, today=today),
            )
        )
    return cells


def _rows_for(person_ids):
    return (
        PersonAssignment.objects.filter(
            person_id__in=person_ids,
            left_audience_at__isnull=True,
            assignment__withdrawn_at__isnull=True,
        )
        .select_related("assignment__item")
        .order_by("pk")
    )


@cache
def _columns() -> tuple[Columns, Columns]:
    return Columns(PersonAssignment), Columns(Assignment)


def _values_of_one(person_id):
    """:func:`_rows_for` one person, as each row's fields and its assignment's."""
    mine, assignment = _columns()
    return _rows_for([person_id]).values_list(
        *mine.attnames, *(f"assignment__{name}" for name in assignment.attnames)
    )


_VALUES_OF_ONE = Prepared(_values_of_one)


def _rows_of(person_id: int) -> list[PersonAssignment]:
    """:func:`_rows_for` one person (their dashboard, kept once read): one
    statement whose SQL is written once per process (:class:`Prepared`), and
    one for the assigned pages when there are rows."""
    mine, assignment = _columns()
    rows = []
    for values in _VALUES_OF_ONE.rows(person_id):
        row = mine.instance(values[: len(mine)])
        row.assignment = assignment.instance(values[len(mine) :])
        rows.append(row)
    if rows:
        items = Page.objects.in_bulk({row.assignment.item_id for row in rows})
        for row in rows:
            row.assignment.item = items[row.assignment.item_id]
    return rows


def assigned_to(person, *, now: datetime | None = None) -> list[Cell]:
    """What ``person`` must do, soonest due first: open cycles only (done ones and
    repeat cycles not yet open leave the list)."""
    now = now or timezone.now()
    # Kept per person (:mod:`assignments.kept_rows`): the dashboard shows them.
    rows = ROWS.kept(person.pk, lambda: _current_rows(_rows_of(person.pk)))
    cells = _cells(rows, {person.pk: person}, now)
    waiting = [
        cell
        for cell in cells
        if cell.standing not in (schedule.Standing.DONE, schedule.Standing.UPCOMING)
    ]
    return sorted(
        waiting,
        key=lambda cell: (
            cell.row.due_on is None,
            cell.row.due_on or date.max,
            cell.title,
        ),
    )


@dataclass
class TeamRow:
    person: object
    cells: dict[int, Cell] = field(default_factory=dict)
    expiring: list = field(default_factory=list)
    onboarding: object | None = None
    in_columns: list = field(default_factory=list)  # a cell or None per column


@dataclass
class TeamMatrix:
    columns: list  # assignments, by title
    rows: list[TeamRow]


def team_matrix(people: list, *, now: datetime | None = None) -> TeamMatrix:
    """The matrix for ``people`` (one page of the team view): each person's current
    cycle of every assignment any of them has, their certificates expiring within
    90 days and, for hires, their onboarding progress. A fixed number of queries
    whatever the number of people or assignments."""
    now = now or timezone.now()
    by_id = {person.pk: person for person in people}
    cells = _cells(_current_rows(_rows_for(list(by_id))), by_id, now)
    rows = {person.pk: TeamRow(person=person) for person in people}
    columns = {}
    for cell in cells:
        rows[cell.row.person_id].cells[cell.row.assignment_id] = cell
        columns[cell.row.assignment_id] = cell.row.assignment
    today = timezone.localdate(now)
    for certificate in (
        Certificate.objects.valid_on(today)
        .filter(holder_id__in=list(by_id), expires_on__lte=today + EXPIRING_WITHIN)
        .order_by("expires_on")
    ):
        rows[certificate.holder_id].expiring.append(certificate)
    for hire_id, progress in onboarding_progress(list(by_id), now=now).items():
        rows[hire_id].onboarding = progress
    ordered = sorted(columns.values(), key=lambda a: (a.item.title, a.pk))
    for row in rows.values():
        row.in_columns = [row.cells.get(assignment.pk) for assignment in ordered]
    return TeamMatrix(columns=ordered, rows=[rows[person.pk] for person in people])


def with_overdue_training(people, *, today: date):
    """``people`` narrowed to those with an open cycle past its due date (by the
    server's calendar: the matrix then shows each one's own day)."""
    overdue = PersonAssignment.objects.filter(
        completed_at__isnull=True,
        left_audience_at__isnull=True,
        assignment__withdrawn_at__isnull=True,
        due_on__lt=today,
    ).exclude(Q(exempt_until__gte=today) | Q(opens_on__gt=today))
    return people.filter(pk__in=overdue.values("person_id"))


def cycles_for_report(*, organization=None) -> list[PersonAssignment]:
    """Every cycle of active assignments for people still in their audience (with
    the person, their organisation and manager, and the item), for the compliance
    report: one query."""
    rows = PersonAssignment.objects.filter(
        left_audience_at__isnull=True,
        assignment__withdrawn_at__isnull=True,
        person__is_active=True,
    ).select_related("person__organization", "person__manager", "assignment__item")
    if organization is not None:
        rows = rows.filter(person__organization=organization)
    return list(rows.order_by("person_id", "assignment_id", "cycle"))


def cycle_on(cycles: list[PersonAssignment], day: date) -> PersonAssignment | None:
    """Of one person's cycles of one assignment (by cycle), the one that was
    current on ``day``: the latest that had reached them by then."""
    current = None
    for row in cycles:
        if schedule.local_date(row.assigned_at, row.person) <= day:
            current = row
    return current


def assigned_pairs(person_ids) -> set[tuple[int, int]]:
    """(person id, item id) of every assignment these people already have."""
    return set(
        PersonAssignment.objects.filter(person_id__in=list(person_ids)).values_list(
            "person_id", "assignment__item_id"
        )
    )
