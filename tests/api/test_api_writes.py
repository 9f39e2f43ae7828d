"""Writes an HR system makes through the API: people created and changed
(people:write) and training assigned (learning:write), through the same
services as the pages and SCIM, audited, never reaching another organisation's
people, bad input answered 400/404/409 with nothing changed."""

from datetime import date, timedelta

import pytest

from accounts import roles
from accounts.models import AuditEvent, Organization, User
from assignments.models import Assignment, PersonAssignment
from tests.api.test_api import bearer, get_token, make_client
from tests.factories import make_course, site_tree

pytestmark = pytest.mark.django_db

WRITE = "people:read people:write learning:read learning:write"


@pytest.fixture
def world(user_factory):
    site_tree()
    northwind = Organization.objects.create(
        name="Northwind", slug="northwind", email_domains="northwind.example"
    )
    fabrikam = Organization.objects.create(name="Fabrikam", slug="fabrikam")
    org_admin = user_factory(
        email="it@northwind.example", organization=northwind, is_organization_admin=True
    )
    return {
        "admin": user_factory(roles=[roles.TRAINING_ADMINS]),
        "northwind": northwind,
        "fabrikam": fabrikam,
        "org_admin": org_admin,
        "ours": user_factory(email="ana@northwind.example", organization=northwind),
        "theirs": user_factory(email="bo@fabrikam.example", organization=fabrikam),
        "course": make_course(title="Data handling", modules=1),
    }


def auth_for(client, owner, organization=None, scopes=WRITE):
    return bearer(
        get_token(client, *make_client(owner, organization, scopes), scope=scopes)
    )


def post(client, path, body, auth, **extra):
    return client.post(path, body, content_type="application/json", **auth, **extra)


def patch(client, path, body, auth):
    return client.patch(path, body, content_type="application/json", **auth)


# --- people ---------------------------------------------------------------------------


