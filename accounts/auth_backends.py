"""The sign-in backends: Django's and allauth's, each reading the signed-in
person with one hand-written statement.

Every signed-in request reads its person (``get_user``), and the query builder
made that statement anew each time: about a tenth of an exam page's CPU. The
statement is the same one (every field of the person, by id), written once per
process; what it reads becomes the person through the query builder's own
converters (``Columns``). Who may sign in is decided as before
(``user_can_authenticate``: an inactive person is nobody), and so is how a
password or an email address signs in.

A session names the backend that signed it in. Sessions signed in before these
backends name Django's and allauth's own paths: :func:`keep_signed_in` names
the new ones in them instead when the person is first read, so nobody is signed
out by the change.
"""

from __future__ import annotations

from functools import cache

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth import backends as django_backends
from django.db import connection

from .model_rows import Columns
from .prepared import planned_cursor


@cache
def _person_columns() -> Columns:
    return Columns(get_user_model())


@cache
def _person_sql(vendor: str) -> str:
    columns = _person_columns()
    meta = columns.model._meta
    quote = connection.ops.quote_name
    # Names from the model, never from a request; the id is a parameter.
    return (
        f"SELECT {columns.select('u')} FROM {quote(meta.db_table)} u "  # noqa: S608
        f"WHERE u.{quote(meta.pk.column)} = %s"
    )


def read_person(user_id):
    """The person with id ``user_id`` (as Django's sign-in hands it over: the
    session's id, already made the key's type), or None."""
    pk = get_user_model()._meta.pk
    value = pk.get_db_prep_value(pk.to_python(user_id), connection)
    with planned_cursor() as cursor:
        cursor.execute(_person_sql(connection.vendor), [value])
        row = cursor.fetchone()
    return None if row is None else _person_columns().instance(row)


class _OneStatementPerson:
    def get_user(self, user_id):
        person = read_person(user_id)
        return (
            person
            if person is not None and self.user_can_authenticate(person)
            else None
        )


class ModelBackend(_OneStatementPerson, django_backends.ModelBackend):
    """Django's: a username and a password."""


class AuthenticationBackend(
    _OneStatementPerson, allauth_backends.AuthenticationBackend
):
    """allauth's: an email address (or username) and a password, or a code."""


# The paths sessions signed in before these backends name, and the backends
# that read those sessions' person now.
RENAMED = {
    "django.contrib.auth.backends.ModelBackend": f"{__name__}.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        f"{__name__}.AuthenticationBackend"
    ),
}


def keep_signed_in(session) -> None:
    """A session signed in through a backend's old path names its new one (and
    is saved with it once), so the person stays signed in."""
    path = session.get(BACKEND_SESSION_KEY)
    if path in RENAMED:
        session[BACKEND_SESSION_KEY] = RENAMED[path]
