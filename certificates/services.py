"""Writes for certificates: issue, renew, revoke, PDFs, reminders, experience and
external certifications."""

from __future__ import annotations

import logging
import secrets
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import (
    audit_values,
    can_review_staff_work,
    can_revoke_certificates,
    queue_email,
    record_audit_event,
    site_url,
)
from courses.api import CoursePage, Enrollment
from exams.api import Attempt

from . import pdf
from .models import (
    DEFAULT_REMINDER_OFFSETS,
    AttestationStatus,
    Certificate,
    CertificateKind,
    CertificationLevelPage,
    ExperienceAttestation,
    ExternalCertification,
    ReminderSent,
    parse_offsets,
)
from .selectors import requirement_status

logger = logging.getLogger(__name__)
REMINDER_CATCH_UP_DAYS = 14
REMINDER_CHUNK = 500


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
    return certificate


def _queue_pdf(certificate_id: int) -> None:
    from .tasks import generate_certificate_pdf

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
    return _create_certification(
        user=user,
        level=level,
        today=today,
        starts=max(current.expires_on, today),
        attempt=passes.order_by("-graded_at").first(),
        cycle=current.cycle + 1,
        supersedes=current,
    )


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
    return locked


def certificate_data(certificate: Certificate) -> pdf.CertificateData:
    return pdf.CertificateData(
        holder_name=certificate.holder_name,
        title=certificate.title,
        kind="certification"
        if certificate.kind == CertificateKind.CERTIFICATION
        else "course completion",
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        serial=certificate.serial,
        verification_url=site_url(
            reverse("certificates:verify", args=[certificate.verification_code])
        ),
        score_percent=certificate.score,
    )


def generate_certificate_pdf(*, certificate_id: int) -> Certificate | None:
    """Render and store the certificate's PDF once; a second call does nothing."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        )
        if certificate is None or certificate.pdf:
            return certificate
        content = pdf.render_certificate_pdf(certificate_data(certificate))
        certificate.pdf.save(
            f"{certificate.serial}.pdf", ContentFile(content), save=False
        )
        Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
        return certificate


# --- experience -------------------------------------------------------------------------


@transaction.atomic
def attest_experience(
    *, user, level, months: int, description: str
) -> ExperienceAttestation:
    """Record (or replace, while pending) the learner's claim of experience."""
    if months <= 0 or months > 600:
        raise ValueError(_("Enter your experience in months (1 to 600)."))
    description = (description or "").strip()
    if len(description) < 20:
        raise ValueError(_("Describe your experience in a sentence or two."))
    attestation, _created = ExperienceAttestation.objects.update_or_create(
        user=user,
        level=level,
        defaults={
            "months": months,
            "description": description,
            "status": AttestationStatus.PENDING,
            "reviewed_by": None,
            "reviewed_at": None,
        },
    )
    return attestation


def review_experience(
    *, attestation: ExperienceAttestation, reviewer, approve: bool, note: str = ""
) -> ExperienceAttestation:
    """An examiner or mentor approves or rejects an attestation (not their own).
    Approval may complete the requirements, so it tries to issue the certificate."""
    if attestation.user_id == reviewer.pk or not can_review_staff_work(reviewer):
        raise PermissionDenied(_("You cannot review this attestation."))
    with transaction.atomic():
        attestation.status = (
            AttestationStatus.APPROVED if approve else AttestationStatus.REJECTED
        )
        attestation.reviewed_by = reviewer
        attestation.reviewed_at = timezone.now()
        attestation.review_note = note[:300]
        attestation.save()
    if approve:
        issue_certificate_if_eligible(user=attestation.user, level=attestation.level)
    return attestation


# --- external certifications ----------------------------------------------------------

MAX_PROOF_BYTES = 5 * 1024 * 1024
PROOF_SIGNATURES = {
    b"%PDF-": "pdf",
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpg",
}


def check_proof(upload) -> str:
    """The proof's file type from its first bytes; ValueError with a clear message."""
    if upload.size > MAX_PROOF_BYTES:
        raise ValueError(_("The proof must be 5 MB or smaller."))
    head = upload.read(16)
    upload.seek(0)
    for signature, extension in PROOF_SIGNATURES.items():
        if head.startswith(signature):
            return extension
    raise ValueError(_("The proof must be a PDF, PNG or JPEG file."))


@transaction.atomic
def record_external_certification(*, holder, proof, **fields) -> ExternalCertification:
    """A staff member records a certification from elsewhere, with proof.

    The proof is type-checked by content and size-checked before anything is
    stored; expiry (if any) must follow the issue date."""
    extension = check_proof(proof)
    if fields.get("expires_on") and fields["expires_on"] <= fields["issued_on"]:
        raise ValueError(_("The expiry date must be after the issue date."))
    external = ExternalCertification(holder=holder, **fields)
    external.proof.save(
        f"{holder.pk}-{timezone.now():%Y%m%d%H%M%S}.{extension}", proof, save=False
    )
    external.save()
    return external


@transaction.atomic
def review_external_certification(
    *, external: ExternalCertification, reviewer, approve: bool
) -> ExternalCertification:
    if external.holder_id == reviewer.pk or not can_review_staff_work(reviewer):
        raise PermissionDenied(_("You cannot review this certification."))
    external.status = (
        AttestationStatus.APPROVED if approve else AttestationStatus.REJECTED
    )
    external.reviewed_by = reviewer
    external.reviewed_at = timezone.now()
    external.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return external


# --- reminders ------------------------------------------------------------------------


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
