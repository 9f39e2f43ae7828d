"""People as SCIM Users and roles as SCIM Groups (django-scim2's adapters)."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django_scim import constants, exceptions
from django_scim.adapters import SCIMGroup, SCIMUser

from accounts.api import record_audit_event

from .. import services
from . import scope
from .attributes import ENTERPRISE, PersonChange

ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def scim_id(value) -> int | None:
    """A resource id as sent by the client; ids are our primary keys."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


def reason_for(connection) -> str:
    return f"Identity provider “{connection.name}” (SCIM)"


class Checked:
    """What both adapters check of a body before reading it."""

    id_field = "pk"

    def validate_dict(self, d):
        if not isinstance(d, dict):
            raise exceptions.BadRequestError(
                "The body must be a JSON object.", scim_type="invalidSyntax"
            )


class PersonAdapter(Checked, SCIMUser):
    def __init__(self, obj, request=None):
        super().__init__(obj, request)
        self.change = PersonChange(obj)

    @property
    def connection(self):
        return self.request.scim_connection

    @property
    def display_name(self):
        return self.obj.get_full_name() or self.obj.email

    @property
    def emails(self):
        return [{"value": self.obj.email, "type": "work", "primary": True}]

    @property
    def groups(self):
        allowed = scope.role_names(self.connection)
        return [
            {
                "value": str(group.pk),
                "$ref": RoleAdapter(group, self.request).location,
                "display": group.name,
            }
            for group in self.obj.groups.all()
            if group.name in allowed
        ]

    @property
    def meta(self):
        return {
            "resourceType": self.resource_type,
            "created": self.obj.date_joined.isoformat(),
            "lastModified": (self.obj.updated_at or self.obj.date_joined).isoformat(),
            "location": self.location,
        }

    def to_dict(self):
        person = self.obj
        d = {
            "schemas": [constants.SchemaURI.USER, ENTERPRISE_SCHEMA],
            "id": self.id,
            "externalId": person.external_id or None,
            "userName": person.email,
            "name": {
                "givenName": person.first_name,
                "familyName": person.last_name,
                "formatted": self.display_name,
            },
            "displayName": self.display_name,
            "emails": self.emails,
            "active": person.is_active,
            "timezone": person.time_zone,
            "groups": self.groups,
            "meta": self.meta,
        }
        if person.language:
            d["preferredLanguage"] = person.language
        if person.manager_id:
            d[ENTERPRISE_SCHEMA] = {"manager": {"value": str(person.manager_id)}}
        return {key: value for key, value in d.items() if value is not None}

    # --- writing ---------------------------------------------------------------

    def from_dict(self, d):
        """A whole User (POST and PUT): what it leaves out of the name and ids
        is cleared; activity and manager change only when given."""
        if not d.get("userName"):
            raise exceptions.BadRequestError(
                "userName (the person's e-mail address) is required.",
                scim_type="invalidValue",
            )
        apply = self.change.apply
        apply("userName", d["userName"])
        apply("name", d.get("name") or {"givenName": "", "familyName": ""})
        apply("externalId", d.get("externalId"))
        for key in ("active", "preferredLanguage", "locale", "timezone"):
            if key in d:
                apply(key, d[key])
        extension = d.get(ENTERPRISE_SCHEMA)
        if isinstance(extension, dict):
            apply(ENTERPRISE, extension)

    def handle_operations(self, operations):
        for operation, op in _operations(operations):
            self.change.apply(
                operation.get("path"), operation.get("value"), removing=op == "remove"
            )
        self.save()

    def save(self):
        person, change, connection = self.obj, self.change, self.connection
        try:
            services.check_address(
                person,
                organization=connection.organization,
                address_changed=change.email_changed,
            )
            if change.manager_given:
                person.manager = self._manager(change.manager_id)
            with transaction.atomic():
                services.save_person(
                    person,
                    organization=connection.organization,
                    reason=reason_for(connection),
                )
                if change.active is not None:
                    services.apply_active(
                        person, active=change.active, reason=reason_for(connection)
                    )
        except services.PersonRefused as refused:
            if refused.taken:
                raise exceptions.IntegrityError(
                    str(refused).replace("address", "userName"),
                    scim_type="uniqueness",
                ) from None
            raise exceptions.BadRequestError(
                str(refused), scim_type="invalidValue"
            ) from None

    def _manager(self, value):
        if value is None:
            return None
        pk = scim_id(value)
        manager = scope.people(self.connection).filter(pk=pk).first() if pk else None
        if manager is None:
            raise exceptions.BadRequestError(
                f"No person with id “{value}” to be the manager.",
                scim_type="invalidValue",
            )
        if manager.pk == self.obj.pk:
            raise exceptions.BadRequestError(
                "A person cannot be their own manager.", scim_type="invalidValue"
            )
        return manager

    def delete(self):
        """Removal keeps the person, deactivated, with their history and
        certificates; the identity provider no longer sees them."""
        with transaction.atomic():
            services.apply_active(
                self.obj, active=False, reason=reason_for(self.connection)
            )
            self.obj.deprovisioned_at = timezone.now()
            self.obj.save(update_fields=["deprovisioned_at"])


