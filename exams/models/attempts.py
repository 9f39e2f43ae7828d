"""Attempts: a learner's sitting of an exam, its questions and hand-ins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import storages
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.api import (
    FastJSONField,
    PersonRecord,
    json_loads,
    planned_cursor,
)

from .pages import DeadlinePolicy, ExamPage
from .paper_reads import (
    ANSWER_COLUMNS,
    POSITION_LIMIT,
    picked_questions_sql,
    positions_param,
)


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

    def locked(self) -> AttemptQuerySet:
        """Under the attempt's row lock, with its exam. Only the attempt's row
        (``OF``): a plain ``FOR UPDATE`` also locks the joined exam page, and every
        submit of an exam would wait for the one before it, and for its editors."""
        return self.select_for_update(of=("self",)).select_related("exam")


def page_positions(per_page: int, page: int) -> range:
    """The question positions on ``page`` when each page holds ``per_page``."""
    first = (page - 1) * per_page + 1
    return range(first, first + per_page)


class Attempt(PersonRecord, models.Model):
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
    question_count = models.PositiveSmallIntegerField(
        _("questions"),
        default=0,
        help_text=_(
            "How many questions were drawn, set at the start: a save or a page "
            "move knows the attempt's pages without counting its questions."
        ),
    )
    questions_per_page = models.PositiveSmallIntegerField(
        _("questions per page"),
        default=10,
        db_default=10,
        help_text=_(
            "The exam's setting when the attempt started: an editor's change never "
            "moves a question to another page of a sitting under way."
        ),
    )
    sequential = models.BooleanField(
        _("sequential"),
        default=False,
        db_default=False,
        help_text=_(
            "Pages answered in order, as the exam said when the attempt started."
        ),
    )
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

    def page_count(self) -> int:
        """How many pages the attempt's questions fill (at least one)."""
        return max(1, -(-self.question_count // self.per_page))

    @property
    def per_page(self) -> int:
        """Questions on each page of this attempt (fixed when it started)."""
        return max(1, self.questions_per_page)

    def page_of(self, position: int) -> int:
        """The page a question's position is on."""
        return (position - 1) // self.per_page + 1

    def positions_on_page(self, page: int) -> range:
        """The positions a page holds."""
        return page_positions(self.per_page, page)

    def remaining_seconds(self, now=None) -> int:
        now = now or timezone.now()
        return max(0, int((self.deadline - now).total_seconds()))

    def accepts_answers(self, now=None) -> bool:
        return self.is_open and (now or timezone.now()) <= self.cutoff

    @property
    def duration(self) -> timedelta | None:
        end = self.submitted_at or self.graded_at
        return end - self.started_at if end else None

    def served_questions(self, positions=None) -> list[AttemptQuestion]:
        """The attempt's questions as served, in order (of ``positions`` only,
        if given), with the answers: one query, its paper."""
        return AttemptPaper.questions_of(self.pk, positions)

    def practical_questions(self) -> list[AttemptQuestion]:
        """The attempt's tasks that an examiner grades, in order (one query)."""
        from ..grading import MANUAL_TYPES

        return [q for q in self.served_questions() if q.qtype in MANUAL_TYPES]

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


@dataclass
class AttemptQuestion:
    """A question as served in one attempt, with the learner's latest answer: a
    value read from the attempt's paper (:class:`AttemptPaper`), not a row."""

    attempt_id: int
    position: int
    section_index: int
    section_title: str
    question_id: int | None
    snapshot: dict
    response: dict | None = None
    flagged: bool = False
    answered_at: datetime | None = None
    points: Decimal | None = None

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"

    @property
    def qtype(self) -> str:
        return self.snapshot["type"]


class AttemptPaper(models.Model):
    """An attempt's questions and answers in one row: the questions drawn and
    frozen at the start, and what the learner and the grading wrote to them,
    each a JSON object keyed by the question's position.

    A start writes this one row (not a row per question), a save merges the
    page's answers into it and a submit writes its points to it: one row each,
    however long the exam. ``questions`` never changes after the start.
    """

    attempt = models.OneToOneField(
        Attempt, on_delete=models.CASCADE, primary_key=True, related_name="paper"
    )
    questions = FastJSONField(
        default=list,
        help_text=_(
            "The questions drawn, in position order: position, section index and "
            "title, the bank question's id and its frozen snapshot."
        ),
    )
    responses = FastJSONField(default=dict, help_text=_("Answers by position."))
    answered_at = FastJSONField(
        default=dict, help_text=_("When each position was last answered.")
    )
    flags = FastJSONField(default=dict, help_text=_("Flags by position."))
    points = FastJSONField(
        default=dict, help_text=_("Points by position, set by the grading.")
    )

    class Meta:
        verbose_name = _("attempt paper")

    def __str__(self) -> str:
        return f"Paper of attempt {self.attempt_id}"

    def question_list(self, positions=None) -> list[AttemptQuestion]:
        """The served questions (of ``positions`` only, if given), in order."""
        return paper_questions(
            self.attempt_id,
            self.questions,
            self.responses,
            self.answered_at,
            self.flags,
            self.points,
            positions,
        )

    @classmethod
    def questions_of(cls, attempt_id: int, positions=None) -> list[AttemptQuestion]:
        """The served questions of one attempt (one query; none without a paper).

        With ``positions``, the database picks those questions out of the
        paper and sends only them: a page's save reads and decodes its ten
        questions, not the exam's eighty."""
        if positions is None:
            row = (
                cls.objects.filter(attempt_id=attempt_id)
                .values_list("questions", *ANSWER_COLUMNS)
                .first()
            )
        else:
            # A position is a small positive number: one out of that range
            # (a tampered address) names no question, and is not sent.
            wanted = sorted({p for p in map(int, positions) if 0 < p < POSITION_LIMIT})
            with planned_cursor() as cursor:
                cursor.execute(
                    picked_questions_sql(connection.vendor),
                    [positions_param(connection.vendor, wanted), attempt_id],
                )
                found = cursor.fetchone()
            row = None if found is None else [json_loads(text) for text in found]
        if row is None:
            return []
        return paper_questions(attempt_id, *row, positions)


def paper_key(position: int) -> str:
    """A position as the paper's answers, times, flags and points key it."""
    return str(position)


def paper_item(
    position: int, section_index: int, section_title: str, question_id, snapshot
) -> dict:
    """One drawn question as the paper's ``questions`` list holds it."""
    return {
        "position": position,
        "section_index": section_index,
        "section_title": section_title,
        "question_id": question_id,
        "snapshot": snapshot,
    }


def stored_points(points) -> str:
    """Points as a paper keeps them: a decimal string with two places."""
    return f"{Decimal(points):.2f}"


def paper_questions(
    attempt_id, questions, responses, answered_at, flags, points, positions=None
) -> list[AttemptQuestion]:
    """The served questions from a paper's columns (as stored, keys strings)."""
    wanted = set(positions) if positions is not None else None
    served = []
    for item in questions:
        position = item["position"]
        if wanted is not None and position not in wanted:
            continue
        key = paper_key(position)
        when = answered_at.get(key)
        point = points.get(key)
        served.append(
            AttemptQuestion(
                attempt_id=attempt_id,
                position=position,
                section_index=item["section_index"],
                section_title=item["section_title"],
                question_id=item.get("question_id"),
                snapshot=item["snapshot"],
                response=responses.get(key),
                flagged=bool(flags.get(key, False)),
                answered_at=datetime.fromisoformat(when) if when else None,
                points=Decimal(point) if point is not None else None,
            )
        )
    return served


def _private_storage():
    return storages["private"]


def _hand_in_path(instance: AttemptFile, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()
    return f"hand-ins/{instance.attempt.public_id}/{uuid.uuid4().hex}{suffix}"


class AttemptFile(models.Model):
    """A file a candidate handed in for a practical task, kept out of public media."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveSmallIntegerField(
        _("task"), help_text=_("The position of the practical task it answers.")
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
        indexes = [models.Index(fields=["attempt", "position"])]

    def __str__(self) -> str:
        return self.original_name
