"""Exam pages, their sections and rules, and accommodations."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts.api import PersonRecord

from ..forms_admin import ExamPageForm
from .authoring import QuestionBank


class DeadlinePolicy(models.TextChoices):
    AUTO_SUBMIT = "auto_submit", _("Submit automatically at the deadline")
    GRACE = "grace", _("Accept answers for a grace period, then submit")
    ABANDON = "abandon", _("Abandon the attempt (no grade)")


class ReviewPolicy(models.TextChoices):
    SCORE = "score", _("Score only")
    CORRECTNESS = "correctness", _("Which answers were right")
    ANSWERS = "answers", _("Answers and explanations")


class ReviewTiming(models.TextChoices):
    SUBMIT = "submit", _("After submitting")
    CLOSE = "close", _("After the exam window closes")


class Navigation(models.TextChoices):
    FREE = "free", _("Free, with flags")
    SEQUENTIAL = "sequential", _("Sequential (no going back)")


class ExamPage(RoutablePageMixin, Page):
    """An exam: rules, a blueprint of sections, and the start of attempts."""

    intro = RichTextField(_("introduction"), blank=True)
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), default=30
    )
    pass_mark = models.DecimalField(
        _("pass mark (%)"), max_digits=5, decimal_places=2, default=70
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, help_text=_("0 means unlimited.")
    )
    cooldown_minutes = models.PositiveIntegerField(
        _("wait between attempts (minutes)"), default=0
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    navigation = models.CharField(
        _("navigation"), max_length=20, choices=Navigation.choices, default="free"
    )
    questions_per_page = models.PositiveSmallIntegerField(
        _("questions per page"), default=10
    )
    deadline_policy = models.CharField(
        _("at the deadline"),
        max_length=20,
        choices=DeadlinePolicy.choices,
        default=DeadlinePolicy.AUTO_SUBMIT,
    )
    grace_minutes = models.PositiveSmallIntegerField(
        _("grace period (minutes)"), default=0
    )
    review_policy = models.CharField(
        _("review shows"),
        max_length=20,
        choices=ReviewPolicy.choices,
        # Certification exams show scores (per section), never keys; an author
        # opts in to more. Keys, where shown, wait for a pass or the last attempt.
        default=ReviewPolicy.SCORE,
    )
    review_after = models.CharField(
        _("review available"),
        max_length=20,
        choices=ReviewTiming.choices,
        default="submit",
    )
    practical_weight = models.PositiveSmallIntegerField(
        _("practical part's weight (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "For an exam with practical tasks: the share of the result they carry; "
            "the theory questions carry the rest."
        ),
    )
    minimum_theory_percent = models.DecimalField(
        _("minimum on the theory part (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    minimum_practical_percent = models.DecimalField(
        _("minimum on the practical part (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    blind_grading = models.BooleanField(
        _("blind grading"),
        default=True,
        help_text=_(
            "Examiners see a candidate number, not the name, until they submit."
        ),
    )
    second_marking_percent = models.PositiveSmallIntegerField(
        _("share second-marked (%)"),
        default=20,
        validators=[MaxValueValidator(100)],
        help_text=_("Practical attempts picked at random for a second examiner."),
    )
    second_marking_margin = models.DecimalField(
        _("second-mark within (points of the pass mark)"),
        max_digits=5,
        decimal_places=2,
        default=5,
        help_text=_("Every result this close to the pass mark is second-marked."),
    )
    marking_tolerance = models.DecimalField(
        _("examiners may differ by (points)"),
        max_digits=5,
        decimal_places=2,
        default=10,
        help_text=_("Two practical scores further apart go to a lead examiner."),
    )
    appeal_days = models.PositiveSmallIntegerField(
        _("appeals accepted for (days)"),
        default=14,
        help_text=_("0 turns appeals off."),
    )
    requires_course_modules = models.BooleanField(
        _("requires the course's lessons first"),
        default=True,
        help_text=_(
            "For a course's final exam: every lesson must be complete to start."
        ),
    )
    requires_experience_attestation = models.BooleanField(
        _("requires approved experience"),
        default=False,
        help_text=_(
            "Candidates need an examiner-approved experience attestation for the "
            "certification level this exam leads to before they can start."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("time_limit_minutes"), FieldPanel("pass_mark")]
                ),
                FieldRowPanel(
                    [FieldPanel("attempts_allowed"), FieldPanel("cooldown_minutes")]
                ),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel(
                    [FieldPanel("deadline_policy"), FieldPanel("grace_minutes")]
                ),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]
                ),
                FieldRowPanel(
                    [FieldPanel("navigation"), FieldPanel("questions_per_page")]
                ),
                FieldRowPanel(
                    [FieldPanel("review_policy"), FieldPanel("review_after")]
                ),
                FieldPanel("requires_course_modules"),
                FieldPanel("requires_experience_attestation"),
                InlinePanel(
                    "required_courses",
                    label=_("Courses to complete before starting"),
                ),
            ],
            heading=_("Delivery and review"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("practical_weight"),
                        FieldPanel("minimum_theory_percent"),
                        FieldPanel("minimum_practical_percent"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("blind_grading"),
                        FieldPanel("second_marking_percent"),
                        FieldPanel("second_marking_margin"),
                    ]
                ),
                FieldRowPanel(
                    [FieldPanel("marking_tolerance"), FieldPanel("appeal_days")]
                ),
            ],
            heading=_("Practical tasks: grading"),
            classname="collapsed",
        ),
        InlinePanel("sections", label=_("Blueprint sections"), min_num=1),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["courses.CoursePage", "exams.ExamIndexPage"]
    subpage_types: list[str] = []
    base_form_class = ExamPageForm

    class Meta:
        verbose_name = _("exam")

    @property
    def page_size(self) -> int:
        """Questions on each page of an attempt started now (at least one)."""
        return max(1, self.questions_per_page)

    @property
    def is_sequential(self) -> bool:
        from ..policy import is_sequential

        return is_sequential(self)

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("The exam must close after it opens.")}
            )

    @path("")
    def overview(self, request):
        from ..views import exam_overview

        return exam_overview(request, self)

    @path("start/", name="start")
    def start(self, request):
        from ..views import start_exam

        return start_exam(request, self)


class ExamIndexPage(Page):
    """A home for standalone exams (certification exams)."""

    intro = models.CharField(_("introduction"), max_length=300, blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["exams.ExamPage"]
    max_count = 1

    class Meta:
        verbose_name = _("exams index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        exams = list(ExamPage.objects.child_of(self).live().order_by("path").specific())
        counts = dict(
            ExamSection.objects.filter(exam__in=exams)
            .values("exam")
            .annotate(n=models.Sum("count"))
            .values_list("exam", "n")
        )
        for exam in exams:
            exam.question_count = counts.get(exam.pk, 0)
        context["exams"] = exams
        return context


class ExamSection(Orderable):
    """N questions drawn from a bank (optionally one topic of it)."""

    exam = ParentalKey(ExamPage, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)
    bank = models.ForeignKey(
        QuestionBank, verbose_name=_("bank"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.SlugField(_("topic"), max_length=100, blank=True)
    count = models.PositiveSmallIntegerField(_("questions drawn"), default=10)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("bank"), FieldPanel("topic"), FieldPanel("count")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("section")


class ExamRequiredCourse(Orderable):
    """A course a candidate must have completed before starting the exam."""

    exam = ParentalKey(
        "exams.ExamPage", on_delete=models.CASCADE, related_name="required_courses"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("course")]

    class Meta(Orderable.Meta):
        verbose_name = _("course to complete first")


class Accommodation(PersonRecord, models.Model):
    """Per-learner arrangements an examiner sets: extra time, attempts or window."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    exam = models.ForeignKey(ExamPage, on_delete=models.CASCADE, related_name="+")
    extra_time_percent = models.PositiveSmallIntegerField(
        _("extra time (%)"), default=0
    )
    extra_attempts = models.PositiveSmallIntegerField(_("extra attempts"), default=0)
    extended_closes_at = models.DateTimeField(
        _("window extended until"), null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("accommodation")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "exam"], name="unique_accommodation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.exam}"
