"""What can be assigned: a course, a learning path or a certification level.

Each kind says, for many people and items at once (a fixed number of queries), who
has completed what and when, who has started, and how to enrol someone. Adding a
kind of assignable thing is one class here, registered in ``KINDS``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from certificates.api import (
    Certificate,
    CertificateKind,
    CertificationLevelPage,
    LevelRequiredExam,
)
from courses.api import (
    CourseAccessError,
    CoursePage,
    Enrollment,
    LearningPathPage,
    LearningPathStep,
    enroll,
)
from exams.api import Attempt

Pair = tuple[int, int]  # (person id, item id)


class ItemKind(ABC):
    model: type[Page]
    label = ""
    # Whether a later cycle can be completed again: a certification is renewed;
    # a course or a path, once completed, stays completed.
    repeats = False

    @abstractmethod
    def completions(
        self, person_ids: Iterable[int], item_ids: Iterable[int]
    ) -> dict[Pair, datetime]:
        """When each person last completed each item (absent: not completed)."""

    @abstractmethod
    def started(self, person_ids: Iterable[int], item_ids: Iterable[int]) -> set[Pair]:
        """Who has begun each item without completing it (or after)."""

    def enrol(self, person, item: Page) -> str:
        """Enrol ``person`` where the item needs it; a message when refused."""
        return ""


class CourseKind(ItemKind):
    model = CoursePage
    label = _("Course")

    def completions(self, person_ids, item_ids):
        rows = Enrollment.objects.filter(
            user_id__in=person_ids, course_id__in=item_ids, completed_at__isnull=False
        ).values_list("user_id", "course_id", "completed_at")
        return {(user, course): done for user, course, done in rows}

    def started(self, person_ids, item_ids):
        return set(
            Enrollment.objects.filter(
                user_id__in=person_ids,
                course_id__in=item_ids,
                last_activity_at__isnull=False,
            ).values_list("user_id", "course_id")
        )

    def enrol(self, person, item):
        try:
            enroll(user=person, course=item.specific)
        except CourseAccessError as refused:
            return str(refused)
        return ""


COURSES = CourseKind()


class PathKind(ItemKind):
    """A path is complete when every one of its courses is."""

    model = LearningPathPage
    label = _("Learning path")

    def _courses(self, item_ids) -> dict[int, list[int]]:
        courses = defaultdict(list)
        for path, course in (
            LearningPathStep.objects.filter(path_id__in=item_ids)
            .order_by("path_id", "sort_order")
            .values_list("path_id", "course_id")
        ):
            courses[path].append(course)
        return courses

    def completions(self, person_ids, item_ids):
        courses = self._courses(item_ids)
        done = COURSES.completions(
            person_ids, {c for cs in courses.values() for c in cs}
        )
        result = {}
        for path, steps in courses.items():
            for person in person_ids:
                times = [done.get((person, course)) for course in steps]
                if steps and all(times):
                    result[(person, path)] = max(times)
        return result

    def started(self, person_ids, item_ids):
        courses = self._courses(item_ids)
        active = COURSES.started(person_ids, {c for cs in courses.values() for c in cs})
        return {
            (person, path)
            for path, steps in courses.items()
            for person, course in active
            if course in steps
        }

    def enrol(self, person, item):
        """Enrol in the first course of the path not yet completed."""
        steps = self._courses([item.pk]).get(item.pk, [])
        done = COURSES.completions([person.pk], steps)
        for course in steps:
            if (person.pk, course) not in done:
                return COURSES.enrol(person, CoursePage.objects.get(pk=course))
        return ""


class LevelKind(ItemKind):
    """A certification level is complete while the person holds a valid certificate."""

    model = CertificationLevelPage
    label = _("Certification")
    repeats = True

    def completions(self, person_ids, item_ids):
        rows = (
            Certificate.objects.valid_on(timezone.localdate())
            .filter(
                holder_id__in=person_ids,
                level_id__in=item_ids,
                kind=CertificateKind.CERTIFICATION,
            )
            .values("holder_id", "level_id")
            .annotate(latest=Max("created_at"))
        )
        return {(row["holder_id"], row["level_id"]): row["latest"] for row in rows}

    def started(self, person_ids, item_ids):
        exams = defaultdict(set)
        for level, exam in LevelRequiredExam.objects.filter(
            level_id__in=item_ids
        ).values_list("level_id", "exam_id"):
            exams[exam].add(level)
        tried = Attempt.objects.filter(
            user_id__in=person_ids, exam_id__in=exams
        ).values_list("user_id", "exam_id")
        return {(person, level) for person, exam in tried for level in exams[exam]}


KINDS: tuple[ItemKind, ...] = (COURSES, PathKind(), LevelKind())


def kind_for(item: Page) -> ItemKind:
    """The kind of an assignable page (raises ValueError for anything else)."""
    model = item.specific_class
    for kind in KINDS:
        if model is not None and issubclass(model, kind.model):
            return kind
    raise ValueError(f"{item!r} cannot be assigned")


def assignable_pages():
    """Live courses, paths and certification levels, for the assign form."""
    return Page.objects.live().type(*(kind.model for kind in KINDS)).order_by("title")
