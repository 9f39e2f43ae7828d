"""Question banks and their questions (snippets)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin, WorkflowMixin

from ..blocks import AnswerBlock
from ..keys import key_from

DEFAULT_TOPIC = "general"
STEM_FEATURES = ["bold", "italic", "code", "link", "ol", "ul", "image"]


class QuestionBank(WorkflowMixin, DraftStateMixin, RevisionMixin, ClusterableModel):
    """A pool of questions that exams draw from (a snippet with drafts and
    revisions; changes go through a moderation workflow where one is set)."""

    key = models.SlugField(
        _("key"),
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text=_(
            "A short name for imports and reports. Leave empty to make one "
            "from the title."
        ),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("key"),
        FieldPanel("description"),
        InlinePanel("questions", label=_("Question")),
    ]

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.key:
            taken = set(
                QuestionBank.objects.exclude(pk=self.pk)
                .filter(key__startswith=key_from(self.title, taken=(), fallback="bank"))
                .values_list("key", flat=True)
            )
            self.key = key_from(self.title, taken=taken, fallback="bank")
        super().save(*args, **kwargs)


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


class Question(Orderable):
    bank = ParentalKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(
        _("key"),
        max_length=100,
        null=True,
        blank=True,
        help_text=_(
            "Names the question in imports and item analysis. Leave empty to make "
            "one from the question's first words."
        ),
    )
    topic = models.SlugField(
        _("topic"),
        max_length=100,
        blank=True,
        help_text=_(
            "An exam section can draw from one topic, e.g. “networking”. Leave "
            "empty for “general”."
        ),
    )
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

    def save(self, *args, **kwargs):
        self.topic = self.topic or DEFAULT_TOPIC
        if not self.key:
            base = key_from(self.stem, taken=(), fallback="question")
            taken = set(
                Question.objects.filter(bank_id=self.bank_id, key__startswith=base)
                .exclude(pk=self.pk)
                .values_list("key", flat=True)
            )
            self.key = key_from(self.stem, taken=taken, fallback="question")
        super().save(*args, **kwargs)

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
            from ..question_types.practical import parse_file_types

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
