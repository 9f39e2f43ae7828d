"""The support onboarding program: weeks and activities (pages), cohorts and the
hires' progress (records). Imported by ``courses.models``."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from accounts.api import PersonRecord, validate_time_zone

from . import schedule


class OnboardingProgramPage(Page):
    intro = RichTextField(_("introduction"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["onboarding.OnboardingWeekPage"]
    max_count = 1

    class Meta:
        verbose_name = _("onboarding program")

    def serve(self, request, *args, **kwargs):
        """Only staff see the program; the page shows the signed-in hire's cohort."""
        from django.contrib.auth.views import redirect_to_login
        from django.http import Http404

        from accounts.api import is_internal_staff

        if not request.user.is_authenticated:
            return redirect_to_login(self.url)
        if not is_internal_staff(request.user):
            raise Http404
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .selectors import hire_overview

        context = super().get_context(request, *args, **kwargs)
        context.update(hire_overview(program=self, user=request.user))
        return context


class OnboardingWeekPage(Page):
    number = models.PositiveSmallIntegerField(_("week number"))
    topics = models.TextField(_("topics"), help_text=_("One per line."))
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("number"),
        FieldPanel("topics"),
        FieldPanel("intro"),
        InlinePanel("activities", label=_("Activities")),
    ]
    parent_page_types = ["onboarding.OnboardingProgramPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("onboarding week")

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]

    def serve(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        return redirect(self.get_parent().url + f"#week-{self.number}")


class ActivityKind(models.TextChoices):
    LESSON = "lesson", _("Lesson")
    WORKSHOP = "workshop", _("Workshop")
    LAB = "lab", _("Lab exercise")
    SHADOWING = "shadowing", _("Shadowing")
    EXPLORATION = "exploration", _("Knowledge base exploration")
    MOCK_CALL = "mock_call", _("Mock call")
    PRACTICE = "practice", _("Ticket practice")
    ROLE_PLAY = "role_play", _("Role play")
    CERTIFICATION = "tool_certification", _("Tool certification")
    DRILL = "drill", _("Drill")
    SUPERVISED = "supervised", _("Supervised live work")
    QUALITY_REVIEW = "quality_review", _("Quality review")
    FEEDBACK = "feedback", _("Feedback session")
    ASSESSMENT = "assessment", _("Assessment")
    EXAM = "exam", _("Exam")


class OnboardingActivity(Orderable):
    week = ParentalKey(
        OnboardingWeekPage, on_delete=models.CASCADE, related_name="activities"
    )
    key = models.SlugField(_("key"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    description = models.TextField(_("description"), blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("where it happens"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A course lesson, an exam or a page with the details."),
    )
    requires_signoff = models.BooleanField(
        _("needs a mentor's sign-off"),
        default=False,
        help_text=_("Supervised work, mock calls, role plays and quality reviews."),
    )
    required = models.BooleanField(_("required"), default=True)

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("key")]),
        FieldRowPanel(
            [FieldPanel("kind"), FieldPanel("requires_signoff"), FieldPanel("required")]
        ),
        FieldPanel("description"),
        FieldPanel("page"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("activity")
        constraints = [
            models.UniqueConstraint(fields=["week", "key"], name="unique_activity_key")
        ]

    def __str__(self) -> str:
        return self.title


class Cohort(models.Model):
    """A group of hires who start the program together."""

    name = models.CharField(_("name"), max_length=200)
    program = models.ForeignKey(
        OnboardingProgramPage, on_delete=models.PROTECT, related_name="cohorts"
    )
    start_date = models.DateField(_("start date"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cohort")
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return self.name


class CohortMember(PersonRecord, models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    hire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cohort_memberships",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentees",
        verbose_name=_("mentor"),
    )
    start_date = models.DateField(
        _("individual start date"),
        null=True,
        blank=True,
        help_text=_("For a hire who joins late; otherwise the cohort's start date."),
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cohort member")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "hire"], name="unique_cohort_hire"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hire} in {self.cohort}"

    @property
    def starts_on(self) -> date:
        return self.start_date or self.cohort.start_date

    def week_opens_on(self, number: int) -> date:
        return schedule.week_opens_on(self.starts_on, number)

    def local_today(self, now=None) -> date:
        """Today's date in the cohort's time zone, by the server's clock."""
        return timezone.localtime(
            now or timezone.now(), ZoneInfo(self.cohort.time_zone)
        ).date()

    def is_week_open(self, number: int, now=None) -> bool:
        return self.local_today(now) >= self.week_opens_on(number)


class ProgressStatus(models.TextChoices):
    DONE = "done", _("Done")
    SUBMITTED = "submitted", _("Waiting for sign-off")
    SIGNED_OFF = "signed_off", _("Signed off")
    SENT_BACK = "sent_back", _("Sent back")


class ActivityProgress(models.Model):
    member = models.ForeignKey(
        CohortMember, on_delete=models.CASCADE, related_name="progress"
    )
    activity = models.ForeignKey(
        OnboardingActivity, on_delete=models.CASCADE, related_name="progress"
    )
    status = models.CharField(max_length=20, choices=ProgressStatus.choices)
    submitted_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("hire's note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("mentor's comment"), blank=True)

    class Meta:
        verbose_name = _("activity progress")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "activity"], name="unique_activity_progress"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} - {self.activity}: {self.status}"

    @property
    def complete(self) -> bool:
        return self.status in (ProgressStatus.DONE, ProgressStatus.SIGNED_OFF)
