"""Markings of practical work, their history, and appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.api import PersonRecord

from .attempts import Attempt


class MarkingRole(models.TextChoices):
    FIRST = "first", _("First marking")
    SECOND = "second", _("Second marking")
    LEAD = "lead", _("Lead examiner's decision")
    APPEAL = "appeal", _("Appeal re-grade")


LEAD_ROLES = (MarkingRole.LEAD, MarkingRole.APPEAL)


class Marking(PersonRecord, models.Model):
    """One examiner's grading of an attempt's practical tasks against the rubric.

    Markings are never edited after submission: a change of result is a new
    marking (second, lead or appeal), so who graded what and when is kept.
    """

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="markings"
    )
    role = models.CharField(_("role"), max_length=10, choices=MarkingRole.choices)
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("examiner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="markings",
    )
    created_at = models.DateTimeField(_("waiting since"))
    claimed_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    levels = models.JSONField(
        default=dict, blank=True, help_text="{position: {criterion id: level id}}"
    )
    feedback = models.TextField(_("feedback to the candidate"), blank=True)
    points = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True
    )
    percent = models.DecimalField(
        _("practical score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("marking")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "role"], name="one_marking_per_attempt_and_role"
            )
        ]
        indexes = [models.Index(fields=["submitted_at", "created_at"])]
        permissions = [
            ("grade_marking", "Can grade practical work"),
            ("decide_marking", "Can decide disagreements and appeals (lead examiner)"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} - {self.get_role_display()}"

    @property
    def is_done(self) -> bool:
        return self.submitted_at is not None


class MarkingEvent(models.Model):
    """The grading audit trail: who did what to an attempt's result, and when."""

    class Action(models.TextChoices):
        QUEUED = "queued", _("Queued for grading")
        TAKEN = "taken", _("Taken by an examiner")
        RELEASED = "released", _("Given back to the queue")
        GRADED = "graded", _("Graded")
        SECOND_REQUESTED = "second_requested", _("Second marking requested")
        LEAD_REQUESTED = "lead_requested", _("Sent to a lead examiner")
        FINALISED = "finalised", _("Result released")
        APPEALED = "appealed", _("Appeal lodged")
        APPEAL_DECIDED = "appeal_decided", _("Appeal decided")

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="marking_events"
    )
    marking = models.ForeignKey(
        Marking, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("grading event")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.attempt_id} {self.action}"


class Appeal(models.Model):
    """A candidate's one appeal against a graded practical, and its outcome."""

    attempt = models.OneToOneField(
        Attempt, on_delete=models.CASCADE, related_name="appeal"
    )
    reason = models.TextField(_("reason"))
    lodged_at = models.DateTimeField(_("lodged at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    previous_percent = models.DecimalField(max_digits=5, decimal_places=2)
    previous_passed = models.BooleanField()
    new_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True
    )
    new_passed = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")

    def __str__(self) -> str:
        return f"Appeal on {self.attempt}"

    @property
    def changed_result(self) -> bool:
        return self.new_passed is not None and self.new_passed != self.previous_passed
