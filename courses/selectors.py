"""Reads for course pages and the dashboard.

Each selector runs a fixed number of queries whatever the size of the catalog or the
learner's history: per-learner facts are read once into a :class:`LearnerSnapshot`,
per-course counts come from grouped queries, never from a loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, prefetch_related_objects
from django.db.models.functions import Length, Substr
from wagtail.models import Page

from accounts.api import is_internal_staff

from .content_version import kept_per_id, kept_per_object
from .learner_rows import LearnerRows, kept_rows, read_rows
from .models import (
    Audience,
    CardStatus,
    CoursePage,
    CoursePrerequisite,
    Enrollment,
    ModulePage,
    resume_point,
)
from .prerequisites import held_credential_codes


@dataclass(frozen=True)
class MissingPrerequisite:
    """A prerequisite course the learner has not completed (nor stood in for)."""

    course: CoursePage
    accepted_certifications: tuple[str, ...] = ()


class LearnerSnapshot:
    """What one learner has done (:mod:`courses.learner_rows`): enrollments with
    completed-module counts, the lessons done and exemptions; credentials only
    when a prerequisite could be stood in for by one.
    """

    def __init__(self, user=None, *, rows: LearnerRows | None = None):
        self.user = user
        self.enrollments: dict[int, Enrollment] = {}
        self.exemptions: set[int] = set()
        self._completed: dict[int, frozenset[int]] = {}
        self.internal_staff = False
        if user is not None and user.is_authenticated:
            self.internal_staff = is_internal_staff(user)
            if rows is None:
                rows = read_rows(user)
            self.enrollments = rows.enrollments
            self.exemptions = set(rows.exemptions)
            self._completed = rows.completed

    def completed_ids(self, course_id: int) -> frozenset[int]:
        """The lessons of the course the learner completed."""
        return self._completed.get(course_id, frozenset())

    @property
    def completed_module_counts(self) -> dict[int, int]:
        return {cid: e.completed_modules for cid, e in self.enrollments.items()}

    @cached_property
    def credentials(self) -> set[str]:
        return held_credential_codes(self.user) if self.user else set()

    def has_completed(self, course: CoursePage) -> bool:
        enrollment = self.enrollments.get(course.pk)
        return bool(enrollment and enrollment.completed_at)

    def satisfies(self, course: CoursePage) -> bool:
        """Completed, or holds a credential configured as equivalent to it."""
        if self.has_completed(course):
            return True
        codes = set(course.equivalent_certification_codes)
        return bool(codes and codes & self.credentials)


def learner_snapshot(user) -> LearnerSnapshot:
    """The learner's snapshot for a page, from their kept rows. What decides
    (a service) builds ``LearnerSnapshot(user)``, read from the database."""
    if user is None or not user.is_authenticated:
        return LearnerSnapshot(user)
    return LearnerSnapshot(user, rows=kept_rows(user))


def prerequisite_map(course_ids) -> dict[int, list[CoursePage]]:
    """Required courses of each course, in editor order (one query)."""
    links: dict[int, list[CoursePage]] = {}
    for link in (
        CoursePrerequisite.objects.filter(course_id__in=list(course_ids))
        .select_related("required_course")
        .order_by("sort_order", "pk")
    ):
        links.setdefault(link.course_id, []).append(link.required_course)
    return links


def missing_for(
    course: CoursePage, links: dict[int, list[CoursePage]], snapshot: LearnerSnapshot
) -> list[MissingPrerequisite]:
    missing = [
        MissingPrerequisite(
            course=required,
            accepted_certifications=tuple(required.equivalent_certification_codes),
        )
        for required in links.get(course.pk, [])
        if not snapshot.satisfies(required)
    ]
    if missing and course.pk in snapshot.exemptions:
        return []
    return missing


def missing_prerequisites(*, user, course: CoursePage) -> list[MissingPrerequisite]:
    """What stands between ``user`` and ``course``; empty when it is unlocked
    (read from the database: enrolling and completing decide by it)."""
    return missing_for(course, prerequisite_map([course.pk]), LearnerSnapshot(user))


def live_module_counts(courses) -> dict[int, int]:
    """Number of live modules under each course (one grouped query)."""
    by_path = {course.path: course.pk for course in courses}
    if not by_path:
        return {}
    rows = (
        ModulePage.objects.live()
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .filter(parent_path__in=list(by_path))
        .order_by()
        .values("parent_path")
        .annotate(count=Count("id"))
        .values_list("parent_path", "count")
    )
    return {by_path[path]: count for path, count in rows}


def visible_courses(user):
    courses = CoursePage.objects.live()
    if not is_internal_staff(user):
        courses = courses.exclude(audience=Audience.INTERNAL)
    return courses


def shown_to(course: CoursePage, *, internal_staff: bool) -> bool:
    """The Python side of :func:`visible_courses`' audience rule, for a live course
    read already (a kept one): internal courses only for internal staff."""
    return internal_staff or course.audience != Audience.INTERNAL


@dataclass
class CourseCard:
    """A course as a learner sees it in a list: status, progress and lock."""

    course: CoursePage
    module_count: int
    completed_count: int
    enrollment: Enrollment | None
    missing: list[MissingPrerequisite]
    # The part the same for every learner, rendered and kept by the
    # ``keep_card_heads`` tag; empty until it runs.
    head: str = ""

    @property
    def percent(self) -> int:
        if self.enrollment and self.enrollment.completed_at:
            return 100
        if not self.module_count:
            return 0
        return min(100, round(100 * self.completed_count / self.module_count))

    @property
    def status(self) -> CardStatus:
        if self.enrollment and self.enrollment.completed_at:
            return CardStatus.COMPLETED
        if self.enrollment:
            return CardStatus.IN_PROGRESS
        if self.missing:
            return CardStatus.LOCKED
        return CardStatus.AVAILABLE

    @property
    def progress_detail(self) -> str:
        return f"{self.completed_count} of {self.module_count} modules"

    @property
    def awaiting_final_exam(self) -> bool:
        return bool(
            self.enrollment
            and not self.enrollment.completed_at
            and self.course.requires_final_exam
            and not self.enrollment.final_exam_passed_at
            and self.module_count
            and self.completed_count >= self.module_count
        )


@dataclass(frozen=True)
class CardFacts:
    """What a course's card shows of the course beyond its own row, the same for
    every learner: how many live lessons it has and the courses it requires."""

    module_count: int
    required: list[CoursePage]


def card_facts(courses) -> dict[int, CardFacts]:
    """Each course's :class:`CardFacts`, kept under the content version (one
    cache read; two queries for those not kept, however many)."""
    return kept_per_object("courses:card-facts", courses, _make_card_facts)


def _make_card_facts(courses) -> dict[int, CardFacts]:
    counts = live_module_counts(courses)
    links = prerequisite_map(course.pk for course in courses)
    return {
        course.pk: CardFacts(
            module_count=counts.get(course.pk, 0), required=links.get(course.pk, [])
        )
        for course in courses
    }


def build_cards(
    courses: list[CoursePage], snapshot: LearnerSnapshot, facts=None
) -> list[CourseCard]:
    """The learner's card for each course. What the card shows of the course
    (its lesson count and prerequisites) comes from ``facts``, by course id: any
    part with ``module_count`` and ``required`` (:class:`CardFacts`, a
    :class:`CourseShared`), read here when not given."""
    if facts is None:
        facts = card_facts(courses)
    cards = []
    for course in courses:
        part = facts.get(course.pk)
        cards.append(
            CourseCard(
                course=course,
                module_count=part.module_count if part else 0,
                completed_count=snapshot.completed_module_counts.get(course.pk, 0),
                enrollment=snapshot.enrollments.get(course.pk),
                missing=missing_for(
                    course, {course.pk: part.required if part else []}, snapshot
                ),
            )
        )
    return cards


def course_entries(
    ids, *, version: int | None = None
) -> dict[int, tuple[CoursePage, CardFacts]]:
    """Each live course of ``ids`` with its cover image and :class:`CardFacts`,
    kept per course under the content version (or the ``version`` read
    already): one cache read, two queries for those not kept. A course not live
    is left out; who may see it is the caller's question (:func:`shown_to`)."""
    return kept_per_id(
        "courses:course-entry", ids, _make_course_entries, version=version
    )