def test_an_hr_system_creates_a_person_in_its_organisation(client, world):
    auth = auth_for(client, world["org_admin"], world["northwind"])

    response = post(
        client,
        "/api/v1/people/",
        {
            "email": "cy@northwind.example",
            "first_name": "Cy",
            "last_name": "Doe",
            "external_id": "HR-1042",
        },
        auth,
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organization"]["id"] == world["northwind"].pk and body["active"]
    person = User.objects.get(email="cy@northwind.example")
    assert person.external_id == "HR-1042" and not person.has_usable_password()
    event = AuditEvent.objects.get(action="person.provision", target_id=str(person.pk))
    assert event.actor == world["org_admin"] and "REST API" in event.reason


def test_people_writes_refuse_bad_input_and_change_nothing(client, world):
    auth = auth_for(client, world["org_admin"], world["northwind"])
    before = User.objects.count()

    taken = post(client, "/api/v1/people/", {"email": "ANA@northwind.example"}, auth)
    outside = post(client, "/api/v1/people/", {"email": "cy@elsewhere.example"}, auth)
    not_an_address = post(client, "/api/v1/people/", {"email": "cy@"}, auth)
    other_org = post(
        client,
        "/api/v1/people/",
        {"email": "cy@northwind.example", "organization": world["fabrikam"].pk},
        auth,
    )
    too_long = post(
        client,
        "/api/v1/people/",
        {"email": "cy@northwind.example", "first_name": "x" * 151},
        auth,
    )

    assert taken.status_code == 409 and "Someone else" in taken.json()["detail"]
    assert outside.status_code == 400 and "domains" in str(outside.json())
    assert not_an_address.status_code == 400
    assert other_org.status_code == 404
    assert too_long.status_code == 400
    assert User.objects.count() == before
    assert not AuditEvent.objects.filter(action="person.provision").exists()


def test_an_hr_system_changes_and_deactivates_only_its_own_people(client, world):
    auth = auth_for(client, world["org_admin"], world["northwind"])
    ours, theirs = world["ours"], world["theirs"]

    renamed = patch(client, f"/api/v1/people/{ours.pk}/", {"last_name": "Lopez"}, auth)
    closed = patch(client, f"/api/v1/people/{ours.pk}/", {"active": False}, auth)
    foreign = patch(client, f"/api/v1/people/{theirs.pk}/", {"active": False}, auth)
    tampered = patch(client, "/api/v1/people/999999999/", {"active": False}, auth)
    put = client.put(
        f"/api/v1/people/{ours.pk}/",
        {"email": "x@northwind.example"},
        content_type="application/json",
        **auth,
    )
    moved = patch(
        client,
        f"/api/v1/people/{ours.pk}/",
        {"organization": world["fabrikam"].pk},
        auth,
    )

    assert renamed.status_code == 200 and renamed.json()["last_name"] == "Lopez"
    assert closed.status_code == 200 and closed.json()["active"] is False
    assert foreign.status_code == 404 and tampered.status_code == 404
    assert put.status_code == 405 and moved.status_code == 400
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert not ours.is_active and ours.organization == world["northwind"]
    assert theirs.is_active
    assert AuditEvent.objects.filter(
        action="person.deactivate", subject=ours, actor=world["org_admin"]
    ).exists()
    assert AuditEvent.objects.filter(action="person.update", subject=ours).exists()


def test_a_client_cannot_deactivate_the_person_it_acts_as_or_a_superuser(
    client, world, user_factory
):
    auth = auth_for(client, world["admin"])
    boss = user_factory(email="root@example.com", is_superuser=True)

    itself = patch(
        client, f"/api/v1/people/{world['admin'].pk}/", {"active": False}, auth
    )
    superuser = patch(client, f"/api/v1/people/{boss.pk}/", {"active": False}, auth)

    assert itself.status_code == 409 and superuser.status_code == 404
    world["admin"].refresh_from_db()
    boss.refresh_from_db()
    assert world["admin"].is_active and boss.is_active


def test_people_write_needs_its_scope(client, world):
    auth = auth_for(client, world["admin"], scopes="people:read")

    response = post(client, "/api/v1/people/", {"email": "cy@example.com"}, auth)

    assert response.status_code == 403
    assert not User.objects.filter(email="cy@example.com").exists()


def test_creating_twice_with_one_idempotency_key_creates_one_person(client, world):
    auth = auth_for(client, world["admin"])
    body = {"email": "dee@example.com", "first_name": "Dee"}

    first = post(client, "/api/v1/people/", body, auth, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(client, "/api/v1/people/", body, auth, HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert User.objects.filter(email="dee@example.com").count() == 1


# --- assigned training ----------------------------------------------------------------


def test_an_hr_system_assigns_training_with_a_due_date(client, world):
    auth = auth_for(client, world["org_admin"], world["northwind"])
    due = date.today() + timedelta(days=30)

    response = post(
        client,
        "/api/v1/assignments/",
        {
            "item": world["course"].pk,
            "people": [world["ours"].pk],
            "due_on": due.isoformat(),
        },
        auth,
    )

    assert response.status_code == 201, response.content
    body = response.json()
    [row] = body["rows"]
    assert row["person"] == world["ours"].pk and row["title"] == "Data handling"
    assert row["due_on"] == due.isoformat() and row["standing"] == "due"
    assignment = Assignment.objects.get(pk=body["assignment"])
    assert assignment.assigned_by == world["org_admin"]
    assert AuditEvent.objects.filter(action="assignment.create").exists()
    listed = client.get("/api/v1/assignments/", **auth).json()["results"]
    assert [r["id"] for r in listed] == [row["id"]]


def test_assigning_refuses_other_organisations_people_and_bad_input(client, world):
    auth = auth_for(client, world["org_admin"], world["northwind"])
    course = world["course"].pk

    foreign = post(
        client,
        "/api/v1/assignments/",
        {"item": course, "people": [world["ours"].pk, world["theirs"].pk]},
        auth,
    )
    not_assignable = post(
        client,
        "/api/v1/assignments/",
        {"item": world["ours"].pk + 10**6, "people": [world["ours"].pk]},
        auth,
    )
    both_dues = post(
        client,
        "/api/v1/assignments/",
        {
            "item": course,
            "people": [world["ours"].pk],
            "due_on": "2030-01-01",
            "due_days": 10,
        },
        auth,
    )
    nobody = post(client, "/api/v1/assignments/", {"item": course, "people": []}, auth)
    too_many = post(
        client,
        "/api/v1/assignments/",
        {"item": course, "people": list(range(1, 502))},
        auth,
    )
    repeats = post(
        client,
        "/api/v1/assignments/",
        {"item": course, "people": [world["ours"].pk], "recur_months": 12},
        auth,
    )

    assert foreign.status_code == 404
    assert not_assignable.status_code == 404
    assert both_dues.status_code == 400 and nobody.status_code == 400
    assert too_many.status_code == 400
    assert repeats.status_code == 400 and "renewed" in str(repeats.json())
    assert not Assignment.objects.exists() and not PersonAssignment.objects.exists()


def test_assigning_needs_learning_write(client, world):
    auth = auth_for(client, world["admin"], scopes="learning:read")

    response = post(
        client,
        "/api/v1/assignments/",
        {"item": world["course"].pk, "people": [world["ours"].pk]},
        auth,
    )

    assert response.status_code == 403 and not Assignment.objects.exists()
