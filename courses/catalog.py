"""Reads for the course catalog: the visible courses in learning order, filtered
or searched, and one numbered page of cards (the unfiltered listing kept for
every learner under the content version)."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Subquery

from accounts.api import is_internal_staff

from .content_version import content_version, kept
from .models import Audience, CatalogPage, LearningPathStep
from .selectors import (
    build_cards,
    course_entries,
    learner_snapshot,
    visible_courses,
)

_SEARCH_WORDS = re.compile(r"\w+")

DURATION_BANDS = {
    "short": (0, 4),
    "medium": (5, 10),
    "long": (11, 20),
    "extended": (21, 10_000),
}


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
