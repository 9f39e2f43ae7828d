"""Learner data: enrolments, module progress and prerequisite exemptions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.api import PersonRecord

from .pages import CoursePage, ModulePage, resume_point


class Enrollment(models.Model):
    """A learner's place in a course; never deleted when the course is edited."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.PROTECT, related_name="enrollments"
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    last_module = models.ForeignKey(
        ModulePage,
        verbose_name=_("last opened lesson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    final_exam_passed_at = models.DateTimeField(
        _("final exam passed at"), null=True, blank=True
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="unique_enrollment"
            ),
            # No data, however it arrives, can complete a course before enrolling.
            models.CheckConstraint(
                condition=models.Q(completed_at__isnull=True)
                | models.Q(completed_at__gte=models.F("enrolled_at")),
                name="completed_after_enrolled",
            ),
        ]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.course}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    def resume_module(self) -> ModulePage | None:
        """Where this learner picks the course up (:func:`resume_point`)."""
        modules = list(ModulePage.objects.child_of(self.course).live())
        completed = set(
            self.module_progress.filter(completed_at__isnull=False).values_list(
                "module_id", flat=True
            )
        )
        return resume_point(
            modules, last_module_id=self.last_module_id, completed_ids=completed
        )


class ModuleProgress(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="module_progress"
    )
    module = models.ForeignKey(ModulePage, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("first opened"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "module"], name="unique_module_progress"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} - {self.module}"


class PrerequisiteExemption(PersonRecord, models.Model):
    """A training admin let this learner into a course without its prerequisites."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("prerequisite exemption")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="unique_exemption")
        ]

    def __str__(self) -> str:
        return f"{self.user} exempted for {self.course}"


class CardStatus(models.TextChoices):
    """Where a learner stands with a course, as its card and page show it."""

    AVAILABLE = "available", _("Available")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    LOCKED = "locked", _("Locked")
