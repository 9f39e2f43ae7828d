"""The audit trail: every service that changes learner data or rights on a
person's behalf records what it did here, in its own transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .models import AuditEvent


def audit_values(instance: models.Model | None, fields: list[str]) -> dict | None:
    """``fields`` of ``instance`` as JSON-safe values (ids for relations), or
    None for a record that did not exist."""
    if instance is None:
        return None
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)
        if isinstance(value, datetime | date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        values[name] = value
    return values


def record_audit_event(**event) -> AuditEvent:
    """Write one audit event (see :func:`audit_event` for what it records).
    Call it inside the transaction of the change it records, so that both are
    kept or neither is."""
    made = audit_event(**event)
    made.save()
    return made


def audit_event(
    *,
    actor,
    action: str,
    target: models.Model,
    before: dict | None,
    after: dict | None,
    reason: str = "",
    subject=None,
    label: str | None = None,
) -> AuditEvent:
    """The audit event :func:`record_audit_event` writes, not yet written: for
    a change that writes it in its own statement (``accounts.model_rows``:
    ``insert_chain`` names the new record's id). ``action`` is a dotted name
    such as ``"exams.accommodation.set"``; ``subject`` is the person whose
    record changed (the learner, hire or candidate), so the log can be read
    person by person; ``label`` names the record where ``str(target)`` must not
    (blind grading)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "an audit event must be made inside the transaction of its change"
        )
    return AuditEvent(
        actor=actor if getattr(actor, "pk", None) else None,
        subject=subject,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_label=(label or str(target))[:255],
        before=before,
        after=after,
        reason=reason,
    )
