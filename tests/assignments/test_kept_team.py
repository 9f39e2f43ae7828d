"""Whether a person manages anyone is kept per person: a second visit to the
dashboard asks the database nothing about their team, and a report given,
moved, deactivated or deleted (or managers written in bulk by the people
import) shows on the very next page of both managers.

These tests commit (a transaction that changed a person's team keeps nothing
it reads of it, so a test inside one transaction would never keep)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from accounts.models import User
from people.importing import ImportOptions, apply

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TEAM_LINK = '<a href="/team/">Your team\'s assigned training</a>'


def _team_reads(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/dashboard/")
    assert response.status_code == 200
    return [q["sql"] for q in queries if '"accounts_user"."manager_id" =' in q["sql"]]


def _shows_team(client, person) -> bool:
    client.force_login(person)
    page = client.get("/dashboard/").content.decode()
    return TEAM_LINK in page


@pytest.fixture
def manager(user_factory):
    return user_factory(email="manager@example.org")


@pytest.fixture
def other_manager(user_factory):
    return user_factory(email="other@example.org")


def test_a_second_visit_asks_nothing_about_the_team(client, manager, user_factory):
    user_factory(manager=manager)
    client.force_login(manager)
    assert _team_reads(client)  # nothing kept: read

    assert _team_reads(client) == []
    assert TEAM_LINK in client.get("/dashboard/").content.decode()


def test_a_report_given_shows_at_once(client, manager, user_factory):
    report = user_factory()
    assert not _shows_team(client, manager)

    report.manager = manager
    report.save()

    assert _shows_team(client, manager)


def test_a_report_moved_shows_on_both_managers_at_once(
    client, manager, other_manager, user_factory
):
    report = user_factory(manager=manager)
    assert _shows_team(client, manager)
    assert not _shows_team(client, other_manager)

    # Read again, as a form or the SCIM endpoint would: the manager it had when
    # read is the one whose team changed.
    report = User.objects.get(pk=report.pk)
    report.manager = other_manager
    report.save(update_fields=["manager"])

    assert not _shows_team(client, manager)
    assert _shows_team(client, other_manager)


def test_a_report_deactivated_or_deleted_leaves_the_team_at_once(
    client, manager, user_factory
):
    report = user_factory(manager=manager)
    leaver = user_factory(manager=manager)
    assert _shows_team(client, manager)

    report.is_active = False
    report.save(update_fields=["is_active"])
    assert _shows_team(client, manager)  # one report left
    leaver.delete()

    assert not _shows_team(client, manager)


def test_a_sign_in_of_a_report_changes_no_team(client, manager, user_factory):
    report = user_factory(manager=manager)
    client.force_login(manager)
    client.get("/dashboard/")
    report.save(update_fields=["last_login"])

    assert _team_reads(client) == []


def test_managers_written_by_the_people_import_show_at_once(client, user_factory):
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    boss = user_factory(email="boss@example.org")
    user_factory(email="ann@example.org")
    assert not _shows_team(client, boss)

    apply(
        b"email,manager\nann@example.org,boss@example.org\n",
        "people.csv",
        ImportOptions(),
        actor=admin,
    )

    assert _shows_team(client, boss)
