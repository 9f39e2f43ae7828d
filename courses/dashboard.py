"""A learner's dashboard of courses and paths: what is in progress and where each
resumes, what is done, what is locked and why, and the paths' progress."""

from __future__ import annotations

from .content_version import kept_per_id
from .models import (
    CardStatus,
    CoursePrerequisite,
    ModulePage,
    resume_point,
)
from .path_progress import live_paths, path_steps, progress_on_paths
from .selectors import (
    build_cards,
    course_entries,
    courses_shared,
    learner_snapshot,
    shown_to,
)


def dashboard(*, user) -> dict:
    """The learner's courses, path progress and what is locked and why.

    Only the courses it can show get a card, in one pass: the learner's own, the
    live paths' steps and the courses that build on one the learner started,
    each course and its card facts kept for every learner
    (:func:`course_entries`), as are the courses that require each course. The in-progress, completed, path and locked
    sections are cut from those cards, so a catalog of thousands reads no more
    than that.
    """
    snapshot = learner_snapshot(user)
    started = set(snapshot.enrollments)
    paths = live_paths()
    steps = path_steps(paths)
    on_paths = {step.course_id for kept in steps.values() for step in kept}
    building_on_started = {
        pk
        for dependents in kept_per_id(
            "courses:dependents", started, _make_dependents
        ).values()
        for pk in dependents
    }
    # The courses and their facts are kept (the same for every learner); only
    # who may see them is decided here.
    entries = course_entries(started | on_paths | building_on_started)
    courses = sorted(
        (
            course
            for course, _facts in entries.values()
            if shown_to(course, internal_staff=snapshot.internal_staff)
        ),
        key=lambda course: course.path,
    )
    facts = {pk: facts for pk, (_course, facts) in entries.items()}
    cards = {card.course.pk: card for card in build_cards(courses, snapshot, facts)}
    in_progress = sorted(
        (card for card in cards.values() if card.status == CardStatus.IN_PROGRESS),
        key=lambda card: (
            card.enrollment.last_activity_at or card.enrollment.enrolled_at
        ),
        reverse=True,
    )
    completed = sorted(
        (card for card in cards.values() if card.status == CardStatus.COMPLETED),
        key=lambda card: card.enrollment.completed_at,
        reverse=True,
    )
    resume = _resume_modules(in_progress, snapshot)
    path_progress = [
        progress
        for progress in progress_on_paths(
            paths, user, snapshot, cards=cards, steps_by_path=steps
        )
        if progress.started
    ]
    # Locked courses worth mentioning: next steps of the learner's paths, and courses
    # that build on one the learner has started.
    relevant = {card.course.pk for p in path_progress for _step, card in p.steps}
    locked = [
        card
        for card in cards.values()
        if card.status == CardStatus.LOCKED
        and (
            card.course.pk in relevant
            or any(item.course.pk in started for item in card.missing)
        )
    ]
    return {
        "in_progress": [(card, resume.get(card.course.pk)) for card in in_progress],
        "completed": completed,
        "path_progress": path_progress,
        "locked": locked,
        # Every enrollment of the learner's (the dashboard's figures count them).
        "enrollments": list(snapshot.enrollments.values()),
    }


def _make_dependents(course_ids) -> dict[int, list[int]]:
    """The courses that require each of ``course_ids`` (one query). Prerequisites
    are edited with their course page, so they are kept under the content
    version like the rest of it."""
    dependents: dict[int, list[int]] = {pk: [] for pk in course_ids}
    for course_id, required_id in CoursePrerequisite.objects.filter(
        required_course_id__in=course_ids
    ).values_list("course_id", "required_course_id"):
        dependents[required_id].append(course_id)
    return dependents


def _resume_modules(cards, snapshot) -> dict[int, ModulePage]:
    """Where each in-progress course resumes (:func:`resume_point`): the courses'
    lessons from their shared parts (read for these courses only; the other cards
    need only their facts) and the lessons done from the learner's snapshot."""
    enrollments = [card.enrollment for card in cards if card.enrollment]
    if not enrollments:
        return {}
    shared = courses_shared(card.course for card in cards)
    return {
        e.course_id: resume_point(
            shared[e.course_id].modules,
            last_module_id=e.last_module_id,
            completed_ids=snapshot.completed_ids(e.course_id),
        )
        for e in enrollments
    }
