"""content/certifications/*.yaml: the certification program and its levels."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from certificates.models import (
    CertificationLevelPage,
    CertificationProgramPage,
    LevelRequiredCourse,
    LevelRequiredExam,
)

from .base import ContentError, LoadReport, Schema
from .courses import KEY_PATTERN
from .pages import paragraphs_to_html, upsert_page

PROGRAM_FILE = "certifications/_program.yaml"


class ProgramSpec(Schema):
    title: str
    intro: str = ""


class LevelSpec(Schema):
    key: str = Field(pattern=KEY_PATTERN)
    code: str = Field(pattern=KEY_PATTERN, max_length=50)
    title: str
    audience: Literal["customers", "internal"]
    summary: str = Field(max_length=300)
    description: str = ""
    required_exams: list[str] = []
    required_courses: list[str] = []
    required_experience_months: int = Field(default=0, ge=0, le=600)
    validity_months: int = Field(ge=1, le=120)
    renewal_window_days: int = Field(default=90, ge=0, le=365)
    renewal_method: Literal["full_exam", "renewal_exam"] = "full_exam"
    renewal_exam: str | None = None
    reminder_offsets: list[int] = Field(default=[90, 30, 7, 0])
    benefits: list[str] = []


def check_references(bundle) -> list[ContentError]:
    errors: list[ContentError] = []
    exams = {spec.key for _d, spec in bundle["exams"]}
    courses = {spec.key for _d, spec in bundle["courses"]}
    codes: set[str] = set()
    for document, spec in bundle["levels"]:
        if spec.key != document.path.stem:
            errors.append(
                document.error(("key",), f"key '{spec.key}' must match the file name")
            )
        if spec.code in codes:
            errors.append(
                document.error(("code",), f"duplicate level code '{spec.code}'")
            )
        codes.add(spec.code)
        for index, key in enumerate(spec.required_exams):
            if key not in exams:
                errors.append(
                    document.error(("required_exams", index), f"unknown exam '{key}'")
                )
        for index, key in enumerate(spec.required_courses):
            if key not in courses:
                errors.append(
                    document.error(
                        ("required_courses", index), f"unknown course '{key}'"
                    )
                )
        if spec.renewal_exam and spec.renewal_exam not in exams:
            errors.append(
                document.error(("renewal_exam",), f"unknown exam '{spec.renewal_exam}'")
            )
        if spec.renewal_method == "renewal_exam" and not spec.renewal_exam:
            errors.append(
                document.error(("renewal_exam",), "a renewal exam is required")
            )
        if not spec.required_exams and not spec.required_courses:
            errors.append(
                document.error((), "a level needs at least one exam or course")
            )
        if any(offset < 0 for offset in spec.reminder_offsets):
            errors.append(
                document.error(("reminder_offsets",), "offsets are days, 0 or more")
            )
    return errors


def apply(
    home, program_spec: ProgramSpec | None, specs, *, exams, courses, report: LoadReport
):
    if program_spec is None:
        return None
    program = upsert_page(
        parent=home,
        model=CertificationProgramPage,
        slug="certifications",
        fields={
            "title": program_spec.title,
            "intro": paragraphs_to_html(program_spec.intro),
        },
        report=report,
        kind="certification program",
    )
    for spec in specs:
        wanted_exams = [exams[key].pk for key in spec.required_exams]
        wanted_courses = [courses[key].pk for key in spec.required_courses]

        def sync(
            page, wanted_exams=wanted_exams, wanted_courses=wanted_courses
        ) -> bool:
            current_exams = list(
                LevelRequiredExam.objects.filter(level_id=page.pk)
                .order_by("sort_order", "pk")
                .values_list("exam_id", flat=True)
            )
            current_courses = list(
                LevelRequiredCourse.objects.filter(level_id=page.pk)
                .order_by("sort_order", "pk")
                .values_list("course_id", flat=True)
            )
            if (current_exams, current_courses) == (wanted_exams, wanted_courses):
                return False
            page.required_exams = [
                LevelRequiredExam(exam_id=pk, sort_order=i)
                for i, pk in enumerate(wanted_exams)
            ]
            page.required_courses = [
                LevelRequiredCourse(course_id=pk, sort_order=i)
                for i, pk in enumerate(wanted_courses)
            ]
            return True

        upsert_page(
            parent=program,
            model=CertificationLevelPage,
            slug=spec.key,
            fields={
                "title": spec.title,
                "code": spec.code,
                "audience": spec.audience,
                "summary": " ".join(spec.summary.split()),
                "description": paragraphs_to_html(spec.description),
                "required_experience_months": spec.required_experience_months,
                "validity_months": spec.validity_months,
                "renewal_window_days": spec.renewal_window_days,
                "renewal_method": spec.renewal_method,
                "renewal_exam_id": exams[spec.renewal_exam].pk
                if spec.renewal_exam
                else None,
                "reminder_offsets": ",".join(
                    str(o) for o in sorted(set(spec.reminder_offsets), reverse=True)
                ),
                "benefits": "\n".join(spec.benefits),
            },
            report=report,
            kind="certification level",
            after_save=sync,
        )
    return program
