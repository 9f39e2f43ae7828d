"""Reads for learning paths: each path's steps (kept for every learner) and a
learner's progress on them."""

from __future__ import annotations

from dataclasses import dataclass

from .content_version import is_held, kept, kept_per_object, key_under_version
from .models import (
    CardStatus,
    LearningPathIndexPage,
    LearningPathPage,
    LearningPathStep,
)
from .selectors import CourseCard, build_cards, learner_snapshot, shown_to


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


def read_ahead_keys(person_id: int) -> list[str]:
    """What a signed-in page reads of the paths (the dashboard's live paths),
    unless this process holds it."""
    key = key_under_version(LIVE_PATHS)
    return [] if is_held(key) else [key]


LIVE_PATHS = "courses:live-paths"


def live_paths(index: LearningPathIndexPage | None = None) -> list[LearningPathPage]:
    """The live learning paths in site order (those under ``index`` when given),
    kept under the content version: one cache read."""
    if index is None:
        return kept(
            LIVE_PATHS,
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