MEMBER_FILTER = re.compile(r'^members\[value eq "([^"]*)"\]$', re.IGNORECASE)


class RoleAdapter(Checked, SCIMGroup):
    """A role, with the members the connection may see. Roles are fixed: an
    identity provider links its groups to them and manages who is in them."""

    @property
    def connection(self):
        return self.request.scim_connection

    @property
    def members(self):
        people = scope.people(self.connection).filter(groups=self.obj).order_by("pk")
        return [
            {
                "value": str(person.pk),
                "$ref": PersonAdapter(person, self.request).location,
                "display": person.get_full_name() or person.email,
            }
            for person in people
        ]

    def to_dict(self):
        return {
            "schemas": [constants.SchemaURI.GROUP],
            "id": self.id,
            "displayName": self.obj.name,
            "members": self.members,
            "meta": {"resourceType": self.resource_type, "location": self.location},
        }

    def _keep_name(self, name) -> None:
        if name is not None and name != self.obj.name:
            raise exceptions.BadRequestError(
                "Groups are the academy's roles and cannot be renamed.",
                scim_type="mutability",
            )

    def from_dict(self, d):
        """PUT: the same name, and the whole member list."""
        self._keep_name(d.get("displayName"))
        self._pending = ("replace", self._people(d.get("members") or []))

    def save(self):
        op, people = getattr(self, "_pending", ("add", []))
        self._change_members(op, people)

    def handle_operations(self, operations):
        for operation, op in _operations(operations):
            path = (operation.get("path") or "").strip()
            value = operation.get("value")
            if not path and isinstance(value, dict):
                self._keep_name(value.get("displayName"))
                if "members" in value:
                    self._change_members(op, self._people(value["members"]))
            elif path.lower() == "displayname":
                self._keep_name(value)
            elif path.lower() == "members":
                self._change_members(op, self._people(value or []))
            elif MEMBER_FILTER.match(path) and op == "remove":
                member = MEMBER_FILTER.match(path).group(1)
                self._change_members("remove", self._people([{"value": member}]))
            else:
                raise exceptions.BadRequestError(
                    f"Cannot change “{path}” of a group.", scim_type="invalidPath"
                )

    def _people(self, members):
        if not isinstance(members, list):
            raise exceptions.BadRequestError(
                "members must be a list.", scim_type="invalidValue"
            )
        ids = [scim_id(m.get("value") if isinstance(m, dict) else m) for m in members]
        people = list(
            scope.people(self.connection).filter(pk__in=[i for i in ids if i])
        )
        if len(people) != len(set(ids)) or None in ids:
            raise exceptions.BadRequestError(
                "members names someone this connection does not provision.",
                scim_type="invalidValue",
            )
        return people

    def _change_members(self, op, people) -> None:
        role = self.obj
        in_scope = scope.people(self.connection)
        current = set(in_scope.filter(groups=role).values_list("pk", flat=True))
        wanted = {person.pk for person in people}
        if op == "add":
            added, removed = wanted - current, set()
        elif op == "remove":
            # No members named: every member goes (RFC 7644, section 3.5.2.2).
            added, removed = set(), (wanted & current) if people else current
        else:
            added, removed = wanted - current, current - wanted
        with transaction.atomic():
            for person in in_scope.filter(pk__in=added | removed):
                joining = person.pk in added
                (role.user_set.add if joining else role.user_set.remove)(person)
                record_audit_event(
                    actor=None,
                    action="person.role.add" if joining else "person.role.remove",
                    target=person,
                    subject=person,
                    before=None,
                    after={"role": role.name},
                    reason=reason_for(self.connection),
                )


def _operations(operations):
    """Each PATCH operation with its op in lower case (Entra writes "Replace")."""
    if not isinstance(operations, list):
        raise exceptions.BadRequestError(
            "Operations must be a list.", scim_type="invalidSyntax"
        )
    return [(operation, _op(operation)) for operation in operations]


def _op(operation) -> str:
    if not isinstance(operation, dict):
        raise exceptions.BadRequestError(
            "Each operation must be an object.", scim_type="invalidSyntax"
        )
    op = str(operation.get("op") or "").lower()
    if op not in ("add", "remove", "replace"):
        raise exceptions.BadRequestError(
            f"Unknown PATCH op “{operation.get('op')}”.", scim_type="invalidSyntax"
        )
    return op
