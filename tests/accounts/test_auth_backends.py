"""The sign-in backends read the signed-in person with one hand-written
statement: the person the query builder would read, field for field, and
nobody who may not sign in. Signing in names the new backends; a session signed
in through Django's or allauth's own path stays signed in and names the new one
from then on; what Django checks of a session (its password hash, its backend
being one of ours) still decides."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.auth_backends import RENAMED, ModelBackend, read_person

pytestmark = pytest.mark.django_db

DJANGOS = "django.contrib.auth.backends.ModelBackend"
ALLAUTHS = "allauth.account.auth_backends.AuthenticationBackend"


def _fields(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
    }


def signed_in(client) -> bool:
    response = client.get(reverse("dashboard"))
    return response.status_code == 200


def backend_of(client) -> str:
    return client.session[BACKEND_SESSION_KEY]


def test_the_person_read_is_the_query_builders_in_one_statement(learner):
    expected = get_user_model().objects.get(pk=learner.pk)
    with CaptureQueriesContext(connection) as captured:
        person = read_person(learner.pk)
        by_text = read_person(str(learner.pk))
    assert len(captured) == 2
    for read in (person, by_text):
        assert _fields(read) == _fields(expected)
        assert not read._state.adding and read._state.db == "default"
    assert read_person(learner.pk + 1000) is None


def test_nobody_inactive_is_read_as_signed_in(learner):
    learner.is_active = False
    learner.save(update_fields=["is_active"])
    assert ModelBackend().get_user(learner.pk) is None


def test_signing_in_with_the_form_names_the_new_backend(client, learner):
    learner.set_password("correct horse battery")
    learner.save()
    response = client.post(
        reverse("account_login"),
        {"login": learner.email, "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert backend_of(client) in RENAMED.values()
    assert signed_in(client)


@pytest.mark.parametrize("old_path", [DJANGOS, ALLAUTHS])
def test_a_session_of_an_old_backend_path_stays_signed_in(client, learner, old_path):
    client.force_login(learner, backend=old_path)
    assert backend_of(client) == old_path

    assert signed_in(client)
    assert backend_of(client) == RENAMED[old_path]
    assert signed_in(client)


def test_a_session_of_an_unknown_backend_is_nobodys(client, learner):
    client.force_login(learner, backend="somewhere.else.Backend")
    assert not signed_in(client)


@pytest.mark.parametrize("old_path", [DJANGOS, "accounts.auth_backends.ModelBackend"])
def test_a_password_change_still_signs_every_session_out(client, learner, old_path):
    client.force_login(learner, backend=old_path)
    learner.set_password("a new password, elsewhere")
    learner.save()
    assert not signed_in(client)


def test_a_signed_in_page_reads_the_person_once(client, learner):
    client.force_login(learner)
    client.get(reverse("dashboard"))
    table = get_user_model()._meta.db_table
    with CaptureQueriesContext(connection) as captured:
        assert signed_in(client)
    reads = [q["sql"] for q in captured if f'FROM "{table}" u WHERE' in q["sql"]]
    assert len(reads) == 1
