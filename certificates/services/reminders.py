"""Reminders before a certificate expires."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.api import (
    queue_email,
    site_url,
)

from ..models import (
    DEFAULT_REMINDER_OFFSETS,
    AttestationStatus,
    Certificate,
    CertificateKind,
    CertificationLevelPage,
    ExternalCertification,
    ReminderSent,
    parse_offsets,
)
from ..signals import certificate_expiring

logger = logging.getLogger(__name__)


REMINDER_CATCH_UP_DAYS = 14
REMINDER_CHUNK = 500


def due_offset(days_left: int, offsets: list[int]) -> int | None:
    """The latest reminder due when ``days_left`` remain (a missed run catches up
    with this one only, never a burst of older ones)."""
    if days_left < -REMINDER_CATCH_UP_DAYS:
        return None
    due = [offset for offset in offsets if days_left <= offset]
    return min(due) if due else None


def _bands(offsets: list[int]) -> list[tuple[int, int, int]]:
    """(offset, lowest days_left, highest days_left) for which ``offset`` is due."""
    ordered = sorted(offsets)
    bands = []
    for index, offset in enumerate(ordered):
        low = ordered[index - 1] + 1 if index else -REMINDER_CATCH_UP_DAYS
        bands.append((offset, low, offset))
    return bands


def _send_reminder(*, offset: int, certificate=None, external=None, today) -> bool:
    """Claim (certificate, offset) with a unique row and queue the e-mail, in one
    transaction; False if it was already claimed."""
    target = certificate or external
    holder = target.holder
    recipients = [holder.email]
    if holder.manager_id and holder.manager and holder.manager.email:
        recipients.append(holder.manager.email)
    days_left = (target.expires_on - today).days
    context = {
        "holder": holder,
        "name": target.title if certificate else target.name,
        "expires_on": target.expires_on,
        "days_left": days_left,
        "offset": offset,
        "renew_url": site_url(
            certificate.level.url
            if certificate and certificate.level
            else "/dashboard/"
        ),
        "external": external is not None,
    }
    try:
        with transaction.atomic():
            reminder = ReminderSent.objects.create(
                certificate=certificate, external=external, offset_days=offset
            )
            email = queue_email(
                to=recipients,
                subject=render_to_string(
                    "certificates/email/reminder_subject.txt", context
                ),
                body_text=render_to_string("certificates/email/reminder.txt", context),
                body_html=render_to_string("certificates/email/reminder.html", context),
            )
            ReminderSent.objects.filter(pk=reminder.pk).update(email=email)
            if certificate is not None:
                certificate_expiring.send(
                    sender=type(certificate),
                    certificate=certificate,
                    days_left=days_left,
                )
    except IntegrityError:
        return False
    return True


def send_expiry_reminders(*, today: date | None = None) -> int:
    """The daily job: one reminder per certificate and offset, whatever reruns,
    retries or parallel runs happen. Reads certificates through the expiry index in
    chunks, only those due and not yet reminded, so its cost follows the number due.
    Returns how many reminders were queued now."""
    today = today or timezone.localdate()
    sent = 0
    offset_sets: dict[tuple[int, ...], list] = {}
    for level_id, text in CertificationLevelPage.objects.values_list(
        "pk", "reminder_offsets"
    ):
        offset_sets.setdefault(tuple(parse_offsets(text)), []).append(level_id)
    default = tuple(parse_offsets(DEFAULT_REMINDER_OFFSETS))
    groups = [
        (offsets, {"level_id__in": level_ids})
        for offsets, level_ids in offset_sets.items()
    ]
    groups.append((default, {"kind": CertificateKind.COURSE}))
    for offsets, scope in groups:
        for offset, low, high in _bands(list(offsets)):
            already = ReminderSent.objects.filter(
                certificate=OuterRef("pk"), offset_days=offset
            )
            due = (
                Certificate.objects.valid_on(today)
                .filter(
                    expires_on__gte=today + timedelta(days=low),
                    expires_on__lte=today + timedelta(days=high),
                    **scope,
                )
                .exclude(Exists(already))
                .select_related("holder__manager", "level")
                .order_by("expires_on", "pk")
            )
            for certificate in due.iterator(chunk_size=REMINDER_CHUNK):
                sent += _send_reminder(
                    offset=offset, certificate=certificate, today=today
                )
    for offset, low, high in _bands(list(default)):
        already = ReminderSent.objects.filter(
            external=OuterRef("pk"), offset_days=offset
        )
        due = (
            ExternalCertification.objects.filter(
                status=AttestationStatus.APPROVED,
                expires_on__gte=today + timedelta(days=low),
                expires_on__lte=today + timedelta(days=high),
            )
            .exclude(Exists(already))
            .select_related("holder__manager")
            .order_by("expires_on", "pk")
        )
        for external in due.iterator(chunk_size=REMINDER_CHUNK):
            sent += _send_reminder(offset=offset, external=external, today=today)
    return sent
