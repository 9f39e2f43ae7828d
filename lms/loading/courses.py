"""content/courses/*.yaml and content/paths/*.yaml: courses, lessons and paths."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from courses.models import (
    CatalogPage,
    CoursePage,
    CoursePrerequisite,
    LearningPathIndexPage,
    LearningPathPage,
    LearningPathStep,
    ModulePage,
)
from lms.models import HomePage

from .base import ContentError, Document, LoadReport, Schema
from .pages import inline_html, paragraphs_to_html, upsert_page

KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class CalloutSpec(Schema):
    kind: Literal["tip", "warning", "note"]
    title: str = ""
    text: str


class CodeSpec(Schema):
    language: Literal["bash", "json", "yaml", "python", "text", "http", "sql", "promql"]
    caption: str = ""
    code: str


class CheckSpec(Schema):
    question: str
    choices: list[str] = Field(min_length=2, max_length=6)
    answer: int = Field(ge=0, description="0-based index of the correct choice")
    explanation: str = ""

    @model_validator(mode="after")
    def _answer_in_range(self):
        if self.answer >= len(self.choices):
            raise ValueError(
                f"answer {self.answer} is out of range for {len(self.choices)} choices "
                "(answers count from 0)"
            )
        return self


class BlockSpec(Schema):
    heading: str | None = None
    paragraph: str | None = None
    bullets: list[str] | None = Field(default=None, alias="list")
    ordered_list: list[str] | None = None
    callout: CalloutSpec | None = None
    code: CodeSpec | None = None
    check: CheckSpec | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [
            name for name in type(self).model_fields if getattr(self, name) is not None
        ]
        if len(given) != 1:
            names = [f.alias or n for n, f in type(self).model_fields.items()]
            raise ValueError("a block has exactly one of: " + ", ".join(names))
        return self

    @property
    def kind(self) -> str:
        name = next(n for n in type(self).model_fields if getattr(self, n) is not None)
        return "list" if name == "bullets" else name


class ModuleSpec(Schema):
    key: str = Field(pattern=KEY_PATTERN)
    title: str = Field(min_length=3, max_length=255)
    minutes: int = Field(ge=1, le=600)
    summary: str = Field(default="", max_length=300)
    body: list[BlockSpec] = Field(min_length=1)


class CourseSpec(Schema):
    key: str = Field(pattern=KEY_PATTERN)
    code: str = Field(default="", max_length=20)
    title: str = Field(min_length=3, max_length=255)
    level: Literal["fundamentals", "advanced", "expert"]
    audience: Literal["customers", "internal", "both"]
    duration_hours: int = Field(ge=1, le=1000)
    summary: str = Field(max_length=300)
    description: str = ""
    outcomes: list[str] = []
    prerequisites: list[str] = []
    equivalent_certifications: list[str] = []
    requires_final_exam: bool = False
    certificate_validity_months: int | None = Field(default=None, ge=1, le=120)
    lessons: list[ModuleSpec] = Field(min_length=1)


class StepSpec(Schema):
    course: str
    required: bool = True


class PathSpec(Schema):
    key: str = Field(pattern=KEY_PATTERN)
    title: str
    role: Literal["administrator", "developer", "security_analyst", "architect"]
    summary: str = Field(max_length=300)
    description: str = ""
    steps: list[StepSpec] = Field(min_length=1)


# --- reference checks ------------------------------------------------------------------


def check_references(bundle) -> list[ContentError]:
    errors: list[ContentError] = []
    courses: dict[str, tuple[Document, CourseSpec]] = {}
    for document, spec in bundle["courses"]:
        if spec.key != document.path.stem:
            errors.append(
                document.error(("key",), f"key '{spec.key}' must match the file name")
            )
        if spec.key in courses:
            errors.append(
                document.error(("key",), f"duplicate course key '{spec.key}'")
            )
        courses[spec.key] = (document, spec)
        seen: set[str] = set()
        for index, module in enumerate(spec.lessons):
            if module.key in seen:
                errors.append(
                    document.error(
                        ("lessons", index, "key"),
                        f"duplicate lesson key '{module.key}'",
                    )
                )
            seen.add(module.key)
    for document, spec in courses.values():
        for index, required in enumerate(spec.prerequisites):
            if required not in courses:
                errors.append(
                    document.error(
                        ("prerequisites", index), f"unknown course '{required}'"
                    )
                )
    errors.extend(_cycle_errors(courses))
    for document, spec in bundle["paths"]:
        if spec.key != document.path.stem:
            errors.append(
                document.error(("key",), f"key '{spec.key}' must match the file name")
            )
        for index, step in enumerate(spec.steps):
            if step.course not in courses:
                errors.append(
                    document.error(
                        ("steps", index, "course"), f"unknown course '{step.course}'"
                    )
                )
    return errors


def _cycle_errors(courses) -> list[ContentError]:
    graph = {
        key: [r for r in spec.prerequisites if r in courses]
        for key, (_d, spec) in courses.items()
    }
    state: dict[str, int] = {}
    errors: list[ContentError] = []

    def visit(key: str, trail: list[str]) -> None:
        state[key] = 1
        for required in graph[key]:
            if state.get(required) == 1:
                cycle = [*trail[trail.index(required) :], required]
                document = courses[key][0]
                errors.append(
                    document.error(
                        ("prerequisites",),
                        "prerequisites form a cycle: " + " -> ".join(cycle),
                    )
                )
            elif required not in state:
                visit(required, [*trail, required])
        state[key] = 2

    for key in sorted(graph):
        if key not in state:
            visit(key, [key])
    return errors


# --- writing ---------------------------------------------------------------------------


def _rich_text(blocks: list[BlockSpec]) -> str:
    parts = []
    for block in blocks:
        if block.paragraph is not None:
            parts.append(f"<p>{inline_html(' '.join(block.paragraph.split()))}</p>")
        else:
            tag = "ul" if block.bullets is not None else "ol"
            items = block.bullets if block.bullets is not None else block.ordered_list
            parts.append(
                f"<{tag}>"
                + "".join(f"<li>{inline_html(i)}</li>" for i in items)
                + f"</{tag}>"
            )
    return "".join(parts)


def lesson_stream(body: list[BlockSpec]) -> list[dict]:
    """YAML blocks as StreamField data; consecutive text blocks merge into one."""
    stream: list[dict] = []
    pending: list[BlockSpec] = []

    def flush():
        if pending:
            stream.append({"type": "rich_text", "value": _rich_text(pending)})
            pending.clear()

    for block in body:
        kind = block.kind
        if kind in ("paragraph", "list", "ordered_list"):
            pending.append(block)
            continue
        flush()
        if kind == "heading":
            stream.append({"type": "heading", "value": block.heading})
        elif kind == "callout":
            stream.append(
                {
                    "type": "callout",
                    "value": {
                        "kind": block.callout.kind,
                        "title": block.callout.title,
                        "text": paragraphs_to_html(block.callout.text),
                    },
                }
            )
        elif kind == "code":
            stream.append(
                {
                    "type": "code",
                    "value": {
                        "language": block.code.language,
                        "caption": block.code.caption,
                        "code": block.code.code.rstrip("\n"),
                    },
                }
            )
        elif kind == "check":
            stream.append(
                {
                    "type": "knowledge_check",
                    "value": {
                        "question": block.check.question,
                        "choices": [
                            {"text": text, "correct": index == block.check.answer}
                            for index, text in enumerate(block.check.choices)
                        ],
                        "explanation": block.check.explanation,
                    },
                }
            )
    flush()
    return stream


def ensure_index_pages(home: HomePage, site_spec, report: LoadReport):
    catalog = upsert_page(
        parent=home,
        model=CatalogPage,
        slug="catalog",
        fields={"title": site_spec.catalog.title, "intro": site_spec.catalog.intro},
        report=report,
        kind="catalog page",
    )
    paths = upsert_page(
        parent=home,
        model=LearningPathIndexPage,
        slug="paths",
        fields={"title": site_spec.paths.title, "intro": site_spec.paths.intro},
        report=report,
        kind="learning paths page",
    )
    return catalog, paths


def apply_courses(catalog: CatalogPage, specs: list[CourseSpec], report: LoadReport):
    pages: dict[str, CoursePage] = {}
    for spec in specs:
        course = upsert_page(
            parent=catalog,
            model=CoursePage,
            slug=spec.key,
            fields={
                "title": spec.title,
                "code": spec.code,
                "level": spec.level,
                "audience": spec.audience,
                "duration_hours": spec.duration_hours,
                "summary": " ".join(spec.summary.split()),
                "description": paragraphs_to_html(spec.description),
                "outcomes": "\n".join(spec.outcomes),
                "requires_final_exam": spec.requires_final_exam,
                "certificate_validity_months": spec.certificate_validity_months,
                "equivalent_certifications": ",".join(spec.equivalent_certifications),
            },
            report=report,
            kind="course",
        )
        pages[spec.key] = course
        modules = [
            upsert_page(
                parent=course,
                model=ModulePage,
                slug=module.key,
                fields={
                    "title": module.title,
                    "summary": " ".join(module.summary.split()),
                    "estimated_minutes": module.minutes,
                    "body": lesson_stream(module.body),
                },
                report=report,
                kind="lesson",
            )
            for module in spec.lessons
        ]
        _keep_module_order(course, modules)
    for spec in specs:
        _sync_prerequisites(
            pages[spec.key], [pages[k] for k in spec.prerequisites], report
        )
    return pages


def _keep_module_order(course: CoursePage, modules: list[ModulePage]) -> None:
    wanted = [module.pk for module in modules]
    current = [
        pk
        for pk in ModulePage.objects.child_of(course)
        .order_by("path")
        .values_list("pk", flat=True)
        if pk in set(wanted)
    ]
    if current != wanted:
        for module in modules:
            ModulePage.objects.get(pk=module.pk).move(course, pos="last-child")


def _sync_prerequisites(course: CoursePage, required: list[CoursePage], report) -> None:
    course = CoursePage.objects.get(pk=course.pk)
    current = list(
        course.prerequisite_links.order_by("sort_order", "pk").values_list(
            "required_course_id", flat=True
        )
    )
    wanted = [page.pk for page in required]
    if current == wanted:
        report.add("course prerequisites", "unchanged")
        return
    course.prerequisite_links = [
        CoursePrerequisite(required_course_id=pk, sort_order=index)
        for index, pk in enumerate(wanted)
    ]
    course.save_revision().publish()
    report.add("course prerequisites", "created" if not current else "updated")


def apply_paths(index: LearningPathIndexPage, specs, courses, report) -> None:
    for spec in specs:
        wanted = [(courses[step.course].pk, step.required) for step in spec.steps]

        def sync_steps(page, wanted=wanted) -> bool:
            current = list(
                LearningPathStep.objects.filter(path_id=page.pk)
                .order_by("sort_order", "pk")
                .values_list("course_id", "required")
            )
            if current == wanted:
                return False
            page.steps = [
                LearningPathStep(course_id=course_id, required=required, sort_order=i)
                for i, (course_id, required) in enumerate(wanted)
            ]
            return True

        upsert_page(
            parent=index,
            model=LearningPathPage,
            slug=spec.key,
            fields={
                "title": spec.title,
                "role": spec.role,
                "summary": " ".join(spec.summary.split()),
                "description": paragraphs_to_html(spec.description),
            },
            report=report,
            kind="learning path",
            after_save=sync_steps,
        )
