"""Exams: question banks (snippets), exam pages, and attempts (learner data)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator
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

    # Both read the stored JSON: turning the StreamField into blocks costs far more
    # than serving the question does (this runs for every question of every start).
    @property
    def qtype(self) -> str:
        raw = self.answer.raw_data
        return raw[0]["type"] if len(raw) else ""

    def answer_data(self) -> dict:
        """The answer block as plain data, list items without their block ids."""
        qtype = self.qtype
        data = _plain(self.answer.raw_data[0]["value"])
        if qtype == "practical" and data.get("attachments"):
            from wagtail.documents import get_document_model

            documents = get_document_model().objects.in_bulk(data["attachments"])
            data["attachments"] = [
                {"id": d.pk, "title": d.title, "filename": d.filename}
                for pk in data["attachments"]
                if (d := documents.get(pk)) is not None
            ]
        if qtype == "practical":
            from .blocks import parse_file_types

            data["file_types"] = parse_file_types(data.get("file_types") or "")
        return data


def _plain(value):
    """A block's stored value without list-item wrappers (``{"type", "value", "id"}``)."""
    if isinstance(value, list):
        return [
            _plain(item["value"])
            if isinstance(item, dict) and "value" in item and "type" in item
            else _plain(item)
            for item in value
        ]
    if isinstance(value, dict):
        return {name: _plain(item) for name, item in value.items()}
    return value


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
        _("requires the course's modules first"),
        default=True,
        help_text=_(
            "For a course's final exam: every module must be complete to start."
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


class AttemptQuerySet(models.QuerySet):
    def blind(self) -> AttemptQuerySet:
        """Attempts whose candidate staff screens must not name (see ``is_blind``)."""
        return self.filter(exam__blind_grading=True, status=AttemptStatus.SUBMITTED)


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
    close_failed_at = models.DateTimeField(
        _("closing last failed at"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the sweep could not close this attempt; the sweep tries it "
            "again after the attempts that have not failed."
        ),
    )
    # The largest value the column holds on every supported database.
    MAX_SAVE_SEQUENCE = 2_147_483_647
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
    theory_percent = models.DecimalField(
        _("theory score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    practical_percent = models.DecimalField(
        _("practical score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    has_practical = models.BooleanField(
        _("has practical tasks"),
        default=False,
        help_text=_("Set when the attempt starts: examiners grade part of it."),
    )
    second_marking = models.BooleanField(
        _("second-marked"),
        default=False,
        help_text=_("Sampled, or close to the pass mark: two examiners grade it."),
    )

    objects = AttemptQuerySet.as_manager()

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
        return f"{self.candidate_label} - {self.exam} #{self.number}"

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

    def practical_questions(self) -> list[AttemptQuestion]:
        """The attempt's tasks that an examiner grades, in order (one query)."""
        from .grading import MANUAL_TYPES

        return list(
            self.questions.filter(snapshot__type__in=MANUAL_TYPES).order_by("position")
        )

    @property
    def candidate_number(self) -> str:
        """What blind grading shows instead of the name."""
        return self.public_id.hex[:8].upper()

    @property
    def is_blind(self) -> bool:
        """Whether staff screens hide who the candidate is: on an exam graded
        blind, until examiners have released the result."""
        return self.exam.blind_grading and self.status == AttemptStatus.SUBMITTED

    @property
    def candidate_label(self) -> str:
        """The candidate as every staff screen names them: a number while
        grading is blind, the name and e-mail after."""
        if self.is_blind:
            return _("Candidate %(number)s") % {"number": self.candidate_number}
        return f"{self.user.get_full_name() or self.user.email} ({self.user.email})"

    candidate_label.fget.short_description = _("candidate")


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


def _private_storage():
    return storages["private"]


def _hand_in_path(instance: AttemptFile, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    return f"hand-ins/{instance.question.attempt.public_id}/{uuid.uuid4().hex}{suffix}"


class AttemptFile(models.Model):
    """A file a candidate handed in for a practical task, kept out of public media."""

    question = models.ForeignKey(
        AttemptQuestion, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(
        _("file"), upload_to=_hand_in_path, storage=_private_storage, max_length=255
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("handed-in file")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class MarkingRole(models.TextChoices):
    FIRST = "first", _("First marking")
    SECOND = "second", _("Second marking")
    LEAD = "lead", _("Lead examiner's decision")
    APPEAL = "appeal", _("Appeal re-grade")


LEAD_ROLES = (MarkingRole.LEAD, MarkingRole.APPEAL)


class Marking(models.Model):
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
