"""Small reads whose SQL is written once per process: the same rows as the
query builder's own read, for any values, in one statement each."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from accounts.prepared import Prepared
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
