"""Reads for course pages and the dashboard.

Each selector runs a fixed number of queries whatever the size of the catalog or the
learner's history: per-learner facts are read once into a :class:`LearnerSnapshot`,
per-course counts come from grouped queries, never from a loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery, prefetch_related_objects
from django.db.models.functions import Length, Substr
from wagtail.models import Page

from accounts.api import is_internal_staff

from .content_version import content_version, kept, kept_per_id, kept_per_object
from .models import (
    Audience,
    CardStatus,
    CatalogPage,
    CoursePage,
    CoursePrerequisite,
    Enrollment,
    LearningPathIndexPage,
    LearningPathPage,
    LearningPathStep,
    ModulePage,
    ModuleProgress,
    PrerequisiteExemption,
    resume_point,
)
from .prerequisites import held_credential_codes

_SEARCH_WORDS = re.compile(r"\w+")

DURATION_BANDS = {
    "short": (0, 4),
    "medium": (5, 10),
    "long": (11, 20),
    "extended": (21, 10_000),
}


@dataclass(frozen=True)
class MissingPrerequisite:
    """A prerequisite course the learner has not completed (nor stood in for)."""

    course: CoursePage
    accepted_certifications: tuple[str, ...] = ()


class LearnerSnapshot:
    """What one learner has done, read in a fixed number of queries.

    Enrollments (with completed-module counts) and exemptions are read at once;
    credentials only when a prerequisite could be stood in for by one.
    """

    def __init__(self, user=None):
        self.user = user
        self.enrollments: dict[int, Enrollment] = {}
        self.exemptions: set[int] = set()
        self.internal_staff = False
        if user is not None and user.is_authenticated:
            self.internal_staff = is_internal_staff(user)
            self.exemptions = set(
                PrerequisiteExemption.objects.filter(user=user).values_list(
                    "course_id", flat=True
                )
            )
            self.enrollments = {
                enrollment.course_id: enrollment
                # The course pages are not joined: every caller has the course
                # already (a card, the page served), and a page read whole costs
                # more than the rest of the snapshot.
                for enrollment in Enrollment.objects.filter(user=user).annotate(
                    completed_modules=Count(
                        "module_progress",
                        filter=Q(
                            module_progress__completed_at__isnull=False,
                            module_progress__module__live=True,
                        ),
                    )
                )
            }

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
    return LearnerSnapshot(user)


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
    """What stands between ``user`` and ``course``; empty when it is unlocked."""
    return missing_for(course, prerequisite_map([course.pk]), learner_snapshot(user))


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


def in_learning_order(courses):
    """``courses`` in the order a learner takes them: by the first live learning
    path that lists each (paths in their site order, then the step's place in the
    path, where prerequisites come first), then the courses no path lists, in
    site order. Two subqueries, whatever the catalog's size."""
    first_step = LearningPathStep.objects.filter(
        course=OuterRef("pk"), path__live=True
    ).order_by("path__path", "sort_order", "pk")
    return courses.annotate(
        first_path=Subquery(first_step.values("path__path")[:1]),
        first_step=Subquery(first_step.values("sort_order")[:1]),
    ).order_by(
        F("first_path").asc(nulls_last=True),
        F("first_step").asc(nulls_last=True),
        "path",
    )


def catalog_courses(
    *,
    catalog: CatalogPage,
    user,
    q: str = "",
    level: str = "",
    audience: str = "",
    duration: str = "",
    role: str = "",
):
    """The catalog's visible courses, filtered, in learning order, with their cover
    images; a lazy queryset or search result."""
    courses = in_learning_order(visible_courses(user).child_of(catalog))
    if level:
        courses = courses.filter(level=level)
    if audience:
        courses = courses.filter(audience__in=[audience, Audience.BOTH])
    if duration in DURATION_BANDS:
        low, high = DURATION_BANDS[duration]
        courses = courses.filter(duration_hours__gte=low, duration_hours__lte=high)
    if role:
        in_role = LearningPathStep.objects.filter(
            path__role=role, path__live=True
        ).values_list("course_id", flat=True)
        courses = courses.filter(pk__in=list(in_role))
    courses = courses.select_related("cover_image")
    if q:
        # Search engines each have their own query syntax (SQLite FTS5 rejects
        # quotes and brackets): only words are searched for.
        words = _SEARCH_WORDS.findall(q)
        if not words:
            return courses.none()
        return courses.search(" ".join(words), operator="and")
    return courses


def listed_course_ids(
    *, catalog: CatalogPage, user, version: int | None = None
) -> list[int]:
    """The ids of the courses the catalog lists to ``user`` with no filter, in
    learning order: the same for every learner who sees the same courses (staff
    or not), so kept under the content version for each (one cache read)."""
    staff = int(is_internal_staff(user))
    return kept(
        f"courses:catalog-order:{catalog.pk}:{staff}",
        lambda: list(
            catalog_courses(catalog=catalog, user=user).values_list("pk", flat=True)
        ),
        version=version,
    )


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


