"""Every list endpoint and every write against every scope: a token carrying
only the needed scope gets in, every other scope gets 403, no token 401; an organisation's client
never reads another organisation's records from any endpoint, and a tampered id
answers 404 everywhere."""

from datetime import date

import pytest

from accounts import roles
from accounts.models import Organization
from api.scopes import SCOPES
from assignments.models import AudienceKind
from assignments.services import create_assignment
from courses.models import Enrollment
from tests.api.test_api import bearer, get_token, make_client
from tests.factories import (
    make_certificate,
    make_course,
    make_exam,
    make_level,
    pass_exam,
    site_tree,
)

pytestmark = pytest.mark.django_db

READ_SCOPE = {
    "/api/v1/people/": "people:read",
    "/api/v1/organizations/": "people:read",
    "/api/v1/courses/": "learning:read",
    "/api/v1/enrollments/": "learning:read",
    "/api/v1/assignments/": "learning:read",
    "/api/v1/results/": "results:read",
    "/api/v1/classes/": "learning:read",
    "/api/v1/bookings/": "learning:read",
    "/api/v1/certificates/": "certificates:read",
}


@pytest.fixture
def world(user_factory):
    site_tree()
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    orgs = [
        Organization.objects.create(name=n, slug=n.lower()) for n in ("Ours", "Theirs")
    ]
    course = make_course(title="Data handling", modules=1)
    exam = make_exam(count=2)
    level = make_level(exams=[make_exam(count=2)], code="associate", title="Associate")
    people = []
    for organization in orgs:
        person = user_factory(organization=organization)
        Enrollment.objects.create(user=person, course=course)
        pass_exam(person, exam)
        make_certificate(person, level, expires_on=None)
        people.append(person)
    create_assignment(
        actor=admin,
        item=course,
        audience=AudienceKind.PEOPLE,
        people=people,
        due_on=date(2030, 1, 1),
    )
    return {"admin": admin, "orgs": orgs, "people": people}


@pytest.mark.parametrize("scope", sorted(SCOPES))
def test_each_scope_opens_exactly_its_endpoints(client, world, scope):
    token = get_token(client, *make_client(world["admin"], scopes=scope), scope=scope)

    for url, needed in READ_SCOPE.items():
        response = client.get(url, **bearer(token))
        expected = 200 if scope == needed else 403
        assert response.status_code == expected, (url, scope, response.content[:200])
        assert client.get(url).status_code == 401


WRITES = {
    ("post", "/api/v1/people/"): "people:write",
    ("patch", "/api/v1/people/{person}/"): "people:write",
    ("post", "/api/v1/enrollments/"): "learning:write",
    ("post", "/api/v1/assignments/"): "learning:write",
    ("post", "/api/v1/certificates/{serial}/revoke/"): "certificates:write",
}


@pytest.mark.parametrize("scope", sorted(SCOPES))
def test_each_write_needs_exactly_its_scope(client, world, scope):
    token = get_token(client, *make_client(world["admin"], scopes=scope), scope=scope)
    person = world["people"][0]
    ids = {"person": person.pk, "serial": person.certificates.get().serial}

    for (method, url), needed in WRITES.items():
        path = url.format(**ids)
        send = getattr(client, method)
        # An empty body: the needed scope gets as far as the input check (400;
        # an empty PATCH changes nothing and answers 200).
        response = send(path, {}, content_type="application/json", **bearer(token))
        allowed = 200 if method == "patch" else 400
        expected = allowed if scope == needed else 403
        assert response.status_code == expected, (path, scope, response.content[:200])
        assert send(path, {}, content_type="application/json").status_code == 401
    person.refresh_from_db()
    assert person.is_active and person.certificates.get().revoked_at is None


def test_an_organisations_client_reads_only_its_organisation_everywhere(client, world):
    every = " ".join(SCOPES)
    ours, theirs = world["orgs"]
    token = get_token(client, *make_client(world["admin"], ours, every), scope=every)
    mine = world["people"][0].pk

    def people_in(url):
        results = client.get(url, **bearer(token)).json()["results"]
        ids = set()
        for row in results:
            person = row.get("person", row.get("holder", row.get("id")))
            ids.add(person["id"] if isinstance(person, dict) else person)
        return ids

    for url in (
        "/api/v1/people/",
        "/api/v1/enrollments/",
        "/api/v1/assignments/",
        "/api/v1/results/",
        "/api/v1/certificates/",
    ):
        assert people_in(url) == {mine}, url
    assert people_in("/api/v1/organizations/") == {ours.pk}


def test_tampered_ids_answer_404_everywhere(client, world):
    every = " ".join(SCOPES)
    ours, theirs = world["orgs"]
    token = get_token(client, *make_client(world["admin"], ours, every), scope=every)
    stranger = world["people"][1]
    theirs_enrolment = Enrollment.objects.get(user=stranger)
    theirs_row = stranger.assigned_training.get()
    urls = [
        f"/api/v1/people/{stranger.pk}/",
        f"/api/v1/organizations/{theirs.pk}/",
        f"/api/v1/enrollments/{theirs_enrolment.pk}/",
        f"/api/v1/certificates/{stranger.certificates.get().serial}/",
        "/api/v1/people/0/",
        "/api/v1/people/99999999999999999999/",
        "/api/v1/certificates/NOT-A-SERIAL/",
        "/api/v1/enrollments/-1/",
        f"/api/v1/assignments/{theirs_row.pk}/",
    ]
    for url in urls:
        response = client.get(url, **bearer(token))
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
