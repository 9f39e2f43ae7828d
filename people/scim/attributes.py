"""The person attributes an identity provider may set, one handler each.

PATCH operations, PUT bodies and POST bodies all end up here as (path, value)
pairs, in the shapes Okta and Microsoft Entra ID send: ``{"op": "replace",
"value": {"active": false}}`` (Okta) and ``{"op": "Replace", "path": "active",
"value": "False"}`` (Entra) reach the same handler. Attributes the platform does
not keep (title, department, phone numbers...) are accepted and ignored, as
identity providers send whatever their mapping holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django_scim import exceptions

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user"
CORE = "urn:ietf:params:scim:schemas:core:2.0:user"

# path (lower case) -> handler(person_change, value, removing)
Handler = Callable[["PersonChange", Any, bool], None]
HANDLERS: dict[str, Handler] = {}


def attribute(*paths: str):
    def register(handler: Handler) -> Handler:
        for path in paths:
            HANDLERS[path.lower()] = handler
        return handler

    return register


class PersonChange:
    """What one request asks of a person, gathered before anything is written."""

    def __init__(self, person):
        self.person = person
        self.active: bool | None = None
        self.manager_id: str | None = None
        self.manager_given = False
        self.email_changed = False

    def apply(self, path: str | None, value: Any, *, removing: bool = False) -> None:
        if not path:
            if not isinstance(value, dict):
                raise exceptions.BadRequestError(
                    "An operation without a path needs an object value.",
                    scim_type="invalidValue",
                )
            for key, item in value.items():
                self.apply(key, item, removing=removing)
            return
        key = _normal(path)
        handler = HANDLERS.get(key)
        if handler is not None:
            handler(self, value, removing)
        elif key == ENTERPRISE and isinstance(value, dict):
            for sub, item in value.items():
                self.apply(f"{ENTERPRISE}:{sub}", item, removing=removing)


def _normal(path: str) -> str:
    """Lower case, without the core schema's prefix, without spaces around the
    filter in ``emails[type eq "work"].value``."""
    key = path.strip().lower()
    if key.startswith(CORE + ":"):
        key = key[len(CORE) + 1 :]
    return " ".join(key.split())


def _text(value: Any, *, limit: int, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise exceptions.BadRequestError(
            f"{name} must be a string.", scim_type="invalidValue"
        )
    text = str(value).strip()
    if len(text) > limit:
        raise exceptions.BadRequestError(
            f"{name} has at most {limit} characters.", scim_type="invalidValue"
        )
    return text


def as_bool(value: Any) -> bool:
    """``true``/``false`` as JSON booleans or, as Entra sends them, strings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise exceptions.BadRequestError(
        "active must be true or false.", scim_type="invalidValue"
    )


@attribute("userName")
def _user_name(change: PersonChange, value: Any, removing: bool) -> None:
    if removing:
        raise exceptions.BadRequestError(
            "userName cannot be removed.", scim_type="mutability"
        )
    email = _text(value, limit=254, name="userName").lower()
    if email != change.person.email:
        change.person.email, change.email_changed = email, True


@attribute('emails[type eq "work"].value', "emails.value")
def _work_email(change: PersonChange, value: Any, removing: bool) -> None:
    if not removing and value:
        _user_name(change, value, removing)


@attribute("emails")
def _emails(change: PersonChange, value: Any, removing: bool) -> None:
    """The primary address (or the first) becomes the person's e-mail; userName
    is the same address, so either may carry it."""
    if removing or not value:
        return
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise exceptions.BadRequestError(
            "emails must be a list of objects.", scim_type="invalidValue"
        )
    chosen = next((e for e in value if as_bool(e.get("primary", False))), value[0])
    if chosen.get("value"):
        _user_name(change, chosen["value"], False)


@attribute("name.givenName")
def _given_name(change: PersonChange, value: Any, removing: bool) -> None:
    change.person.first_name = (
        "" if removing else _text(value, limit=150, name="name.givenName")
    )


@attribute("name.familyName")
def _family_name(change: PersonChange, value: Any, removing: bool) -> None:
    change.person.last_name = (
        "" if removing else _text(value, limit=150, name="name.familyName")
    )


@attribute("name")
def _name(change: PersonChange, value: Any, removing: bool) -> None:
    if removing:
        change.person.first_name = change.person.last_name = ""
        return
    if not isinstance(value, dict):
        raise exceptions.BadRequestError(
            "name must be an object.", scim_type="invalidValue"
        )
    if "givenName" in value:
        _given_name(change, value["givenName"], False)
    if "familyName" in value:
        _family_name(change, value["familyName"], False)


@attribute("externalId")
def _external_id(change: PersonChange, value: Any, removing: bool) -> None:
    change.person.external_id = (
        "" if removing else _text(value, limit=255, name="externalId")
    )


@attribute("active")
def _active(change: PersonChange, value: Any, removing: bool) -> None:
    if not removing:
        change.active = as_bool(value)


@attribute("preferredLanguage", "locale")
def _language(change: PersonChange, value: Any, removing: bool) -> None:
    """``de-CH`` and ``de_CH`` become ``de`` where the site speaks it; other
    languages leave the person on the site's language."""
    code = "" if removing else _text(value, limit=35, name="preferredLanguage")
    base = code.replace("_", "-").split("-")[0].lower()
    change.person.language = base if base in dict(settings.LANGUAGES) else ""


@attribute("timezone")
def _time_zone(change: PersonChange, value: Any, removing: bool) -> None:
    from accounts.api import zone_named

    name = "" if removing else _text(value, limit=64, name="timezone")
    change.person.time_zone = zone_named(name).key


@attribute(f"{ENTERPRISE}:manager", f"{ENTERPRISE}:manager.value")
def _manager(change: PersonChange, value: Any, removing: bool) -> None:
    """The manager by their SCIM id (Entra sends the id alone, others an object)."""
    if isinstance(value, dict):
        value = value.get("value")
    change.manager_given = True
    change.manager_id = None if removing or not value else str(value)
