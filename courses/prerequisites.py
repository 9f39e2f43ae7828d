"""Prerequisite rules: cycle detection and the credentials that can stand in.

Certifications live in a higher layer than courses. So that a valid certification
can stand in for a prerequisite course without courses importing it, the app that
knows about certificates registers a *credential provider*: a function that returns
the codes of the credentials a user holds right now, in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

CredentialProvider = Callable[[object], set[str]]
_credential_providers: list[CredentialProvider] = []


def register_credential_provider(provider: CredentialProvider) -> None:
    if provider not in _credential_providers:
        _credential_providers.append(provider)


def unregister_credential_provider(provider: CredentialProvider) -> None:
    if provider in _credential_providers:
        _credential_providers.remove(provider)


def held_credential_codes(user) -> set[str]:
    """Codes of every valid credential the user holds (one query per provider)."""
    if not user.is_authenticated:
        return set()
    codes: set[str] = set()
    for provider in _credential_providers:
        codes |= set(provider(user))
    return codes


def find_prerequisite_cycle(*, course, required_ids: Iterable[int]) -> list[str] | None:
    """Titles along a cycle that ``course`` requiring ``required_ids`` would close.

    The stored graph is read in one query; the course's own stored links are replaced
    by ``required_ids`` (the links being edited). None when there is no cycle.
    """
    from .models import CoursePage, CoursePrerequisite

    if course.pk is None:
        return None  # a new page cannot be required by anything yet
    graph: dict[int, set[int]] = {}
    for course_id, required_id in CoursePrerequisite.objects.values_list(
        "course_id", "required_course_id"
    ):
        graph.setdefault(course_id, set()).add(required_id)
    graph[course.pk] = set(required_ids)

    # Depth-first search from the course: reaching it again closes a cycle.
    trail: list[int] = [course.pk]

    def visit(node: int, seen: set[int]) -> list[int] | None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == course.pk:
                return [*trail, course.pk]
            if nxt in seen:
                continue
            seen.add(nxt)
            trail.append(nxt)
            found = visit(nxt, seen)
            if found:
                return found
            trail.pop()
        return None

    cycle = visit(course.pk, {course.pk})
    if not cycle:
        return None
    titles = dict(CoursePage.objects.filter(pk__in=cycle).values_list("pk", "title"))
    titles[course.pk] = course.title
    return [titles.get(pk, str(pk)) for pk in cycle]


def prerequisite_problem(*, course, required_ids: list[int]) -> str | None:
    """Why ``course`` cannot require ``required_ids`` (a message), or None if it can."""
    from django.utils.translation import gettext as _

    if course.pk and course.pk in required_ids:
        return _("A course cannot be its own prerequisite.")
    cycle = find_prerequisite_cycle(course=course, required_ids=required_ids)
    if cycle:
        return _(
            "These prerequisites would form a cycle (%(cycle)s): no learner could "
            "ever start these courses. Remove one of the links."
        ) % {"cycle": " → ".join(cycle)}
    return None


def path_order_problems(steps: list) -> list[str]:
    """Why a learning path's steps can't be followed in order (empty: they can).

    ``steps`` are the path's courses in order. A course listed twice, or listed
    before a course it requires (directly or through others), would send learners
    round in a circle: the path says "next", the course says "not yet".
    """
    from django.utils.translation import gettext as _

    from .models import CoursePrerequisite

    problems = []
    seen: set[int] = set()
    for course in steps:
        if course.pk in seen:
            problems.append(
                _("“%(course)s” is listed twice: keep one step for it.")
                % {"course": course.title}
            )
        seen.add(course.pk)
    graph: dict[int, set[int]] = {}
    for course_id, required_id in CoursePrerequisite.objects.values_list(
        "course_id", "required_course_id"
    ):
        graph.setdefault(course_id, set()).add(required_id)

    def requires(course_id: int) -> set[int]:
        found: set[int] = set()
        stack = [course_id]
        while stack:
            for nxt in graph.get(stack.pop(), ()):
                if nxt not in found:
                    found.add(nxt)
                    stack.append(nxt)
        return found

    place = {}
    for index, course in enumerate(steps):
        place.setdefault(course.pk, index)
    for index, course in enumerate(steps):
        later = [
            steps[place[pk]]
            for pk in requires(course.pk)
            if pk in place and place[pk] > index
        ]
        for required in sorted(later, key=lambda c: place[c.pk]):
            problems.append(
                _(
                    "“%(course)s” comes before “%(required)s”, which it requires: "
                    "move “%(required)s” earlier."
                )
                % {"course": course.title, "required": required.title}
            )
    return problems
