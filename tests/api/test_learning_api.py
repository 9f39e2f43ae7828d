"""Enrolments, assigned training and results through the API: the same rules
as the pages (catalog, prerequisites), an organisation's client only ever
reaching its own people, results without answers, fixed query counts."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from accounts.models import Organization
from assignments.models import AudienceKind
from assignments.services import create_assignment
from courses.models import Enrollment
from tests.api.test_api import bearer, get_token, make_client
from tests.factories import make_course, make_exam, pass_exam, site_tree

pytestmark = pytest.mark.django_db

ALL = "learning:read learning:write results:read"


@pytest.fixture
def world(user_factory):
    site_tree()
    northwind = Organization.objects.create(name="Northwind", slug="northwind")
    fabrikam = Organization.objects.create(name="Fabrikam", slug="fabrikam")
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    return {
        "admin": admin,
        "northwind": northwind,
        "ours": user_factory(organization=northwind),
        "theirs": user_factory(organization=fabrikam),
        "course": make_course(title="Data handling", modules=1),
    }


def token(client, world, organization=None):
    return get_token(client, *make_client(world["admin"], organization, ALL), scope=ALL)


def test_a_client_enrols_its_people_once_and_lists_them(client, world):
    auth = bearer(token(client, world, world["northwind"]))
    body = {"person": world["ours"].pk, "course": world["course"].pk}

    first = client.post(
        "/api/v1/enrollments/", body, content_type="application/json", **auth
    )
    again = client.post(
        "/api/v1/enrollments/", body, content_type="application/json", **auth
    )
    listed = client.get("/api/v1/enrollments/", **auth).json()["results"]

    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["course"]["slug"] == world["course"].slug
    assert [e["person"] for e in listed] == [world["ours"].pk]
    assert Enrollment.objects.filter(user=world["ours"]).count() == 1


def test_an_organisations_client_cannot_enrol_or_read_others(client, world):
    auth = bearer(token(client, world, world["northwind"]))
    Enrollment.objects.create(user=world["theirs"], course=world["course"])

    refused = client.post(
        "/api/v1/enrollments/",
        {"person": world["theirs"].pk, "course": world["course"].pk},
        content_type="application/json",
        **auth,
    )
    theirs = Enrollment.objects.get(user=world["theirs"])

    assert refused.status_code == 404 and refused.json()["title"] == "Not found"
    assert (
        not Enrollment.objects.filter(user=world["theirs"])
        .exclude(pk=theirs.pk)
        .exists()
    )
    assert client.get(f"/api/v1/enrollments/{theirs.pk}/", **auth).status_code == 404
    assert (
        client.get(
            "/api/v1/enrollments/", {"person": world["theirs"].pk}, **auth
        ).json()["results"]
        == []
    )


def test_enrolling_follows_the_course_rules(client, world):
    auth = bearer(token(client, world))
    advanced = make_course(title="Advanced", modules=1, prerequisites=[world["course"]])

    response = client.post(
        "/api/v1/enrollments/",
        {"person": world["ours"].pk, "course": advanced.pk},
        content_type="application/json",
        **auth,
    )

    assert response.status_code == 409
    assert "Data handling" in response.json()["detail"]


def test_assigned_training_shows_where_each_person_stands(client, world):
    create_assignment(
        actor=world["admin"],
        item=world["course"],
        audience=AudienceKind.PEOPLE,
        people=[world["ours"], world["theirs"]],
        due_on=date(2020, 1, 1),
    )
    auth = bearer(token(client, world, world["northwind"]))

    rows = client.get("/api/v1/assignments/", **auth).json()["results"]

    assert [(r["person"], r["title"], r["standing"]) for r in rows] == [
        (world["ours"].pk, "Data handling", "overdue")
    ]


def test_results_carry_scores_never_answers(client, world):
    exam = make_exam(count=3)
    attempt = pass_exam(world["ours"], exam)
    auth = bearer(token(client, world))

    [result] = client.get("/api/v1/results/", **auth).json()["results"]

    assert result["id"] == str(attempt.public_id)
    assert result["passed"] is True and result["percent"] == 100.0
    text = str(result)
    assert "answer" not in text and "correct" not in text and "choices" not in text


def test_learning_lists_run_a_fixed_number_of_queries(client, world, user_factory):
    auth = bearer(token(client, world))
    exam = make_exam(count=2)

    def grow(n):
        for _ in range(n):
            person = user_factory(organization=world["northwind"])
            Enrollment.objects.create(user=person, course=world["course"])
            pass_exam(person, exam)
        create_assignment(
            actor=world["admin"],
            item=world["course"],
            audience=AudienceKind.ORGANIZATION,
            organization=world["northwind"],
            due_on=date(2030, 1, 1),
        )

    def count():
        with CaptureQueriesContext(connection) as queries:
            for url in (
                "/api/v1/enrollments/",
                "/api/v1/assignments/",
                "/api/v1/results/",
            ):
                assert client.get(url, **auth).status_code == 200
        return len(queries)

    grow(1)
    small = count()
    grow(8)
    assert count() == small
