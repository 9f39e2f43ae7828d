"""A person's assigned training rows are kept per person: a second visit to the
dashboard reads none of them, and whatever changes one (assigned, completed, a
new due date, leaving the audience, a rule withdrawn, the item retitled) shows
on the very next page.

These tests commit (a transaction that changed a person's rows keeps nothing it
reads of them, so a test inside one transaction would never keep)."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assignments import services
from assignments.api import assigned_to
from assignments.models import AudienceKind, PersonAssignment
from tests.assignments.support import assign, complete_course, rows_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DUE = timezone.localdate() + timedelta(days=20)


def _row_reads(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    return [
        q["sql"] for q in queries if 'FROM "assignments_personassignment"' in q["sql"]
    ]


def _titles(person) -> list[str]:
    return [cell.title for cell in assigned_to(person)]


def test_a_second_visit_reads_none_of_the_rows(client, training_admin, learner, course):
    assign(training_admin, course, people=[learner], due_on=DUE)
    client.force_login(learner)
    assert _row_reads(client)  # nothing kept: read

    assert _row_reads(client) == []
    assert "Security awareness" in client.get("/dashboard/").content.decode()


def test_training_assigned_shows_at_once(client, training_admin, learner, course):
    """Assigning writes the rows in bulk (no signal): the queryset names them."""
    client.force_login(learner)
    assert "Assigned to you" not in client.get("/dashboard/").content.decode()

    assign(training_admin, course, people=[learner], due_on=DUE)

    assert "Assigned to you" in client.get("/dashboard/").content.decode()


def test_completing_the_training_takes_it_off_at_once(training_admin, learner, course):
    assign(training_admin, course, people=[learner], due_on=DUE)
    assert _titles(learner) == ["Security awareness"]

    complete_course(learner, course)  # completion is recorded after the commit

    assert rows_of(learner)[0].completed_at is not None
    assert _titles(learner) == []


def test_a_new_due_date_shows_at_once(training_admin, learner, course):
    assign(training_admin, course, people=[learner], due_on=DUE)
    [row] = rows_of(learner)
    assert [cell.row.due_on for cell in assigned_to(learner)] == [DUE]

    later = DUE + timedelta(days=30)
    services.extend(
        actor=training_admin, row_id=row.pk, due_on=later, reason="Sick leave"
    )

    assert [cell.row.due_on for cell in assigned_to(learner)] == [later]


def test_leaving_the_audience_takes_it_off_at_once(
    training_admin, user_factory, course, organization, other_organization
):
    person = user_factory(organization=organization)
    assign(
        training_admin,
        course,
        audience=AudienceKind.ORGANIZATION,
        organization=organization,
    )
    assert _titles(person) == ["Security awareness"]

    person.organization = other_organization
    person.save()  # the rule is asked again after the commit (a bulk update)

    assert rows_of(person)[0].left_audience_at is not None
    assert _titles(person) == []


def test_a_rule_withdrawn_takes_it_off_everyone_at_once(
    training_admin, user_factory, course
):
    people = [user_factory(), user_factory()]
    assignment = assign(training_admin, course, people=people, due_on=DUE)
    assert [_titles(p) for p in people] == [["Security awareness"]] * 2

    assignment.withdrawn_at = timezone.now()
    assignment.save(update_fields=["withdrawn_at"])

    assert [_titles(p) for p in people] == [[], []]


def test_the_item_retitled_shows_at_once(training_admin, learner, course):
    assign(training_admin, course, people=[learner], due_on=DUE)
    assert _titles(learner) == ["Security awareness"]

    course.title = "Security awareness 2027"
    course.save_revision().publish()

    assert _titles(learner) == ["Security awareness 2027"]


def test_a_rolled_back_assignment_is_never_kept(training_admin, learner, course):
    assert _titles(learner) == []

    with pytest.raises(RuntimeError), transaction.atomic():
        assign(training_admin, course, people=[learner], due_on=DUE)
        # This transaction sees its own rows: it must not keep them.
        assert _titles(learner) == ["Security awareness"]
        raise RuntimeError("rolled back")

    assert _titles(learner) == []
    assert not PersonAssignment.objects.filter(person=learner).exists()


def test_the_rows_are_read_from_the_database_when_the_cache_is_down(
    training_admin, learner, course, monkeypatch
):
    assign(training_admin, course, people=[learner], due_on=date.today() + timedelta(1))

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", down)
    assert _titles(learner) == ["Security awareness"]


def test_a_persons_rows_are_read_as_the_team_view_reads_them(
    training_admin, user_factory, course
):
    """Field for field, with each row's assignment and assigned page, withdrawn
    rules left out, nobody else's: one statement, and one for the pages."""
    from assignments.selectors import _rows_for, _rows_of
    from certificates.models import CertificationLevelPage
    from tests.factories import make_level

    person, other = user_factory(), user_factory()
    level = make_level(code="assoc", title="Associate")
    assign(training_admin, course, people=[person, other], due_on=DUE)
    assign(training_admin, level, people=[person])
    withdrawn = assign(training_admin, course, people=[person], due_on=DUE)
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save(update_fields=["withdrawn_at"])

    with CaptureQueriesContext(connection) as queries:
        rows = _rows_of(person.pk)

    assert len(queries) == 2
    expected = list(_rows_for([person.pk]))
    assert [row.pk for row in rows] == [row.pk for row in expected]
    assert len(rows) == 2
    for row, wanted in zip(rows, expected, strict=True):
        for model_row, model_wanted in (
            (row, wanted),
            (row.assignment, wanted.assignment),
            (row.assignment.item, wanted.assignment.item),
        ):
            for field in type(model_wanted)._meta.concrete_fields:
                assert getattr(model_row, field.attname) == getattr(
                    model_wanted, field.attname
                ), field.attname
    assert {type(row.assignment.item) for row in rows} == {
        type(row.assignment.item) for row in expected
    }
    assert CertificationLevelPage in {
        row.assignment.item.specific_class for row in rows
    }
    with CaptureQueriesContext(connection) as queries:
        assert _rows_of(other.pk)[0].assignment.item.title == "Security awareness"
        assert _rows_of(training_admin.pk) == []
    assert len(queries) == 3
