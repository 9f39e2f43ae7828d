"""Issuing, renewing and revoking certificates."""

from __future__ import annotations

import logging
import secrets
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import (
    audit_values,
    can_revoke_certificates,
    record_audit_event,
)
from courses.api import CoursePage, Enrollment
from exams.api import Attempt

from ..models import (
    Certificate,
    CertificateKind,
    CertificationLevelPage,
)
from ..selectors import requirement_status
from ..signals import certificate_issued, certificate_revoked
from . import credentials

logger = logging.getLogger(__name__)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


# Letters and digits a person can read back over the phone (no 0/O, 1/I/L).
SERIAL_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SERIAL_RANDOM_LENGTH = 8


def _next_serial(prefix: str, year: int) -> str:
    """A new serial such as ``MWR-ASSO-2026-7KQ4M2XH``: random, so that no serial
    tells another holder's (counting serials let anyone walk the register)."""
    stem = f"MWR-{prefix}-{year}-"
    while True:
        serial = stem + "".join(
            secrets.choice(SERIAL_ALPHABET) for _ in range(SERIAL_RANDOM_LENGTH)
        )
        if not Certificate.objects.filter(serial=serial).exists():
            return serial


def _lock_holder(user) -> None:
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _create(**fields) -> Certificate | None:
    """Insert a certificate; None when the unique (holder, level/course, cycle)
    constraint says another transaction issued it first."""
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(**fields)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _queue_pdf(certificate.pk))
    transaction.on_commit(
        lambda: certificate_issued.send(sender=Certificate, certificate=certificate)
    )
    return certificate


def _queue_pdf(certificate_id: int) -> None:
    from ..tasks import generate_certificate_pdf

    generate_certificate_pdf.delay(certificate_id)


def current_certificate(user, level) -> Certificate | None:
    """The holder's newest unrevoked certificate of ``level`` (any expiry)."""
    return (
        Certificate.objects.filter(holder=user, level=level, revoked_at__isnull=True)
        .order_by("-cycle")
        .first()
    )


def issue_certificate_if_eligible(
    *, user, level: CertificationLevelPage, attempt: Attempt | None = None, today=None
) -> Certificate | None:
    """Issue ``level`` to ``user`` when every requirement is met; else None.

    Exactly once per holder, level and cycle: the holder's row is locked and a
    unique constraint backs it, so concurrent calls (e.g. duplicate
    ``attempt_passed`` handling) issue one certificate. A holder whose current
    certificate is inside its renewal window and who passes the renewal requirement
    gets a renewal: a new certificate that supersedes the old one and whose validity
    runs on from the old expiry date.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        _lock_holder(user)
        current = current_certificate(user, level)
        if current and not Certificate.objects.filter(supersedes=current).exists():
            return _renew_if_due(user=user, level=level, current=current, today=today)
        if current:
            return None
        status = requirement_status(user=user, level=level)
        if not status.met:
            return None
        score_attempt = attempt or status.best_attempt
        history = Certificate.objects.filter(holder=user, level=level)
        last_revoked = history.aggregate(at=Max("revoked_at"))["at"]
        if last_revoked and (
            score_attempt is None or score_attempt.graded_at <= last_revoked
        ):
            return None  # a revoked certificate is not re-earned by the same exam pass
        cycle = (history.aggregate(cycle=Max("cycle"))["cycle"] or 0) + 1
        return _create_certification(
            user=user,
            level=level,
            today=today,
            starts=today,
            attempt=score_attempt,
            cycle=cycle,
        )


def _create_certification(
    *, user, level, today, starts, attempt, cycle, supersedes=None
) -> Certificate | None:
    return _create(
        serial=_next_serial(level.code.upper()[:4], today.year),
        holder=user,
        holder_name=user.display_name,
        kind=CertificateKind.CERTIFICATION,
        level=level,
        title=level.title,
        issued_on=today,
        expires_on=add_months(starts, level.validity_months),
        score=attempt.percent if attempt else None,
        source_attempt=attempt,
        cycle=cycle,
        supersedes=supersedes,
    )


def _renew_if_due(*, user, level, current: Certificate, today) -> Certificate | None:
    window_opens = current.expires_on - timedelta(days=level.renewal_window_days)
    if today < window_opens:
        return None
    exam_ids = (
        [level.renewal_exam_id]
        if level.renewal_method == "renewal_exam" and level.renewal_exam_id
        else list(level.required_exams.values_list("exam_id", flat=True))
    )
    if not exam_ids:
        return None
    window_start = timezone.make_aware(
        timezone.datetime.combine(window_opens, timezone.datetime.min.time())
    )
    passes = Attempt.objects.filter(
        user=user, exam_id__in=exam_ids, passed=True, graded_at__gte=window_start
    )
    if set(passes.values_list("exam_id", flat=True)) != set(exam_ids):
        return None
    # Renewing early loses nothing: validity continues from the old expiry date.
    renewed = _create_certification(
        user=user,
        level=level,
        today=today,
        starts=max(current.expires_on, today),
        attempt=passes.order_by("-graded_at").first(),
        cycle=current.cycle + 1,
        supersedes=current,
    )
    credentials.status_changed()  # the renewed one is superseded now
    return renewed


def issue_course_certificate(
    *, user, course: CoursePage, today=None
) -> Certificate | None:
    """Issue a completion certificate for a course that awards one (exactly once)."""
    if not course.certificate_validity_months:
        return None
    today = today or timezone.localdate()
    completed = Enrollment.objects.filter(
        user=user, course=course, completed_at__isnull=False
    ).exists()
    if not completed:
        return None
    with transaction.atomic():
        _lock_holder(user)
        if Certificate.objects.filter(holder=user, course=course).exists():
            return None
        return _create(
            serial=_next_serial("CRS", today.year),
            holder=user,
            holder_name=user.display_name,
            kind=CertificateKind.COURSE,
            course=course,
            title=course.title,
            issued_on=today,
            expires_on=add_months(today, course.certificate_validity_months),
            cycle=1,
        )


def issue_for_passed_attempt(*, attempt: Attempt) -> list[Certificate]:
    """Every certification that ``attempt`` completes (the attempt_passed receiver)."""
    levels = CertificationLevelPage.objects.live().filter(
        required_exams__exam_id=attempt.exam_id
    ) | CertificationLevelPage.objects.live().filter(renewal_exam_id=attempt.exam_id)
    issued = []
    for level in levels.distinct():
        certificate = issue_certificate_if_eligible(
            user=attempt.user, level=level, attempt=attempt
        )
        if certificate:
            issued.append(certificate)
    return issued


@transaction.atomic
def revoke_certificate(
    *, certificate: Certificate, revoked_by, reason: str
) -> Certificate:
    """Mark a certificate revoked (kept, never deleted). Examiners and training
    admins only; a reason is required; revoking twice keeps the first record."""
    if not can_revoke_certificates(revoked_by):
        raise PermissionDenied(_("Only examiners and training admins can revoke."))
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(_("Give the reason for revoking this certificate."))
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at:
        return locked
    fields = ["revoked_at", "revoked_by", "revocation_reason"]
    before = audit_values(locked, fields)
    Certificate.objects.filter(pk=locked.pk).update(
        revoked_at=timezone.now(), revoked_by=revoked_by, revocation_reason=reason
    )
    locked.refresh_from_db()
    record_audit_event(
        actor=revoked_by,
        subject=locked.holder,
        action="certificates.certificate.revoke",
        target=locked,
        before=before,
        after=audit_values(locked, fields),
        reason=reason,
    )
    credentials.status_changed()
    certificate_revoked.send(sender=Certificate, certificate=locked)
    return locked
