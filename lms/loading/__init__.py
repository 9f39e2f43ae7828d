"""Load the demo curriculum (``content/``) into the page tree and records.

The whole load is one transaction: every file is parsed and validated first, cross
references are checked, and only then is anything written. Pages and records are
matched by stable keys (slugs), so a second load changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from . import certifications, courses, exams, onboarding, site
from .base import (
    ContentError,
    ContentInvalid,
    Document,
    LoadReport,
    Schema,
    read_document,
)

__all__ = ["ContentError", "ContentInvalid", "LoadReport", "load_content"]


@dataclass(frozen=True)
class Section:
    """A kind of content file: where it lives and the schema it must follow."""

    name: str
    pattern: str
    schema: type[Schema]
    required: bool = False


SECTIONS: list[Section] = [
    Section("site", site.FILE, site.SiteSchema, required=True),
    Section("courses", "courses/*.yaml", courses.CourseSpec),
    Section("paths", "paths/*.yaml", courses.PathSpec),
    Section("banks", "banks/*.yaml", exams.BankSpec),
    Section("exams", "exams/*.yaml", exams.ExamSpec),
    Section("program", certifications.PROGRAM_FILE, certifications.ProgramSpec),
    Section("levels", "certifications/[!_]*.yaml", certifications.LevelSpec),
    Section("onboarding", onboarding.FILE, onboarding.ProgramSpec),
]

Bundle = dict[str, list[tuple[Document, Schema]]]
ReferenceCheck = Callable[[Bundle], list[ContentError]]
Applier = Callable[[Bundle, LoadReport], None]


def _apply_all(bundle: Bundle, report: LoadReport) -> None:
    ((_document, site_spec),) = bundle["site"]
    home = site.apply(site_spec, report)
    catalog, paths_index = courses.ensure_index_pages(home, site_spec, report)
    course_pages = courses.apply_courses(
        catalog, [spec for _doc, spec in bundle["courses"]], report
    )
    courses.apply_paths(
        paths_index, [spec for _doc, spec in bundle["paths"]], course_pages, report
    )
    banks = exams.apply_banks([spec for _doc, spec in bundle["banks"]], report)
    exam_pages = exams.apply_exams(
        [spec for _doc, spec in bundle["exams"]],
        index=exams.ensure_exam_index(home, report),
        courses=course_pages,
        banks=banks,
        report=report,
    )
    program = bundle["program"][0][1] if bundle["program"] else None
    certifications.apply(
        home,
        program,
        [spec for _doc, spec in bundle["levels"]],
        exams=exam_pages,
        courses=course_pages,
        report=report,
    )
    onboarding.apply(
        home,
        bundle["onboarding"][0][1] if bundle["onboarding"] else None,
        pages={**course_pages, **exam_pages},
        report=report,
    )


REFERENCE_CHECKS: list[ReferenceCheck] = [
    courses.check_references,
    exams.check_references,
    certifications.check_references,
    onboarding.check_references,
]
APPLIERS: list[Applier] = [_apply_all]


def default_content_root() -> Path:
    return Path(settings.BASE_DIR) / "content"


def read_bundle(root: Path) -> Bundle:
    """Parse and validate every content file under ``root``; raise on any problem."""
    if not root.is_dir():
        raise ContentInvalid([ContentError(str(root), None, "", "no such folder")])
    errors: list[ContentError] = []
    bundle: Bundle = {section.name: [] for section in SECTIONS}
    claimed: set[Path] = set()
    for section in SECTIONS:
        paths = sorted(root.glob(section.pattern))
        if section.required and not paths:
            errors.append(
                ContentError(section.pattern, None, "", "required file is missing")
            )
        for path in paths:
            claimed.add(path)
            document, problems = read_document(path, root)
            errors.extend(problems)
            if document is None:
                continue
            spec, problems = document.validate(section.schema)
            errors.extend(problems)
            if spec is not None:
                bundle[section.name].append((document, spec))
    for path in sorted(root.rglob("*.y*ml")):
        if path not in claimed:
            errors.append(
                ContentError(
                    str(path.relative_to(root.parent)),
                    None,
                    "",
                    "not a known kind of content file (check its folder and name)",
                )
            )
    if not errors:
        for check in REFERENCE_CHECKS:
            errors.extend(check(bundle))
    if errors:
        raise ContentInvalid(errors)
    return bundle


def load_content(root: Path | None = None) -> LoadReport:
    """Upsert everything under ``root`` (default: the project's ``content/``).

    Raises :class:`ContentInvalid` listing every problem (file, line, location,
    problem) when any file is invalid; in that case nothing at all is written.
    """
    bundle = read_bundle(root or default_content_root())
    report = LoadReport()
    with transaction.atomic():
        for applier in APPLIERS:
            applier(bundle, report)
    return report
