"""Certifications: levels (pages), certificates and reminders (learner records)."""

from __future__ import annotations

import secrets
import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

DEFAULT_REMINDER_OFFSETS = "90,30,7,0"


def parse_offsets(text: str) -> list[int]:
    """ "90, 30,7,0" -> [90, 30, 7, 0] (descending, unique, non-negative)."""
    offsets = set()
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(f"'{part}' is not a whole number of days")
        offsets.add(int(part))
    return sorted(offsets, reverse=True)


class CertificationProgramPage(Page):
    intro = RichTextField(_("introduction"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["certificates.CertificationLevelPage"]
    max_count = 1

    class Meta:
        verbose_name = _("certification program")

    def get_context(self, request, *args, **kwargs):
        from .selectors import program_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(program_overview(program=self, user=request.user))
        return context


class RenewalMethod(models.TextChoices):
    RENEWAL_EXAM = "renewal_exam", _("Pass the renewal exam")
    FULL_EXAM = "full_exam", _("Pass the full certification exam again")


class CertificationLevelPage(Page):
    """A certification: what earns it, how long it lasts, how it is renewed."""

    code = models.SlugField(
        _("code"), max_length=50, unique=True, help_text=_("Printed in serial numbers.")
    )
    audience = models.CharField(
        _("audience"),
        max_length=20,
        choices=[("customers", _("Customers")), ("internal", _("Internal staff"))],
        default="customers",
    )
    summary = models.CharField(_("summary"), max_length=300)
    description = RichTextField(_("description"), blank=True)
    required_experience_months = models.PositiveSmallIntegerField(
        _("required experience (months)"),
        default=0,
        help_text=_("Attested by the learner, approved by an examiner or mentor."),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), default=36
    )
    renewal_window_days = models.PositiveSmallIntegerField(
        _("renewal opens (days before expiry)"), default=90
    )
    renewal_method = models.CharField(
        _("renewal"), max_length=20, choices=RenewalMethod.choices, default="full_exam"
    )
    renewal_exam = models.ForeignKey(
        "exams.ExamPage",
        verbose_name=_("renewal exam"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminder_offsets = models.CharField(
        _("reminders (days before expiry)"),
        max_length=100,
        default=DEFAULT_REMINDER_OFFSETS,
        help_text=_("Comma-separated, e.g. 90,30,7,0 (0 = on the day it expires)."),
    )
    benefits = models.TextField(_("benefits"), blank=True, help_text=_("One per line."))

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("code"), FieldPanel("audience")]),
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                InlinePanel("required_exams", label=_("Exams to pass")),
                InlinePanel("required_courses", label=_("Courses to complete")),
                FieldPanel("required_experience_months"),
            ],
            heading=_("Requirements"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("validity_months"), FieldPanel("renewal_window_days")]
                ),
                FieldRowPanel(
                    [FieldPanel("renewal_method"), FieldPanel("renewal_exam")]
                ),
                FieldPanel("reminder_offsets"),
            ],
            heading=_("Validity and renewal"),
        ),
        FieldPanel("benefits"),
    ]
    parent_page_types = ["certificates.CertificationProgramPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("certification level")

    def clean(self):
        super().clean()
        try:
            parse_offsets(self.reminder_offsets)
        except ValueError as exc:
            raise ValidationError({"reminder_offsets": str(exc)}) from exc
        if (
            self.renewal_method == RenewalMethod.RENEWAL_EXAM
            and not self.renewal_exam_id
        ):
            raise ValidationError({"renewal_exam": _("Choose the renewal exam.")})

    @property
    def offsets(self) -> list[int]:
        return parse_offsets(self.reminder_offsets)

    @property
    def benefit_list(self) -> list[str]:
        return [line.strip() for line in self.benefits.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        from .selectors import level_detail

        context = super().get_context(request, *args, **kwargs)
        context.update(level_detail(level=self, user=request.user))
        return context


class LevelRequiredExam(Orderable):
    level = ParentalKey(
        CertificationLevelPage, on_delete=models.CASCADE, related_name="required_exams"
    )
    exam = models.ForeignKey(
        "exams.ExamPage",
        verbose_name=_("exam"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    panels = [FieldPanel("exam")]


class LevelRequiredCourse(Orderable):
    level = ParentalKey(
        CertificationLevelPage,
        on_delete=models.CASCADE,
        related_name="required_courses",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    panels = [FieldPanel("course")]


class AttestationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ExperienceAttestation(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    level = models.ForeignKey(
        CertificationLevelPage, on_delete=models.CASCADE, related_name="+"
    )
    months = models.PositiveSmallIntegerField(_("months of experience"))
    description = models.TextField(_("what you did"))
    status = models.CharField(
        max_length=20, choices=AttestationStatus.choices, default="pending"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("experience attestation")
        constraints = [
            models.UniqueConstraint(fields=["user", "level"], name="one_attestation")
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.level} ({self.months} months)"


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
    Python; a test holds the two together.

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


class CertificateQuerySet(models.QuerySet):
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


class Certificate(models.Model):
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


class ExternalCertification(models.Model):
    """A certification earned elsewhere (CompTIA, ITIL, cloud, quantum), recorded by
    a staff member with proof and approved by a mentor or admin."""

    class Category(models.TextChoices):
        SECURITY = "security", _("Security (e.g. CompTIA Security+)")
        ITIL = "itil", _("ITIL")
        CLOUD = "cloud", _("Cloud (AWS, Azure, GCP)")
        QUANTUM = "quantum", _("Quantum computing")
        OTHER = "other", _("Other")

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_certifications",
    )
    name = models.CharField(_("certification"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    credential_id = models.CharField(_("credential ID"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    proof = models.FileField(_("proof"), upload_to="external-certifications/%Y/")
    status = models.CharField(
        max_length=20, choices=AttestationStatus.choices, default="pending"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("external certification")
        ordering = ["-issued_on"]
        indexes = [models.Index(fields=["expires_on"], name="external_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.issuer}) - {self.holder}"


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
