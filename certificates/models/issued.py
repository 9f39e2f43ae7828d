"""Issued certificates, their states on a given day, their private PDFs, and the reminders sent before they expire."""

from __future__ import annotations

import secrets
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.api import BulkWritesForget, PersonRecord

from ..held import HELD
from .external import ExternalCertification
from .programs import CertificationLevelPage


def new_verification_code() -> str:
    return secrets.token_urlsafe(16)


class CertificateKind(models.TextChoices):
    CERTIFICATION = "certification", _("Certification")
    COURSE = "course", _("Course completion")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded by a renewal")


# A valid certificate "expires soon" within this many days (the dashboard's warning,
# the reports' "expiring" column).
EXPIRING_WITHIN_DAYS = 90


def certificate_states(
    day: date, prefix: str = "", *, expiring_within_days: int = EXPIRING_WITHIN_DAYS
) -> dict[str, Q]:
    """The one definition of a certificate's state on ``day``, as query conditions.

    ``prefix`` reaches certificates through a relation (``"certificates__"`` from
    a user). :meth:`Certificate.status_on` is the same rule for one certificate in
    Python, and :func:`is_expiring` its "expiring"; tests hold them together.

    - valid: not revoked, not superseded by a renewal, and not past its expiry
      (a certificate without an expiry date stays valid);
    - expiring: valid and expiring within ``expiring_within_days``;
    - expired, revoked, superseded: the other states, each exclusive.
    """

    def q(**lookups) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    live = q(revoked_at__isnull=True) & q(superseded_by__isnull=True)
    valid = live & (q(expires_on__isnull=True) | q(expires_on__gte=day))
    return {
        CertificateStatus.VALID: valid,
        "expiring": live
        & q(
            expires_on__gte=day,
            expires_on__lte=day + timedelta(days=expiring_within_days),
        ),
        CertificateStatus.EXPIRED: live & q(expires_on__lt=day),
        CertificateStatus.REVOKED: q(revoked_at__isnull=False),
        CertificateStatus.SUPERSEDED: q(revoked_at__isnull=True)
        & q(superseded_by__isnull=False),
    }


def is_expiring(
    status: str,
    days_left: int | None,
    *,
    expiring_within_days: int = EXPIRING_WITHIN_DAYS,
) -> bool:
    """The "expiring" state of :func:`certificate_states` for one certificate in
    Python, from its status and days to expiry on the day (a test holds the two
    together)."""
    return (
        status == CertificateStatus.VALID
        and days_left is not None
        and days_left <= expiring_within_days
    )


class CertificateQuerySet(BulkWritesForget, models.QuerySet):
    # A bulk write names the holders it touched (``certificates.held``).
    kept_per_person = HELD
    person_field = "holder_id"

    def valid_on(self, day: date | None = None):
        """Certificates valid on ``day`` (today by default): the verify page, the
        dashboard, prerequisites and the reports all count with this."""
        day = day or timezone.localdate()
        return self.filter(certificate_states(day)[CertificateStatus.VALID])

    def in_state(self, state: str, day: date | None = None):
        return self.filter(certificate_states(day or timezone.localdate())[state])


PRINTED_FIELDS = (
    "serial",
    "verification_code",
    "holder_id",
    "holder_name",
    "kind",
    "level_id",
    "course_id",
    "title",
    "issued_on",
    "expires_on",
    "score",
    "cycle",
    "supersedes_id",
)


def private_storage():
    """Where certificate PDFs live: never under MEDIA_URL, read only by views that
    check who asks."""
    return storages["private"]


def certificate_pdf_path(_instance, _filename: str) -> str:
    """A random name: nothing in it (year, serial, holder) can be guessed."""
    return f"certificates/{uuid.uuid4().hex}.pdf"


class Certificate(PersonRecord, models.Model):
    """An issued certificate. Immutable once issued: renewal issues a new one that
    supersedes it, and revocation is a status, never a deletion."""

    serial = models.CharField(_("serial number"), max_length=40, unique=True)
    verification_code = models.CharField(
        max_length=40, unique=True, default=new_verification_code, editable=False
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    holder_name = models.CharField(_("name as printed"), max_length=200)
    # Set when the holder's personal data was erased: the certificate stays
    # verifiable, without a name, and its files and credentials are gone.
    holder_erased_on = models.DateField(
        _("holder's data erased on"), null=True, blank=True
    )
    kind = models.CharField(max_length=20, choices=CertificateKind.choices)
    level = models.ForeignKey(
        CertificationLevelPage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title as printed"), max_length=255)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    cycle = models.PositiveSmallIntegerField(
        _("certification cycle"),
        default=1,
        help_text=_("1 when first earned; +1 per renewal."),
    )
    # This certificate's bit in the published revocation status list, drawn at
    # random when its credential is first made (see ``services.credentials``).
    status_index = models.PositiveIntegerField(
        _("status list index"), null=True, blank=True, unique=True, editable=False
    )
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    source_attempt = models.ForeignKey(
        "exams.Attempt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pdf = models.FileField(
        _("PDF"),
        upload_to=certificate_pdf_path,
        storage=private_storage,
        blank=True,
        max_length=255,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "level", "cycle"],
                condition=Q(level__isnull=False),
                name="one_certificate_per_holder_level_cycle",
            ),
            models.UniqueConstraint(
                fields=["holder", "course", "cycle"],
                condition=Q(course__isnull=False),
                name="one_certificate_per_holder_course_cycle",
            ),
        ]
        indexes = [models.Index(fields=["expires_on"], name="certificate_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.serial} {self.title} - {self.holder_name}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = (
                Certificate.objects.filter(pk=self.pk).values(*PRINTED_FIELDS).first()
            )
            if stored and any(stored[f] != getattr(self, f) for f in PRINTED_FIELDS):
                raise ValidationError(
                    _("An issued certificate cannot be changed; renew or revoke it.")
                )
        super().save(*args, **kwargs)

    @property
    def verification_url(self) -> str:
        """The public page anyone can check this certificate on (absolute)."""
        from accounts.api import site_url  # accounts.api needs the app registry

        return site_url(reverse("certificates:verify", args=[self.verification_code]))

    def status_on(self, today: date | None = None, *, superseded: bool | None = None):
        today = today or timezone.localdate()
        if self.revoked_at:
            return CertificateStatus.REVOKED
        if superseded is None:
            superseded = Certificate.objects.filter(supersedes=self).exists()
        if superseded:
            return CertificateStatus.SUPERSEDED
        if self.expires_on and self.expires_on < today:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    def days_to_expiry(self, today: date | None = None) -> int | None:
        if not self.expires_on:
            return None
        return (self.expires_on - (today or timezone.localdate())).days


class ReminderSent(models.Model):
    """One expiry reminder, once per certificate and offset: this row's unique
    constraint is what guarantees "exactly once", whatever retries happen."""

    certificate = models.ForeignKey(
        Certificate,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    external = models.ForeignKey(
        ExternalCertification,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    offset_days = models.SmallIntegerField(_("days before expiry"))
    created_at = models.DateTimeField(auto_now_add=True)
    email = models.ForeignKey(
        "accounts.OutboundEmail", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("reminder sent")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "offset_days"],
                condition=Q(certificate__isnull=False),
                name="one_reminder_per_certificate_offset",
            ),
            models.UniqueConstraint(
                fields=["external", "offset_days"],
                condition=Q(external__isnull=False),
                name="one_reminder_per_external_offset",
            ),
            models.CheckConstraint(
                condition=Q(certificate__isnull=False) ^ Q(external__isnull=False),
                name="reminder_for_exactly_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id or self.external_id} @{self.offset_days}"
