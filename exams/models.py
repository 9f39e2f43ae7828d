"""Exams: question banks (snippets), exam pages, and attempts (learner data)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, Orderable, Page, RevisionMixin
from wagtail.search import index

from .blocks import AnswerBlock

STEM_FEATURES = ["bold", "italic", "code", "link", "ol", "ul", "image"]


class QuestionBank(DraftStateMixin, RevisionMixin, ClusterableModel):
    """A pool of questions that exams draw from (a snippet with drafts and revisions)."""

    key = models.SlugField(_("key"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("key"),
        FieldPanel("description"),
        InlinePanel("questions", label=_("Questions")),
    ]

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class Question(Orderable):
    bank = ParentalKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(_("key"), max_length=100)
    topic = models.SlugField(_("topic"), max_length=100)
    difficulty = models.CharField(
        _("difficulty"), max_length=10, choices=Difficulty.choices, default="medium"
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2, default=1)
    stem = RichTextField(_("question"), features=STEM_FEATURES)
    explanation = RichTextField(_("explanation"), blank=True, features=STEM_FEATURES)
    answer = StreamField(AnswerBlock(), verbose_name=_("answer"))

    panels = [
        FieldRowPanel([FieldPanel("key"), FieldPanel("topic")]),
        FieldRowPanel([FieldPanel("difficulty"), FieldPanel("points")]),
        FieldPanel("stem"),
        FieldPanel("answer"),
        FieldPanel("explanation"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        constraints = [
            models.UniqueConstraint(fields=["bank", "key"], name="unique_question_key")
        ]
        indexes = [models.Index(fields=["bank", "topic"])]

    def __str__(self) -> str:
        return f"{self.bank_id}:{self.key}"

    @property
    def qtype(self) -> str:
        return self.answer[0].block_type if self.answer else ""

    def answer_data(self) -> dict:
        """The answer block as plain data, list items without their block ids."""
        block = self.answer[0]
        value = block.block.get_prep_value(block.value)
        return {
            name: (
                [
                    e["value"] if isinstance(e, dict) and "value" in e else e
                    for e in item
                ]
                if isinstance(item, list)
                else item
            )
            for name, item in value.items()
        }


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
        default="answers",
    )
    review_after = models.CharField(
        _("review available"),
        max_length=20,
        choices=ReviewTiming.choices,
        default="submit",
    )
    requires_course_modules = models.BooleanField(
        _("requires the course's modules first"),
        default=True,
        help_text=_(
            "For a course's final exam: every module must be complete to start."
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
            ],
            heading=_("Delivery and review"),
        ),
        InlinePanel("sections", label=_("Blueprint sections"), min_num=1),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["courses.CoursePage", "exams.ExamIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("exam")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("The exam must close after it opens.")}
            )

    @path("")
    def overview(self, request):
        from .views import exam_overview

        return exam_overview(request, self)

    @path("start/", name="start")
    def start(self, request):
        from .views import start_exam

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


class Accommodation(models.Model):
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


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Awaiting grading")
    GRADED = "graded", _("Graded")
    ABANDONED = "abandoned", _("Abandoned")


CLOSED_STATUSES = (
    AttemptStatus.SUBMITTED,
    AttemptStatus.GRADED,
    AttemptStatus.ABANDONED,
)


class Attempt(models.Model):
    """One sitting of an exam. Its deadline is fixed when it starts."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    exam = models.ForeignKey(
        ExamPage, on_delete=models.PROTECT, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(
        _("status"), max_length=20, choices=AttemptStatus.choices, default="in_progress"
    )
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    cutoff = models.DateTimeField(
        _("answers accepted until"), help_text=_("The deadline plus any grace period.")
    )
    deadline_policy = models.CharField(max_length=20, choices=DeadlinePolicy.choices)
    pass_mark = models.DecimalField(max_digits=5, decimal_places=2)
    last_save_sequence = models.PositiveIntegerField(default=0)
    furthest_page = models.PositiveSmallIntegerField(
        default=1, help_text=_("In sequential exams, earlier pages are closed.")
    )
    last_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("submitted at the deadline"), default=False)
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    points = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True
    )
    percent = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    section_results = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("attempt")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "exam"],
                condition=Q(status="in_progress"),
                name="one_open_attempt_per_learner_and_exam",
            ),
            models.UniqueConstraint(
                fields=["user", "exam", "number"], name="unique_attempt_number"
            ),
        ]
        indexes = [models.Index(fields=["status", "cutoff"])]

    def __str__(self) -> str:
        return f"{self.user} - {self.exam} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS

    def remaining_seconds(self, now=None) -> int:
        now = now or timezone.now()
        return max(0, int((self.deadline - now).total_seconds()))

    def accepts_answers(self, now=None) -> bool:
        return self.is_open and (now or timezone.now()) <= self.cutoff

    @property
    def duration(self) -> timedelta | None:
        end = self.submitted_at or self.graded_at
        return end - self.started_at if end else None


class AttemptQuestion(models.Model):
    """A question as served in one attempt, with the learner's latest answer."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    section_index = models.PositiveSmallIntegerField()
    section_title = models.CharField(max_length=200)
    question = models.ForeignKey(
        Question, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField()
    response = models.JSONField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="unique_attempt_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"

    @property
    def qtype(self) -> str:
        return self.snapshot["type"]