def _make_course_entries(ids) -> dict[int, tuple[CoursePage, CardFacts]]:
    courses = list(
        CoursePage.objects.live().filter(pk__in=ids).select_related("cover_image")
    )
    facts = _make_card_facts(courses)
    return {course.pk: (course, facts[course.pk]) for course in courses}


def with_cover_renditions(courses: list[CoursePage]) -> list[CoursePage]:
    """``courses`` with their cover images' renditions read (one query). They are
    never kept with the courses: the site makes new ones as pages are viewed, and
    a rendition saved does not advance the content version."""
    prefetch_related_objects(
        [course.cover_image for course in courses if course.cover_image],
        "renditions",
    )
    return courses


@dataclass(frozen=True)
class CourseShared:
    """What a course page shows every learner alike: its live lessons in order,
    its other live pages (a final exam) and its prerequisite courses."""

    modules: list[ModulePage]
    assessments: list[Page]
    required: list[CoursePage]

    @property
    def module_count(self) -> int:
        return len(self.modules)


def _children_by_course(pages, courses) -> dict[int, list]:
    """``pages`` (a page queryset) that are children of ``courses``, in site order,
    per course: one query whatever the number of courses."""
    by_path = {course.path: course.pk for course in courses}
    children: dict[int, list] = {pk: [] for pk in by_path.values()}
    for page in (
        pages.annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .filter(parent_path__in=list(by_path))
        .order_by("path")
    ):
        children[by_path[page.parent_path]].append(page)
    return children


