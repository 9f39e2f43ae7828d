"""Accommodations: extra time, attempts or a later closing date, granted by a training admin and audited."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.api import audit_values, is_training_admin, record_audit_event

from ..models import (
    Accommodation,
    ExamPage,
)

logger = logging.getLogger(__name__)


# What an admin edits on an accommodation, and what its audit events record.
ACCOMMODATION_EDITABLE_FIELDS = [
    "user",
    "exam",
    "extra_time_percent",
    "extra_attempts",
    "extended_closes_at",
    "note",
]
ACCOMMODATION_FIELDS = [*ACCOMMODATION_EDITABLE_FIELDS, "set_by"]
MAX_EXTRA_TIME_PERCENT = 400
MAX_EXTRA_ATTEMPTS = 10


def check_accommodation(
    *, user, set_by, extra_time_percent: int, extra_attempts: int
) -> None:
    """The rules an accommodation must meet (see :func:`set_accommodation`);
    raises ``PermissionDenied`` or ``ValueError`` with the reason, else nothing."""
    if not is_training_admin(set_by):
        raise PermissionDenied(_("Only training admins grant accommodations."))
    if user.pk == set_by.pk:
        raise ValueError(
            _("You cannot grant yourself an accommodation: ask another training admin.")
        )
    if not 0 <= extra_time_percent <= MAX_EXTRA_TIME_PERCENT:
        raise ValueError(
            _("Extra time must be between 0%% and %(max)s%%.")
            % {"max": MAX_EXTRA_TIME_PERCENT}
        )
    if not 0 <= extra_attempts <= MAX_EXTRA_ATTEMPTS:
        raise ValueError(
            _("Extra attempts must be between 0 and %(max)s.")
            % {"max": MAX_EXTRA_ATTEMPTS}
        )


@transaction.atomic
def set_accommodation(
    *,
    user,
    exam: ExamPage,
    set_by,
    extra_time_percent: int = 0,
    extra_attempts: int = 0,
    extended_closes_at=None,
    note: str = "",
) -> Accommodation:
    """Record a training admin's accommodation; applies to attempts started
    afterwards, and writes an audit event (before -> after) in the same
    transaction.

    Raises ``PermissionDenied`` unless ``set_by`` is a training admin, and
    ``ValueError`` for an accommodation of one's own or values out of range.
    """
    check_accommodation(
        user=user,
        set_by=set_by,
        extra_time_percent=extra_time_percent,
        extra_attempts=extra_attempts,
    )
    existing = (
        Accommodation.objects.select_for_update().filter(user=user, exam=exam).first()
    )
    before = audit_values(existing, ACCOMMODATION_FIELDS)
    accommodation, _created = Accommodation.objects.update_or_create(
        user=user,
        exam=exam,
        defaults={
            "extra_time_percent": extra_time_percent,
            "extra_attempts": extra_attempts,
            "extended_closes_at": extended_closes_at,
            "note": note,
            "set_by": set_by,
        },
    )
    record_audit_event(
        actor=set_by,
        action="exams.accommodation.set",
        target=accommodation,
        before=before,
        after=audit_values(accommodation, ACCOMMODATION_FIELDS),
        reason=note,
    )
    return accommodation
