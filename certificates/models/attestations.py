"""Experience attestations: a candidate's claim of practical experience, approved by a mentor or admin."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.api import PersonRecord

from .programs import CertificationLevelPage


class AttestationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ExperienceAttestation(PersonRecord, models.Model):
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