def courses_shared(courses) -> dict[int, CourseShared]:
    """Each course's shared part, kept under the content version (so any page
    saved, published, moved or deleted makes it be read again): one cache read for
    all of them, and three queries for those not kept, however many."""
    # The name carries the part's shape (2: ``required``), so that parts kept
    # by an earlier release are never read as this one.
    return kept_per_object("courses:shared:2", courses, _make_shared)


def _make_shared(courses) -> dict[int, CourseShared]:
    modules = _children_by_course(
        ModulePage.objects.live().defer_streamfields(), courses
    )
    # Other live children (a final exam) are linked without knowing their type.
    assessments = _children_by_course(
        Page.objects.live()
        .not_type(ModulePage)
        .only("id", "title", "slug", "url_path", "path", "depth"),
        courses,
    )
    links = prerequisite_map(course.pk for course in courses)
    return {
        course.pk: CourseShared(
            modules=modules[course.pk],
            assessments=assessments[course.pk],
            required=links.get(course.pk, []),
        )
        for course in courses
    }


def course_shared(course: CoursePage) -> CourseShared:
    """One course's shared part (:func:`courses_shared`)."""
    return courses_shared([course])[course.pk]


def course_detail(*, course: CoursePage, user, with_assessments: bool = True) -> dict:
    """The course as ``user`` sees it: the shared part (:func:`course_shared`) and
    the learner's own (their snapshot and the lessons they completed)."""
    snapshot = learner_snapshot(user)
    enrollment = snapshot.enrollments.get(course.pk)
    shared = course_shared(course)
    modules = shared.modules
    (card,) = build_cards([course], snapshot, {course.pk: shared})
    completed_ids = snapshot.completed_ids(course.pk) if enrollment else frozenset()
    return {
        "card": card,
        "modules": modules,
        "assessments": shared.assessments if with_assessments else [],
        "completed_ids": completed_ids,
        "resume_module": resume_point(
            modules,
            last_module_id=card.enrollment.last_module_id,
            completed_ids=completed_ids,
        )
        if card.enrollment
        else None,
    }


def module_detail(*, module: ModulePage, course: CoursePage, user) -> dict:
    context = course_detail(course=course, user=user, with_assessments=False)
    modules = context["modules"]
    index = next((i for i, m in enumerate(modules) if m.pk == module.pk), None)
    card: CourseCard = context["card"]
    context.update(
        {
            "course": course,
            "module_index": (index or 0) + 1,
            "previous_module": modules[index - 1] if index else None,
            "next_module": (
                modules[index + 1]
                if index is not None and index + 1 < len(modules)
                else None
            ),
            "is_completed": module.pk in context["completed_ids"],
            "can_study": bool(card.enrollment) and not card.missing,
        }
    )
    return context
