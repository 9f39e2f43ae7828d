"""What people see and do: the dashboard's "Assigned to you", the team view and
its actions, with their permissions, bad input and query counts."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assignments.models import AudienceKind, PersonAssignment
from tests.assignments.conftest import NOW
from tests.assignments.support import assign, rows_of
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_lists_assigned_training_soonest_first(
    client, training_admin, user_factory, course
):
    person = user_factory()
    later = make_course(title="Data protection")
    assign(training_admin, later, people=[person], due_on=date(2027, 1, 15))
    assign(training_admin, course, people=[person], due_on=date(2026, 12, 1))
    client.force_login(person)

    page = text(client.get("/dashboard/"))

    assert "Assigned to you" in page
    assert page.index("Security awareness") < page.index("Data protection")
    assert "Overdue by 3 days" in page
    assert "Due in 42 days" in page


@time_machine.travel(NOW, tick=False)
def test_done_training_leaves_the_dashboard_list(
    client, training_admin, user_factory, course
):
    person = user_factory()
    assign(training_admin, course, people=[person], due_on=date(2027, 1, 15))
    PersonAssignment.objects.filter(person=person).update(completed_at=timezone.now())
    client.force_login(person)

    assert "Assigned to you" not in text(client.get("/dashboard/"))


def test_a_manager_sees_their_reports_and_nobody_else(
    client, manager, user_factory, course
):
    mine = user_factory(manager=manager, first_name="Rita", last_name="Report")
    user_factory(first_name="Otto", last_name="Outsider")
    assign(manager, course, people=[mine], due_days=10)
    client.force_login(manager)

    page = text(client.get("/team/"))

    assert "Rita Report" in page and "Otto Outsider" not in page
    assert "Security awareness" in page


def test_people_without_a_team_are_refused(client, user_factory):
    client.force_login(user_factory())
    assert client.get("/team/").status_code == 403
    assert client.get("/team/assign/").status_code == 403


def test_an_organisation_admin_sees_their_organisation(
    client, user_factory, organization, other_organization
):
    admin = user_factory(organization=organization, is_organization_admin=True)
    user_factory(organization=organization, first_name="Inga", last_name="Inside")
    user_factory(organization=other_organization, first_name="Olaf", last_name="Out")
    client.force_login(admin)

    page = text(client.get("/team/"))

    assert "Inga Inside" in page and "Olaf Out" not in page
    # The organisation filter is a training admin's; a forged one widens nothing.
    page = text(client.get(f"/team/?organization={other_organization.pk}"))
    assert "Olaf Out" not in page


def test_the_team_view_runs_a_fixed_number_of_queries(
    client, training_admin, manager, user_factory
):
    courses = [make_course(title=f"Course {n}") for n in range(4)]

    def grow(people, assignments):
        team = [user_factory(manager=manager) for _ in range(people)]
        for course in courses[:assignments]:
            assign(training_admin, course, people=team, due_days=5)

    client.force_login(manager)
    grow(2, 1)
    client.get("/team/")  # caches warmed
    with CaptureQueriesContext(connection) as small:
        assert client.get("/team/").status_code == 200
    grow(10, 4)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/team/").status_code == 200

    assert len(large) == len(small)


def test_moving_a_due_date_for_someone_outside_the_team_is_a_404(
    client, manager, training_admin, user_factory, course
):
    stranger = user_factory()
    assign(training_admin, course, people=[stranger], due_on=date(2027, 1, 1))
    [row] = rows_of(stranger)
    user_factory(manager=manager)
    client.force_login(manager)

    for action in ("extend", "exempt", "remind"):
        response = client.post(
            f"/team/training/{row.pk}/{action}/",
            {"due_on": "2027-02-01", "until": "2027-02-01", "reason": "x"},
        )
        assert response.status_code == 404
    row.refresh_from_db()
    assert row.due_on == date(2027, 1, 1) and row.exempt_until is None
    assert client.post("/team/training/99999999999999999999/extend/").status_code == 404


def test_extending_needs_a_reason_and_a_later_date(
    client, manager, user_factory, course
):
    report = user_factory(manager=manager)
    assign(manager, course, people=[report], due_on=date(2027, 1, 1))
    [row] = rows_of(report)
    client.force_login(manager)
    url = f"/team/training/{row.pk}/extend/"

    no_reason = client.post(url, {"due_on": "2027-02-01", "reason": "  "})
    earlier = client.post(url, {"due_on": "2026-12-31", "reason": "Leave"})
    not_a_date = client.post(url, {"due_on": "31/31/2027", "reason": "Leave"})
    done = client.post(url, {"due_on": "2027-02-01", "reason": "Leave"})

    assert no_reason.status_code == earlier.status_code == not_a_date.status_code == 200
    assert "later than the current one" in text(earlier)
    assert done.status_code == 302
    row.refresh_from_db()
    assert row.due_on == date(2027, 2, 1)


def test_changes_need_a_post_with_a_csrf_token(manager, user_factory, course):
    report = user_factory(manager=manager)
    assign(manager, course, people=[report], due_on=date(2027, 1, 1))
    [row] = rows_of(report)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(manager)

    assert browser.get(f"/team/training/{row.pk}/remind/").status_code == 405
    assert browser.post(f"/team/training/{row.pk}/remind/").status_code == 403
    assert not row.reminders.exists()


def test_assigning_from_the_team_view(client, manager, user_factory, course):
    picked = [user_factory(manager=manager) for _ in range(2)]
    stranger = user_factory()
    client.force_login(manager)

    form = client.get("/team/assign/", {"people": [p.pk for p in picked]})
    assert form.status_code == 200
    assert all(p.display_name in text(form) for p in picked)

    tampered = client.post(
        "/team/assign/",
        {
            "item": course.pk,
            "audience": AudienceKind.PEOPLE,
            "people": [picked[0].pk, stranger.pk],
            "due_days": 14,
            "due_from": "assigned",
            "window_days": 30,
            "reminder_days": "14, 7, 1",
            "escalate_after_days": 3,
        },
    )
    assert tampered.status_code == 200  # the form again, with the error
    assert not PersonAssignment.objects.exists()

    response = client.post(
        "/team/assign/",
        {
            "item": course.pk,
            "audience": AudienceKind.PEOPLE,
            "people": [p.pk for p in picked],
            "due_days": 14,
            "due_from": "assigned",
            "window_days": 30,
            "reminder_days": "14, 7, 1",
            "escalate_after_days": 3,
        },
        follow=True,
    )
    assert "assigned to 2 people" in text(response)
    assert PersonAssignment.objects.filter(person__in=picked).count() == 2


def test_bad_reminder_days_get_a_clear_message(client, manager, user_factory, course):
    report = user_factory(manager=manager)
    client.force_login(manager)

    response = client.post(
        "/team/assign/",
        {
            "item": course.pk,
            "audience": AudienceKind.PEOPLE,
            "people": [report.pk],
            "due_from": "assigned",
            "window_days": 30,
            "reminder_days": "14, soon",
            "escalate_after_days": 3,
        },
    )

    assert response.status_code == 200
    assert "whole numbers of days" in text(response)
    assert not PersonAssignment.objects.exists()


def test_the_export_lists_each_persons_training_without_formulas(
    client, manager, user_factory, course
):
    report = user_factory(manager=manager, first_name="=HYPERLINK(1)", last_name="X")
    assign(manager, course, people=[report], due_on=date(2027, 1, 1))
    client.force_login(manager)

    response = client.get("/team/", {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))

    assert rows[0][:4] == ["Name", "E-mail", "Organisation", "Training"]
    assert rows[1][0].startswith("'=")
    assert rows[1][3] == "Security awareness"
    xlsx = client.get("/team/", {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"


def test_only_overdue_people_filter(client, manager, user_factory, course):
    late = user_factory(manager=manager, first_name="Lara", last_name="Late")
    early = user_factory(manager=manager, first_name="Eddie", last_name="Early")
    today = timezone.localdate()
    assign(manager, course, people=[late], due_on=today - timedelta(days=2))
    assign(
        manager,
        make_course(title="Other"),
        people=[early],
        due_on=today + timedelta(days=9),
    )
    client.force_login(manager)

    page = text(client.get("/team/", {"overdue": "on"}))

    assert "Lara Late" in page and "Eddie Early" not in page


def test_a_repeat_on_a_course_is_refused_on_the_form(
    client, manager, user_factory, course
):
    report = user_factory(manager=manager)
    client.force_login(manager)

    response = client.post(
        "/team/assign/",
        {
            "item": course.pk,
            "audience": AudienceKind.PEOPLE,
            "people": [report.pk],
            "due_days": 30,
            "due_from": "assigned",
            "recur_months": 12,
            "window_days": 30,
            "reminder_days": "14, 7, 1",
            "escalate_after_days": 3,
        },
    )

    assert response.status_code == 200
    assert "Only a certification repeats" in text(response)
    assert not PersonAssignment.objects.exists()
