"""content/banks/*.yaml and content/exams/*.yaml: question banks and exams."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from exams.api import question_types
from exams.models import ExamIndexPage, ExamPage, ExamSection, Question, QuestionBank
from lms.models import HomePage

from .base import ContentError, LoadReport, Schema
from .courses import KEY_PATTERN
from .pages import _comparable, inline_html, paragraphs_to_html, upsert_page

QuestionType = Literal[question_types.codes()]  # type: ignore[valid-type]
TYPE_FIELDS = {t.code: set(t.spec_fields) for t in question_types.all_types()}
OPTIONAL_FIELDS = set().union(
    *(t.optional_spec_fields for t in question_types.all_types())
)
ANSWER_FIELDS = set().union(*TYPE_FIELDS.values())


class ChoiceSpec(Schema):
    text: str
    correct: bool = False


class PairSpec(Schema):
    prompt: str
    match: str


class LevelSpec(Schema):
    label: str
    description: str
    points: Decimal = Field(ge=0, le=100)


class CriterionSpec(Schema):
    title: str
    description: str = ""
    levels: list[LevelSpec] = Field(min_length=2)

    @model_validator(mode="after")
    def _a_level_earns_points(self):
        if max(level.points for level in self.levels) <= 0:
            raise ValueError(f"criterion '{self.title}' needs a level worth points")
        return self


class QuestionSpec(Schema):
    key: str = Field(pattern=KEY_PATTERN)
    topic: str = Field(pattern=KEY_PATTERN)
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    points: Decimal = Field(default=Decimal(1), gt=0, le=100)
    type: QuestionType
    stem: str
    explanation: str
    choices: list[ChoiceSpec] | None = None
    scoring: Literal["all_or_nothing", "partial"] | None = None
    answer: bool | Decimal | None = None
    accepted: list[str] | None = None
    pattern: str | None = None
    tolerance: Decimal | None = Field(default=None, ge=0)
    pairs: list[PairSpec] | None = None
    items: list[str] | None = None
    hand_in: Literal["text", "files", "text_and_files"] | None = None
    file_types: list[str] | None = None
    max_file_mb: int | None = Field(default=None, ge=1, le=50)
    max_files: int | None = Field(default=None, ge=1, le=20)
    suggested_minutes: int | None = Field(default=None, ge=1, le=1440)
    rubric: list[CriterionSpec] | None = None

    @model_validator(mode="after")
    def _fields_fit_the_type(self):
        allowed = TYPE_FIELDS[self.type]
        given = {name for name in ANSWER_FIELDS if getattr(self, name) is not None}
        extra = sorted(given - allowed)
        if extra:
            raise ValueError(f"a {self.type} question has no {', '.join(extra)}")
        required = allowed - OPTIONAL_FIELDS
        missing = sorted(required - given)
        if missing:
            raise ValueError(f"a {self.type} question needs {', '.join(missing)}")
        question_types.get(self.type).check_spec(self)
        return self

    def answer_stream(self) -> list[dict]:
        value = question_types.get(self.type).answer_from_spec(self)
        return [{"type": self.type, "value": value}]


class BankSpec(Schema):
    key: str = Field(pattern=KEY_PATTERN)
    title: str
    description: str = ""
    questions: list[QuestionSpec] = Field(min_length=1)


class SectionSpec(Schema):
    title: str
    bank: str
    topic: str = ""
    count: int = Field(ge=1, le=500)


class ExamSpec(Schema):
    key: str = Field(pattern=KEY_PATTERN)
    title: str
    course: str | None = None
    intro: str = ""
    time_limit_minutes: int = Field(ge=1, le=1440)
    pass_mark: Decimal = Field(ge=0, le=100)
    attempts_allowed: int = Field(default=3, ge=0, le=100)
    cooldown_minutes: int = Field(default=0, ge=0)
    shuffle_questions: bool = True
    shuffle_choices: bool = True
    navigation: Literal["free", "sequential"] = "free"
    questions_per_page: int = Field(default=10, ge=1, le=100)
    deadline_policy: Literal["auto_submit", "grace", "abandon"] = "auto_submit"
    grace_minutes: int = Field(default=0, ge=0, le=120)
    review_policy: Literal["score", "correctness", "answers"] = "score"
    review_after: Literal["submit", "close"] = "submit"
    practical_weight: int = Field(default=50, ge=0, le=100)
    minimum_theory_percent: Decimal | None = Field(default=None, ge=0, le=100)
    minimum_practical_percent: Decimal | None = Field(default=None, ge=0, le=100)
    blind_grading: bool = True
    second_marking_percent: int = Field(default=20, ge=0, le=100)
    second_marking_margin: Decimal = Field(default=Decimal(5), ge=0, le=100)
    marking_tolerance: Decimal = Field(default=Decimal(10), ge=0, le=100)
    appeal_days: int = Field(default=14, ge=0, le=365)
    requires_experience_attestation: bool = False
    sections: list[SectionSpec] = Field(min_length=1)


def check_references(bundle) -> list[ContentError]:
    errors: list[ContentError] = []
    course_keys = {spec.key for _doc, spec in bundle["courses"]}
    topics: dict[str, dict[str, int]] = {}
    for document, bank in bundle["banks"]:
        if bank.key != document.path.stem:
            errors.append(
                document.error(("key",), f"key '{bank.key}' must match the file name")
            )
        counts: dict[str, int] = {"": 0}
        seen: set[str] = set()
        for index, question in enumerate(bank.questions):
            if question.key in seen:
                errors.append(
                    document.error(
                        ("questions", index, "key"),
                        f"duplicate question key '{question.key}'",
                    )
                )
            seen.add(question.key)
            counts[""] += 1
            counts[question.topic] = counts.get(question.topic, 0) + 1
        topics[bank.key] = counts
    for document, exam in bundle["exams"]:
        if exam.key != document.path.stem:
            errors.append(
                document.error(("key",), f"key '{exam.key}' must match the file name")
            )
        if exam.course and exam.course not in course_keys:
            errors.append(
                document.error(("course",), f"unknown course '{exam.course}'")
            )
        for index, section in enumerate(exam.sections):
            if section.bank not in topics:
                errors.append(
                    document.error(
                        ("sections", index, "bank"), f"unknown bank '{section.bank}'"
                    )
                )
                continue
            available = topics[section.bank].get(section.topic, 0)
            if available < section.count:
                errors.append(
                    document.error(
                        ("sections", index, "count"),
                        f"draws {section.count} but bank '{section.bank}' has "
                        f"{available} question(s) for topic '{section.topic or '(any)'}'",
                    )
                )
    return errors


def scenario_to_html(text: str) -> str:
    """Paragraphs, and paragraphs whose lines all start with "- " as bullet lists."""
    parts = []
    for block in (b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()):
        lines = [line.strip() for line in block.strip().splitlines()]
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{inline_html(line[2:])}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append(f"<p>{inline_html(' '.join(block.split()))}</p>")
    return "".join(parts)


def _question_fields(spec: QuestionSpec) -> dict:
    stem = (
        scenario_to_html(spec.stem)
        if spec.type == "practical"
        else f"<p>{inline_html(' '.join(spec.stem.split()))}</p>"
    )
    if spec.type == "practical":
        points = sum(
            (max(level.points for level in c.levels) for c in spec.rubric),
            Decimal(0),
        )
    else:
        points = spec.points
    return {
        "topic": spec.topic,
        "difficulty": spec.difficulty,
        "points": points,
        "stem": stem,
        "explanation": paragraphs_to_html(spec.explanation),
        "answer": spec.answer_stream(),
    }


def _same(question: Question, fields: dict) -> bool:
    for name, wanted in fields.items():
        current = getattr(question, name)
        if name == "points":
            if Decimal(current) != Decimal(wanted):
                return False
        elif name == "answer":
            if _comparable(current) != _comparable(wanted):
                return False
        elif current != wanted:
            return False
    return True


def apply_banks(specs: list[BankSpec], report: LoadReport) -> dict[str, QuestionBank]:
    banks: dict[str, QuestionBank] = {}
    for spec in specs:
        bank = QuestionBank.objects.filter(key=spec.key).first()
        created = bank is None
        if created:
            bank = QuestionBank(
                key=spec.key, title=spec.title, description=spec.description
            )
        existing = {q.key: q for q in bank.questions.all()} if not created else {}
        changed = created or (bank.title, bank.description) != (
            spec.title,
            spec.description,
        )
        bank.title, bank.description = spec.title, spec.description
        wanted = []
        for order, question_spec in enumerate(spec.questions):
            fields = _question_fields(question_spec)
            question = existing.get(question_spec.key)
            if question is None:
                question = Question(key=question_spec.key)
                changed = True
            elif not _same(question, fields) or question.sort_order != order:
                changed = True
            for name, value in fields.items():
                setattr(question, name, value)
            question.sort_order = order
            wanted.append(question)
        if set(existing) - {q.key for q in spec.questions}:
            changed = True
        if changed or not bank.live:
            bank.questions = wanted
            bank.save()
            bank.save_revision().publish()
            report.add("question bank", "created" if created else "updated")
        else:
            report.add("question bank", "unchanged")
        banks[spec.key] = bank
    return banks


def ensure_exam_index(home: HomePage, report: LoadReport) -> ExamIndexPage:
    return upsert_page(
        parent=home,
        model=ExamIndexPage,
        slug="exams",
        fields={
            "title": "Certification exams",
            "intro": "Timed exams that lead to a certification anyone can verify.",
        },
        report=report,
        kind="exams page",
    )


def apply_exams(specs: list[ExamSpec], *, index, courses, banks, report) -> dict:
    pages = {}
    for spec in specs:
        parent = courses[spec.course] if spec.course else index
        wanted_sections = [
            (s.title, banks[s.bank].pk, s.topic, s.count) for s in spec.sections
        ]

        def sync_sections(page, wanted=wanted_sections) -> bool:
            current = list(
                ExamSection.objects.filter(exam_id=page.pk)
                .order_by("sort_order", "pk")
                .values_list("title", "bank_id", "topic", "count")
            )
            if current == wanted:
                return False
            page.sections = [
                ExamSection(title=t, bank_id=b, topic=tp, count=c, sort_order=i)
                for i, (t, b, tp, c) in enumerate(wanted)
            ]
            return True

        pages[spec.key] = upsert_page(
            parent=parent,
            model=ExamPage,
            slug=spec.key,
            fields={
                "title": spec.title,
                "intro": paragraphs_to_html(spec.intro),
                "time_limit_minutes": spec.time_limit_minutes,
                "pass_mark": spec.pass_mark,
                "attempts_allowed": spec.attempts_allowed,
                "cooldown_minutes": spec.cooldown_minutes,
                "shuffle_questions": spec.shuffle_questions,
                "shuffle_choices": spec.shuffle_choices,
                "navigation": spec.navigation,
                "questions_per_page": spec.questions_per_page,
                "deadline_policy": spec.deadline_policy,
                "grace_minutes": spec.grace_minutes,
                "review_policy": spec.review_policy,
                "review_after": spec.review_after,
                "practical_weight": spec.practical_weight,
                "minimum_theory_percent": spec.minimum_theory_percent,
                "minimum_practical_percent": spec.minimum_practical_percent,
                "blind_grading": spec.blind_grading,
                "second_marking_percent": spec.second_marking_percent,
                "second_marking_margin": spec.second_marking_margin,
                "marking_tolerance": spec.marking_tolerance,
                "appeal_days": spec.appeal_days,
                "requires_course_modules": bool(spec.course),
                "requires_experience_attestation": spec.requires_experience_attestation,
            },
            report=report,
            kind="exam",
            after_save=sync_sections,
        )
    return pages
