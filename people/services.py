"""Creating and changing people on behalf of outside systems, and closing and
reopening a person's account.

:func:`check_address` and :func:`save_person` are the one home of what an
identity provider (SCIM) and an HR system (the REST API) may write about a
person: a real, unique address within the organisation's e-mail domains, and an
audit record in the same transaction.

Closing and reopening a person's account. A deactivated person cannot sign in
and is signed out of every session at their next request (the authentication
backend refuses inactive people); their history and certificates stay, and the
reports show them as inactive. A training admin does it from the admin
(:func:`set_active`); an identity provider does it over SCIM (:func:`apply_active`,
after the connection's own scope check)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.api import (
    User,
    address_fits,
    audit_values,
    is_training_admin,
    record_audit_event,
)

from .signals import person_deactivated

AUDITED = ["email", "first_name", "last_name", "external_id", "manager_id"]


class PersonRefused(ValueError):
    """A person cannot be written as asked; ``str(error)`` says why.
    ``taken`` is True when the address belongs to someone else (a conflict)."""

    def __init__(self, message: str, *, taken: bool = False):
        super().__init__(message)
        self.taken = taken


def check_address(person, *, organization, address_changed: bool) -> None:
    """Raise :class:`PersonRefused` unless ``person.email`` is an address, nobody
    else's, and (when new or changed) one of ``organization``'s domains."""
    try:
        validate_email(person.email)
    except ValidationError:
        raise PersonRefused(f"“{person.email}” is not an e-mail address.") from None
    if User.objects.filter(email__iexact=person.email).exclude(pk=person.pk).exists():
        raise PersonRefused(
            f"Someone else has the address “{person.email}”.", taken=True
        )
    if (person.pk is None or address_changed) and not address_fits(
        organization, person.email
    ):
        raise PersonRefused(
            f"“{person.email}” is not an address of {organization}'s e-mail domains."
        )


def save_person(person, *, organization, reason: str, actor=None) -> bool:
    """Create ``person`` (unsaved: in ``organization``, with no password, signing
    in by a link or single sign-on) or save the changes made to it, with an
    audit record when anything audited changed. Returns whether it was created.
    Raises :class:`PersonRefused` when someone else took the address meanwhile;
    nothing is written then."""
    created = person.pk is None
    try:
        with transaction.atomic():
            if created:
                person.organization = organization
                person.set_unusable_password()
                person.save()
                before = None
            else:
                before = audit_values(User.objects.get(pk=person.pk), AUDITED)
                person.save()
            after = audit_values(person, AUDITED)
            if before != after:
                record_audit_event(
                    actor=actor,
                    action="person.provision" if created else "person.update",
                    target=person,
                    subject=person,
                    before=before,
                    after=after,
                    reason=reason,
                )
    except IntegrityError:
        if created:
            person.pk = None
        raise PersonRefused(
            f"Someone else has the address “{person.email}”.", taken=True
        ) from None
    return created


@transaction.atomic
def set_active(*, actor, person, active: bool, reason: str) -> None:
    if not is_training_admin(actor):
        raise PermissionDenied
    if actor.pk == person.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason."))
    apply_active(person, active=active, actor=actor, reason=reason)


@transaction.atomic
def apply_active(person, *, active: bool, reason: str, actor=None) -> bool:
    """Open or close ``person``'s account, audited; ``actor`` is None when an
    identity provider asked. Returns whether anything changed."""
    if person.is_active == active:
        return False
    before = audit_values(person, ["is_active"])
    person.is_active = active
    person.save(update_fields=["is_active"])
    record_audit_event(
        actor=actor,
        action="person.activate" if active else "person.deactivate",
        target=person,
        subject=person,
        before=before,
        after=audit_values(person, ["is_active"]),
        reason=reason,
    )
    if not active:
        person_deactivated.send(sender=type(person), person=person)
    return True
