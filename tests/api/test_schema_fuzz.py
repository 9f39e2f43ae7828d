"""Schemathesis runs every operation of the OpenAPI schema against the app with
generated input (in process, on the test database): no answer is a 5xx, and
every answer matches the schema (status codes, content types, bodies).

Schema-valid input may still break a rule the schema cannot state (a course is
not renewed, so it does not repeat; a due date or a number of days, not both):
that answers 400 with the reason, so Schemathesis's check that every
schema-valid request succeeds is left out; every other check runs."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from oauth2_provider.models import Application
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts import roles
from api.models import ApiClient
from api.scopes import SCOPES
from lms.wsgi import application
from tests.factories import make_certificate, make_exam, make_level, site_tree

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def keep_the_test_connection(api_headers):
    """Schemathesis calls the WSGI app directly; like Django's test client, keep
    it from closing the test's database connection at each request (PostgreSQL
    would lose the test's transaction). After ``api_headers``: the test client it
    uses connects the closing again when it finishes."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_headers(db, client, user_factory):
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    site_tree()
    level = make_level(exams=[make_exam(count=2)], code="associate", title="Associate")
    make_certificate(user_factory(), level, expires_on=None)
    app = Application.objects.create(
        name="fuzz",
        user=admin,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret="fuzz-secret-fuzz-secret",
        hash_client_secret=True,
    )
    ApiClient.objects.create(application=app, scopes=" ".join(SCOPES))
    token = client.post(
        "/api/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": app.client_id,
            "client_secret": "fuzz-secret-fuzz-secret",
            "scope": " ".join(SCOPES),
        },
    ).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    # The same examples on every run: CI fails only when the code changes.
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_no_5xx_and_every_answer_matches_the_schema(
    case, api_headers, keep_the_test_connection
):
    case.call_and_validate(
        headers=api_headers, excluded_checks=[positive_data_acceptance]
    )
