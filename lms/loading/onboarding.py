"""content/onboarding/program.yaml: the onboarding program, its weeks and activities."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from onboarding.models import (
    ActivityKind,
    OnboardingActivity,
    OnboardingProgramPage,
    OnboardingWeekPage,
)

from .base import ContentError, LoadReport, Schema
from .courses import KEY_PATTERN
from .pages import paragraphs_to_html, upsert_page

FILE = "onboarding/program.yaml"
Kind = Literal[tuple(ActivityKind.values)]  # type: ignore[valid-type]


class ActivitySpec(Schema):
    key: str = Field(pattern=KEY_PATTERN)
    title: str
    kind: Kind
    description: str = ""
    page: str | None = None
    requires_signoff: bool = False
    required: bool = True


class WeekSpec(Schema):
    number: int = Field(ge=1, le=52)
    title: str
    topics: list[str] = Field(min_length=1)
    activities: list[ActivitySpec] = Field(min_length=1)


class ProgramSpec(Schema):
    title: str
    intro: str = ""
    weeks: list[WeekSpec] = Field(min_length=1)


def check_references(bundle) -> list[ContentError]:
    errors: list[ContentError] = []
    known = {spec.key for _d, spec in bundle["courses"]} | {
        spec.key for _d, spec in bundle["exams"]
    }
    for document, program in bundle["onboarding"]:
        numbers = [week.number for week in program.weeks]
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            errors.append(
                document.error(("weeks",), "weeks must be numbered 1, 2, 3, …")
            )
        for w, week in enumerate(program.weeks):
            keys = [a.key for a in week.activities]
            if len(keys) != len(set(keys)):
                errors.append(
                    document.error(("weeks", w), "activity keys must be unique")
                )
            for a, activity in enumerate(week.activities):
                if activity.page and activity.page not in known:
                    errors.append(
                        document.error(
                            ("weeks", w, "activities", a, "page"),
                            f"unknown course or exam '{activity.page}'",
                        )
                    )
                if activity.kind == "exam" and not activity.page:
                    errors.append(
                        document.error(
                            ("weeks", w, "activities", a),
                            "an exam activity needs its exam page",
                        )
                    )
    return errors


def apply(home, spec: ProgramSpec | None, *, pages: dict, report: LoadReport):
    if spec is None:
        return None
    program = upsert_page(
        parent=home,
        model=OnboardingProgramPage,
        slug="onboarding",
        fields={"title": spec.title, "intro": paragraphs_to_html(spec.intro)},
        report=report,
        kind="onboarding program",
    )
    for week_spec in spec.weeks:
        wanted = [
            (
                a.key,
                a.title,
                a.kind,
                a.description,
                pages[a.page].pk if a.page else None,
                a.requires_signoff,
                a.required,
            )
            for a in week_spec.activities
        ]

        def sync(page, wanted=wanted) -> bool:
            current = list(
                OnboardingActivity.objects.filter(week_id=page.pk)
                .order_by("sort_order", "pk")
                .values_list(
                    "key",
                    "title",
                    "kind",
                    "description",
                    "page_id",
                    "requires_signoff",
                    "required",
                )
            )
            if current == wanted:
                return False
            existing = {
                a.key: a for a in OnboardingActivity.objects.filter(week_id=page.pk)
            }
            activities = []
            for order, (
                key,
                title,
                kind,
                description,
                page_id,
                signoff,
                required,
            ) in enumerate(wanted):
                activity = existing.get(key) or OnboardingActivity(key=key)
                activity.title, activity.kind, activity.description = (
                    title,
                    kind,
                    description,
                )
                activity.page_id, activity.requires_signoff = page_id, signoff
                activity.required, activity.sort_order = required, order
                activities.append(activity)
            page.activities = activities
            return True

        upsert_page(
            parent=program,
            model=OnboardingWeekPage,
            slug=f"week-{week_spec.number}",
            fields={
                "title": week_spec.title,
                "number": week_spec.number,
                "topics": "\n".join(week_spec.topics),
            },
            report=report,
            kind="onboarding week",
            after_save=sync,
        )
    return program
