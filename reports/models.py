"""Stored item-analysis results: computed by a task, read by the report pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExamAnalysis(models.Model):
    """The latest item analysis of one exam (replaced on every refresh)."""

    exam = models.OneToOneField(
        "exams.ExamPage",
        verbose_name=_("exam"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed at"))
    attempts = models.PositiveIntegerField(_("graded attempts"))
    mean_percent = models.FloatField(_("mean score (%)"), null=True, blank=True)
    items_per_attempt = models.FloatField(_("questions per attempt"), default=0)
    reliability = models.FloatField(_("reliability"), null=True, blank=True)
    reliability_method = models.CharField(
        _("reliability method"), max_length=30, blank=True
    )
    sem = models.FloatField(
        _("standard error of measurement (points)"), null=True, blank=True
    )
    flagged_questions = models.PositiveIntegerField(_("flagged questions"), default=0)

    class Meta:
        verbose_name = _("exam item analysis")
        verbose_name_plural = _("exam item analyses")
        ordering = ["exam__title"]

    def __str__(self) -> str:
        return f"{self.exam} ({self.computed_at:%Y-%m-%d})"


class QuestionAnalysis(models.Model):
    """One question's statistics within an :class:`ExamAnalysis`."""

    analysis = models.ForeignKey(
        ExamAnalysis, on_delete=models.CASCADE, related_name="questions"
    )
    question = models.ForeignKey(
        "exams.Question",
        verbose_name=_("question"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bank = models.ForeignKey(
        "exams.QuestionBank",
        verbose_name=_("question bank"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    label = models.CharField(_("question"), max_length=300)
    question_type = models.CharField(_("type"), max_length=20, blank=True)
    exposure = models.PositiveIntegerField(_("times drawn"))
    exposure_rate = models.FloatField(_("exposure"))
    facility = models.FloatField(_("facility"), null=True, blank=True)
    discrimination = models.FloatField(
        _("discrimination (upper-lower 27%)"), null=True, blank=True
    )
    point_biserial = models.FloatField(_("point-biserial"), null=True, blank=True)
    options = models.JSONField(_("choices picked"), default=list, blank=True)
    unanswered = models.PositiveIntegerField(_("unanswered"), default=0)
    too_easy = models.BooleanField(_("too easy"), default=False)
    too_hard = models.BooleanField(_("too hard"), default=False)
    low_discrimination = models.BooleanField(_("low discrimination"), default=False)
    flagged = models.BooleanField(_("flagged"), default=False)

    class Meta:
        verbose_name = _("question item analysis")
        verbose_name_plural = _("question item analyses")
        ordering = ["analysis", "-flagged", "facility", "pk"]
        indexes = [models.Index(fields=["analysis", "flagged"])]

    def __str__(self) -> str:
        return self.label

    @property
    def flag_labels(self) -> list[str]:
        labels = []
        if self.too_easy:
            labels.append(str(_("too easy")))
        if self.too_hard:
            labels.append(str(_("too hard")))
        if self.low_discrimination:
            labels.append(str(_("low discrimination")))
        return labels
