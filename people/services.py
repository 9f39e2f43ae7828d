"""Closing and reopening a person's account. A deactivated person cannot sign in
and is signed out of every session at their next request (the authentication
backend refuses inactive people); their history and certificates stay, and the
reports show them as inactive. A training admin does it from the admin
(:func:`set_active`); an identity provider does it over SCIM (:func:`apply_active`,
after the connection's own scope check)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.api import audit_values, is_training_admin, record_audit_event

from .signals import person_deactivated


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
