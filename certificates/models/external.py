"""Certifications earned elsewhere that a learner records for the team to see."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.api import PersonRecord

from .attestations import AttestationStatus


class ExternalCertification(PersonRecord, models.Model):
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
