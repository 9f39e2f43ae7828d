"""A person's role names are kept in the shared cache, not read on every
request: a second request reads no group, and a role given or taken away, from
either side, a group renamed, emptied or deleted, or a bulk write that says so,
counts on the very next request, in every process.

These tests commit (a transaction that changed someone's roles keeps nothing it
reads of them, so a test inside one transaction would never keep)."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts import roles
from accounts.api import User, is_training_admin, role_names, roles_changed
from accounts.kept_roles import kept_role_names

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TEAM_LINK = "Your team&#x27;s assigned training"


def _names(person) -> set[str]:
    """As the next request sees them: a fresh user object."""
    return role_names(User.objects.get(pk=person.pk))


def _group_reads(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum('FROM "auth_group"' in q["sql"] for q in queries)


def _team_link(client) -> bool:
    return TEAM_LINK in client.get("/dashboard/").content.decode().replace(
        "'", "&#x27;"
    )


def test_a_second_request_reads_no_group(client, user_factory):
    client.force_login(user_factory(roles=[roles.SUPPORT_HIRES]))
    client.get("/dashboard/")
    cache.clear()
    assert _group_reads(client, "/dashboard/") == 1

    assert _group_reads(client, "/dashboard/") == 0


def test_a_role_given_and_taken_away_counts_at_once(client, user_factory):
    person = user_factory()
    client.force_login(person)
    assert not _team_link(client)
    admins = Group.objects.get(name=roles.TRAINING_ADMINS)

    person.groups.add(admins)
    assert _team_link(client)
    assert is_training_admin(User.objects.get(pk=person.pk))

    person.groups.remove(admins)
    assert not _team_link(client)
    assert not is_training_admin(User.objects.get(pk=person.pk))


def test_the_group_side_counts_too(user_factory):
    """SCIM and SAML change a group's members: ``group.user_set``."""
    person, other = user_factory(), user_factory()
    admins = Group.objects.get(name=roles.TRAINING_ADMINS)
    assert _names(person) == set()

    admins.user_set.add(person, other)
    assert _names(person) == {roles.TRAINING_ADMINS}
    assert _names(other) == {roles.TRAINING_ADMINS}

    admins.user_set.remove(person)
    assert _names(person) == set()
    assert _names(other) == {roles.TRAINING_ADMINS}

    admins.user_set.clear()
    assert _names(other) == set()


def test_a_group_renamed_or_deleted_counts_at_once(user_factory):
    group = Group.objects.create(name="Regional leads")
    person = user_factory()
    person.groups.add(group)
    assert _names(person) == {"Regional leads"}

    group.name = "Area leads"
    group.save()
    assert _names(person) == {"Area leads"}

    group.delete()
    assert _names(person) == set()


def test_a_bulk_write_of_memberships_counts_once_it_says_so(user_factory):
    """The people import writes memberships in bulk and then says so."""
    person = user_factory()
    assert _names(person) == set()  # kept
    admins = Group.objects.get(name=roles.TRAINING_ADMINS)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=person.pk, group_id=admins.pk)]
    )
    assert _names(person) == set()  # no signal: still the kept copy

    roles_changed()

    assert _names(person) == {roles.TRAINING_ADMINS}


def test_a_role_given_in_a_rolled_back_transaction_is_never_kept(user_factory):
    person = user_factory()
    admins = Group.objects.get(name=roles.TRAINING_ADMINS)
    assert _names(person) == set()

    with pytest.raises(RuntimeError), transaction.atomic():
        person.groups.add(admins)
        assert _names(person) == {roles.TRAINING_ADMINS}
        raise RuntimeError("rolled back")

    assert _names(person) == set()
    assert kept_role_names(person.pk) == frozenset()


def test_the_names_are_read_from_the_database_when_the_cache_is_down(
    user_factory, monkeypatch
):
    person = user_factory(roles=[roles.EXAMINERS])

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", down)
    assert kept_role_names(person.pk) == {roles.EXAMINERS}
