"""Write GIFT questions into a question bank: all of the file or none of it.

The parsing is pure (``exams.gift``); this module holds the one write,
:func:`import_gift`, which the ``import_gift`` command and the admin upload call.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from wagtail.blocks import StreamBlockValidationError

from . import question_types
from .gift import GiftMessage, GiftQuestion, parse_gift
from .models import Question, QuestionBank


class GiftImportError(Exception):
    """The file cannot be imported; ``errors`` lists every problem with its line."""

    def __init__(self, errors: list[GiftMessage]):
        self.errors = list(errors)
        super().__init__(
            f"{len(self.errors)} problem(s) in the GIFT file; nothing was imported."
        )


@dataclass(frozen=True)
class GiftImportReport:
    """What an import did (or, for a dry run, would do) to one bank."""

    bank_key: str
    dry_run: bool
    counts: dict[str, int]  # question type -> questions of that type in the file
    added: list[str]  # keys of questions new to the bank
    updated: list[str]  # keys of questions the bank already had
    warnings: list[GiftMessage] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.added) + len(self.updated)

    def count_lines(self) -> list[str]:
        """``"single choice: 3"`` per question type present, in a stable order."""
        return [
            f"{question_type.label.lower()}: {self.counts[question_type.code]}"
            for question_type in question_types.all_types()
            if self.counts.get(question_type.code)
        ]


def _block_messages(data) -> list[str]:
    """Flatten a StreamBlock error's JSON data into its messages."""
    if isinstance(data, dict):
        messages = list(data.get("messages", []))
        for value in data.values():
            if isinstance(value, dict | list):
                messages.extend(_block_messages(value))
        return messages
    if isinstance(data, list):
        return [m for item in data for m in _block_messages(item)]
    return []


def _check(parsed: GiftQuestion, topic: str) -> list[GiftMessage]:
    """What the database would refuse, found before anything is written."""
    problems = []
    question = Question(
        key=parsed.key,
        topic=topic,
        stem=parsed.stem_html,
        explanation=parsed.explanation_html,
        answer=parsed.answer_stream(),
    )
    try:
        question.clean_fields(exclude=["bank"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            problems.extend(
                GiftMessage(parsed.line, f"{name}: {message}") for message in messages
            )
    try:
        Question._meta.get_field("answer").stream_block.clean(question.answer)
    except StreamBlockValidationError as exc:
        problems.extend(
            GiftMessage(parsed.line, message)
            for message in _block_messages(exc.as_json_data())
        )
    return problems


def _working_copy(bank: QuestionBank, *, lock: bool) -> QuestionBank:
    """The bank as its latest revision has it, so an editor's draft is kept."""
    if bank.pk is None:
        return bank
    current = QuestionBank.objects
    if lock:
        current = current.select_for_update()
    return current.get(pk=bank.pk).get_latest_revision_as_object()


@transaction.atomic
def import_gift(
    *,
    bank: QuestionBank,
    text: str,
    dry_run: bool = False,
    default_topic: str = "general",
    acting_user=None,
) -> GiftImportReport:
    """Add or update the questions of GIFT ``text`` in ``bank``, all or nothing.

    ``bank`` is a saved bank, or a new unsaved ``QuestionBank`` with a valid key and
    title, which is created here. Questions are matched by key (the slugified
    ``::title::`` or ``q-<n>``): a key the bank has is updated (topic, stem,
    explanation and answer; its difficulty, points and place are kept), a new key
    is appended. Questions absent from the file are kept. Questions before any
    ``$CATEGORY`` get ``default_topic``.

    The import starts from the bank's latest revision, so an unpublished draft is
    kept and goes live with it: one new revision is saved and published, by
    ``acting_user`` when given (Wagtail then requires their publish permission and
    raises ``PermissionDenied`` otherwise, writing nothing).

    Raises ``GiftImportError`` listing every problem (with its line) if any
    question cannot be imported; then, and always when ``dry_run``, nothing is
    written. Raises ``ValueError`` if ``default_topic`` is not a slug.
    """
    try:
        validate_slug(default_topic)
    except ValidationError as exc:
        raise ValueError(f"default_topic {default_topic!r} is not a slug") from exc
    result = parse_gift(text)
    errors = list(result.errors)
    for parsed in result.questions:
        errors.extend(_check(parsed, parsed.topic or default_topic))
    if errors:
        raise GiftImportError(sorted(errors, key=lambda error: error.line))

    working = _working_copy(bank, lock=not dry_run)
    existing = {q.key: q for q in working.questions.all()} if working.pk else {}
    added = [q.key for q in result.questions if q.key not in existing]
    updated = [q.key for q in result.questions if q.key in existing]
    report = GiftImportReport(
        bank_key=bank.key,
        dry_run=dry_run,
        counts=dict(Counter(q.qtype for q in result.questions)),
        added=added,
        updated=updated,
        warnings=list(result.warnings),
    )
    if dry_run:
        return report

    ordered = sorted(existing.values(), key=lambda q: q.sort_order or 0)
    next_order = max((q.sort_order or 0 for q in ordered), default=-1) + 1
    for parsed in result.questions:
        question = existing.get(parsed.key)
        if question is None:
            question = Question(key=parsed.key, sort_order=next_order)
            next_order += 1
            ordered.append(question)
        question.topic = parsed.topic or default_topic
        question.stem = parsed.stem_html
        question.explanation = parsed.explanation_html
        question.answer = parsed.answer_stream()
    working.questions = ordered
    working.save()
    working.save_revision(user=acting_user, log_action=True).publish(user=acting_user)
    return report
