"""Small reads whose SQL is written once per process: the same rows as the
query builder's own read, for any values, in one statement each."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from accounts.prepared import Prepared, planned_cursor
from notifications.models import Notification


def test_a_read_gives_the_query_builders_rows_for_each_value(user_factory):
    admins = Group.objects.create(name="Prepared test readers")
    mentors = Group.objects.create(name="Prepared test writers")
    alice, bob, carol = user_factory(), user_factory(), user_factory()
    alice.groups.add(admins, mentors)
    bob.groups.add(mentors)
    names = Prepared(
        lambda person: Group.objects.filter(user=person).values_list("name")
    )

    for person in (alice, bob, carol, alice):
        with CaptureQueriesContext(connection) as queries:
            rows = names.rows(person.pk)
        assert len(queries) == 1
        assert sorted(rows) == sorted(
            Group.objects.filter(user=person).values_list("name")
        )
    assert sorted(names.rows(alice.pk)) == [
        ("Prepared test readers",),
        ("Prepared test writers",),
    ]
    assert names.rows(carol.pk) == []


def test_a_read_of_two_values_puts_each_in_its_place(user_factory):
    person = user_factory()
    for read_at in (None, None, "2026-12-01T10:00:00Z"):
        Notification.objects.create(user=person, title="Notice", read_at=read_at)
    unread = Prepared(
        lambda user_id, other_id: (
            Notification.objects.filter(
                user_id__in=[user_id, other_id], read_at__isnull=True
            )
            .order_by()
            .values("user_id")
            .annotate(n=Count("pk"))
            .values_list("user_id", "n")
        ),
        parameters=2,
    )
    other = user_factory()
    Notification.objects.create(user=other, title="Notice")

    assert sorted(unread.rows(person.pk, other.pk)) == [(person.pk, 2), (other.pk, 1)]
    assert unread.rows(other.pk, other.pk) == [(other.pk, 1)]


def test_a_read_that_does_not_use_a_value_is_refused(db):
    ignores = Prepared(lambda person: Group.objects.values_list("name"))

    with pytest.raises(ValueError, match="each parameter must be used once"):
        ignores.rows(1)


def _prepared_on_this_connection() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL keeps prepared statements")


def test_a_planned_statement_gives_its_rows_and_is_counted_like_any_other(
    user_factory,
):
    person = user_factory(email="planned@example.com")

    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            with planned_cursor() as cursor:
                cursor.execute(
                    "SELECT email FROM accounts_user WHERE id = %s", [person.pk]
                )
                assert cursor.fetchall() == [("planned@example.com",)]
    assert len(queries) == 3
    # Logged with its value in place, as any other statement.
    assert queries[0]["sql"].endswith(f"WHERE id = {person.pk}")


def test_a_planned_statement_fails_with_djangos_errors(user_factory):
    person = user_factory()

    with pytest.raises(IntegrityError), transaction.atomic():
        with planned_cursor() as cursor:
            cursor.execute(
                "UPDATE accounts_user SET email = NULL WHERE id = %s", [person.pk]
            )
    person.refresh_from_db()
    assert person.email


def test_on_postgresql_a_planned_statement_is_planned_once_per_connection(db):
    _postgresql_only()
    statement = "SELECT %s::int + 7310 AS planned_once_probe"
    for value in (1, 2, 3):
        with planned_cursor() as cursor:
            cursor.execute(statement, [value])
            assert cursor.fetchone() == (value + 7310,)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 7311 AS unplanned_probe")

    prepared = _prepared_on_this_connection()
    assert len([s for s in prepared if "planned_once_probe" in s]) == 1
    assert not [s for s in prepared if "unplanned_probe" in s]


def test_on_postgresql_prepared_statements_can_be_turned_off(db, settings):
    _postgresql_only()
    settings.LMS_PREPARED_STATEMENTS = False

    with planned_cursor() as cursor:
        cursor.execute("SELECT %s::int AS turned_off_probe", [5])
        assert cursor.fetchone() == (5,)
    assert not [s for s in _prepared_on_this_connection() if "turned_off_probe" in s]
