"""Certification programmes and levels as Wagtail pages: what a level requires, how long it lasts and how it is renewed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from courses.api import Audience

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
        from ..selectors import program_overview

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
        choices=[(a.value, a.label) for a in (Audience.CUSTOMERS, Audience.INTERNAL)],
        default=Audience.CUSTOMERS,
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
        from ..selectors import level_detail

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
