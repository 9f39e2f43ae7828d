"""Assigned training: what is required of whom, by when, and each person's cycles.

An :class:`Assignment` is the rule a training admin, an organisation admin or a
manager sets ("Security awareness for everyone in Support hires, due 30 days after
it reaches them, every 12 months"). Each person it reaches gets a
:class:`PersonAssignment` per cycle: its due date, when it was completed and how,
an exemption if one was granted. Reminders sent are recorded so each goes out once.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from accounts.api import BulkWritesForget, Organization
from certificates.api import parse_offsets
from onboarding.api import Cohort

from .kept_rows import ROWS

DEFAULT_REMINDER_DAYS = "14, 7, 1"


class AudienceKind(models.TextChoices):
    PEOPLE = "people", _("Chosen people")
    ORGANIZATION = "organization", _("Everyone in an organisation")
    ROLE = "role", _("Everyone with a role")
    COHORT = "cohort", _("Everyone in an onboarding cohort")


# The field that names who an audience of each kind is.
AUDIENCE_FIELD = {
    AudienceKind.PEOPLE: "people",
    AudienceKind.ORGANIZATION: "organization",
    AudienceKind.ROLE: "role",
    AudienceKind.COHORT: "cohort",
}


class DueFrom(models.TextChoices):
    ASSIGNED = "assigned", _("the day it reaches the person")
    HIRE_DATE = "hire_date", _("the person's start date")


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Assignment(models.Model):
    item = models.ForeignKey(
        Page,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("course, path or certification"),
    )
    audience = models.CharField(
        _("assigned to"), max_length=20, choices=AudienceKind.choices
    )
    people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("people")
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    role = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("role"),
    )
    cohort = models.ForeignKey(
        Cohort,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("cohort"),
    )
    keeps_matching = models.BooleanField(
        _("keeps matching"),
        default=True,
        help_text=_(
            "People who join the organisation, role or cohort later get it too."
        ),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    due_days = models.PositiveSmallIntegerField(
        _("due after (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(3650)],
    )
    due_from = models.CharField(
        _("counted from"),
        max_length=20,
        choices=DueFrom.choices,
        default=DueFrom.ASSIGNED,
    )
    recur_months = models.PositiveSmallIntegerField(
        _("repeat every (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Counted from each completion; empty for once only."),
    )
    window_days = models.PositiveSmallIntegerField(
        _("opens before the next due date (days)"),
        default=30,
        validators=[MaxValueValidator(365)],
    )
    reminder_days = models.CharField(
        _("remind before the due date (days)"),
        max_length=50,
        default=DEFAULT_REMINDER_DAYS,
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("tell the manager after (days overdue)"),
        default=3,
        validators=[MaxValueValidator(365)],
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~(
                    models.Q(due_on__isnull=False) & models.Q(due_days__isnull=False)
                ),
                name="assignment_one_kind_of_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.title} ({self.get_audience_display()})"

    def clean(self):
        needed = AUDIENCE_FIELD.get(self.audience)
        if needed and needed != "people" and getattr(self, f"{needed}_id") is None:
            raise ValidationError({needed: _("Choose who it is assigned to.")})
        if self.due_on and self.due_days is not None:
            raise ValidationError(
                _("Give a fixed due date or a number of days, not both.")
            )
        try:
            days = parse_offsets(self.reminder_days)
        except ValueError:
            days = None
        if days is None or any(day > 365 for day in days):
            raise ValidationError(
                {
                    "reminder_days": _(
                        "Write whole numbers of days up to 365, separated by commas."
                    )
                }
            )


class PersonAssignmentQuerySet(BulkWritesForget, models.QuerySet):
    # A bulk write names the people it touched (``assignments.kept_rows``).
    kept_per_person = ROWS


class PersonAssignment(models.Model):
    """One person's cycle of one assignment."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="rows"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assigned_training",
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    assigned_at = models.DateTimeField(_("reached the person at"))
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    opens_on = models.DateField(
        _("open from"),
        null=True,
        blank=True,
        help_text=_("A repeat cycle opens this many days before it is due."),
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.CharField(
        _("completed by"), max_length=200, blank=True
    )  # "course completed", "certificate MWR-ASC-…", for the record
    exempt_until = models.DateField(_("exempt until"), null=True, blank=True)
    exempt_reason = models.TextField(_("reason for the exemption"), blank=True)
    left_audience_at = models.DateTimeField(
        _("stopped matching at"), null=True, blank=True
    )

    objects = PersonAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assigned training")
        verbose_name_plural = _("assigned training")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "person", "cycle"],
                name="unique_assignment_person_cycle",
            )
        ]
        indexes = [models.Index(fields=["person", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.assignment.item.title} for {self.person} (cycle {self.cycle})"


class AssignmentReminder(models.Model):
    """A reminder sent, once per cycle and threshold ("before:7", "due",
    "overdue", "manual:2026-12-04"): the unique constraint is the guarantee."""

    row = models.ForeignKey(
        PersonAssignment, on_delete=models.CASCADE, related_name="reminders"
    )
    threshold = models.CharField(_("threshold"), max_length=30)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment reminder")
        constraints = [
            models.UniqueConstraint(
                fields=["row", "threshold"], name="unique_assignment_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.threshold} for {self.row_id}"


class DigestSent(models.Model):
    """A manager's daily or an organisation admin's weekly digest, once per period."""

    class Kind(models.TextChoices):
        MANAGER_DAILY = "manager_daily", _("manager, daily")
        ORGANIZATION_WEEKLY = "organization_weekly", _("organisation admin, weekly")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    period = models.DateField(_("day or week starting"))
    people = models.PositiveIntegerField(_("overdue people listed"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("overdue digest")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "period"], name="unique_digest_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} digest to {self.recipient_id} for {self.period}"
