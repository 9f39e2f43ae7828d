"""The compliance report and the overdue list in the admin: figures, history,
exports, who may see them, and a fixed number of queries."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assignments.models import AudienceKind, PersonAssignment
from reports import selectors
from tests.assignments.support import assign, rows_of
from tests.factories import make_course

pytestmark = pytest.mark.django_db

BASE = "/admin/training-reports/"
TODAY = datetime(2026, 12, 4, 12, tzinfo=UTC)


@pytest.fixture
def world(training_admin, user_factory, course, organization):
    """Four people of one organisation: done, exempt, overdue, not yet due."""
    people = {
        name: user_factory(organization=organization, first_name=name, last_name="N")
        for name in ("Dora", "Eli", "Olga", "Nina")
    }
    assignment = assign(
        training_admin,
        course,
        audience=AudienceKind.ORGANIZATION,
        organization=organization,
        due_on=date(2026, 11, 20),
        now=datetime(2026, 9, 15, 9, tzinfo=UTC),
    )
    PersonAssignment.objects.filter(person=people["Dora"]).update(
        completed_at=datetime(2026, 10, 10, 9, tzinfo=UTC)
    )
    PersonAssignment.objects.filter(person=people["Eli"]).update(
        exempt_until=date(2027, 6, 1), exempt_reason="Vendor course"
    )
    PersonAssignment.objects.filter(person=people["Nina"]).update(
        due_on=date(2027, 1, 10)
    )
    return people, assignment


@time_machine.travel(TODAY, tick=False)
def test_compliance_counts_done_and_exempt_against_everyone_assigned(world):
    [row] = selectors.compliance_rows(selectors.cycle_pairs(), by="assignment")

    assert (row.assigned, row.done, row.exempt, row.overdue, row.pending) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert row.compliance == 0.5


@time_machine.travel(TODAY, tick=False)
def test_compliance_over_time_uses_the_cycle_and_completion_of_each_day(world):
    pairs = selectors.cycle_pairs()
    points = {p["day"]: p for p in selectors.compliance_over_time(pairs, months=4)}

    assert points[date(2026, 8, 31)]["assigned"] == 0  # not assigned yet
    september = points[date(2026, 9, 30)]
    assert september["assigned"] == 4
    assert september["compliance"] == 0.25  # only the exemption (no start date kept)
    assert points[date(2026, 10, 31)]["compliance"] == 0.5  # Dora done on 10 Oct
    assert points[date(2026, 11, 30)]["overdue"] == 1  # Olga, due 20 Nov
    assert points[date(2026, 12, 4)]["compliance"] == 0.5


@time_machine.travel(TODAY, tick=False)
def test_the_reports_show_figures_charts_and_export(client, training_admin, world):
    client.force_login(training_admin)

    page = client.get(f"{BASE}compliance/")
    assert page.status_code == 200
    assert b"<svg" in page.content and b"50.0 %" in page.content
    assert client.get(f"{BASE}compliance/?by=organization").status_code == 200
    assert client.get(f"{BASE}compliance/?by=manager").status_code == 200
    export = client.get(f"{BASE}compliance/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:3] == ["Group", "Assigned", "Compliant"]
    assert rows[1][:2] == ["Security awareness", "4"]

    overdue = client.get(f"{BASE}overdue/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(overdue.streaming_content).decode())))
    assert [r[0] for r in rows[1:]] == ["Olga N"]
    assert rows[1][-1] == "14"  # days overdue


@time_machine.travel(TODAY, tick=False)
def test_people_whose_account_was_closed_leave_the_figures(
    client, training_admin, world
):
    from people.services import apply_active

    apply_active(world[0]["Olga"], active=False, reason="Left (identity provider)")
    client.force_login(training_admin)

    overdue = client.get(f"{BASE}overdue/", {"export": "csv"})

    rows = list(csv.reader(io.StringIO(b"".join(overdue.streaming_content).decode())))
    assert rows[1:] == []  # no longer overdue: she left
    [row] = selectors.compliance_rows(selectors.cycle_pairs(), by="assignment")
    assert (row.assigned, row.overdue) == (3, 0)


def test_people_without_report_rights_are_refused(client, user_factory, world):
    client.force_login(user_factory())
    assert client.get(f"{BASE}compliance/").status_code in (302, 403)
    assert client.get(f"{BASE}overdue/").status_code in (302, 403)


@time_machine.travel(TODAY, tick=False)
def test_the_compliance_report_runs_a_fixed_number_of_queries(
    client, training_admin, user_factory, organization
):
    client.force_login(training_admin)

    def grow(people, courses):
        team = [user_factory(organization=organization) for _ in range(people)]
        for index in range(courses):
            course = make_course(title=f"Policy {index}")
            assign(training_admin, course, people=team, due_on=date(2026, 12, 1))

    grow(2, 1)
    client.get(f"{BASE}compliance/")
    with CaptureQueriesContext(connection) as small:
        client.get(f"{BASE}compliance/")
    grow(12, 3)
    with CaptureQueriesContext(connection) as large:
        client.get(f"{BASE}compliance/")

    assert len(large) == len(small)
    assert rows_of(training_admin) == []