def catalog_cards(*, catalog: CatalogPage, user, filters: dict, page_number):
    """One numbered page of the catalog as ``user`` sees it: the paginator's page
    and the learner's cards for its courses.

    With no filter (how most learners browse), the order of the visible courses
    and each card's course and facts are kept under the content version, read
    once for both, so that the order and the courses are of the same content: a
    page costs three cache reads and the learner's own rows. With filters, the
    courses are searched for."""
    snapshot = learner_snapshot(user)
    if filters:
        page_obj = Paginator(
            catalog_courses(catalog=catalog, user=user, **filters),
            per_page=catalog.per_page,
        ).get_page(page_number)
        courses, facts = list(page_obj), None
    else:
        version = content_version()
        page_obj = Paginator(
            listed_course_ids(catalog=catalog, user=user, version=version),
            per_page=catalog.per_page,
        ).get_page(page_number)
        entries = course_entries(page_obj.object_list, version=version)
        courses = [entries[pk][0] for pk in page_obj.object_list if pk in entries]
        facts = {pk: entry[1] for pk, entry in entries.items()}
    return page_obj, build_cards(courses, snapshot, facts)


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
    completed_ids = (
        set(
            ModuleProgress.objects.filter(
                enrollment=enrollment, completed_at__isnull=False
            ).values_list("module_id", flat=True)
        )
        if enrollment
        else set()
    )
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


@dataclass
class PathProgress:
    path: LearningPathPage
    steps: list[tuple[LearningPathStep, CourseCard]]

    @property
    def required_cards(self) -> list[CourseCard]:
        return [card for step, card in self.steps if step.required] or [
            card for _step, card in self.steps
        ]

    @property
    def percent(self) -> int:
        cards = self.required_cards
        if not cards:
            return 0
        return round(sum(card.percent for card in cards) / len(cards))

    @property
    def completed_steps(self) -> int:
        return sum(
            1 for card in self.required_cards if card.status == CardStatus.COMPLETED
        )

    @property
    def detail(self) -> str:
        return f"{self.completed_steps} of {len(self.required_cards)} courses completed"

    @property
    def cards(self) -> list[CourseCard]:
        return [card for _step, card in self.steps]

    @property
    def started(self) -> bool:
        return any(card.enrollment for _step, card in self.steps)


def path_steps(paths) -> dict[int, list[LearningPathStep]]:
    """Each path's steps whose course is live, in order, with the course and its
    cover image: kept under the content version (one cache read; one query for
    the paths not kept)."""
    return kept_per_object("courses:path-steps", paths, _make_steps)


def _make_steps(paths) -> dict[int, list[LearningPathStep]]:
    steps: dict[int, list[LearningPathStep]] = {path.pk: [] for path in paths}
    for step in (
        LearningPathStep.objects.filter(path__in=paths, course__live=True)
        .select_related("course", "course__cover_image")
        .order_by("path_id", "sort_order", "pk")
    ):
        steps[step.path_id].append(step)
    return steps


def progress_on_paths(
    paths: list[LearningPathPage],
    user,
    snapshot,
    cards: dict | None = None,
    steps_by_path: dict | None = None,
) -> list[PathProgress]:
    """The learner's progress on each of ``paths``; their steps
    (:func:`path_steps`) and the learner's cards are read unless given."""
    if steps_by_path is None:
        steps_by_path = path_steps(paths)
    steps = [
        step
        for kept in steps_by_path.values()
        for step in kept
        if shown_to(step.course, internal_staff=snapshot.internal_staff)
    ]
    if cards is None:
        courses = list({step.course.pk: step.course for step in steps}.values())
        cards = {card.course.pk: card for card in build_cards(courses, snapshot)}
    steps = [step for step in steps if step.course_id in cards]
    by_path: dict[int, list] = {}
    for step in steps:
        by_path.setdefault(step.path_id, []).append((step, cards[step.course_id]))
    return [PathProgress(path=path, steps=by_path.get(path.pk, [])) for path in paths]


def live_paths(index: LearningPathIndexPage | None = None) -> list[LearningPathPage]:
    """The live learning paths in site order (those under ``index`` when given),
    kept under the content version: one cache read."""
    if index is None:
        return kept(
            "courses:live-paths",
            lambda: list(LearningPathPage.objects.live().order_by("path")),
        )
    return kept(
        f"courses:live-paths:{index.pk}",
        lambda: list(LearningPathPage.objects.child_of(index).live().order_by("path")),
    )


def learning_paths_overview(
    *, index: LearningPathIndexPage, user
) -> list[PathProgress]:
    return progress_on_paths(live_paths(index), user, learner_snapshot(user))


def path_detail(*, path: LearningPathPage, user) -> dict:
    (progress,) = progress_on_paths([path], user, learner_snapshot(user))
    return {"progress": progress}
