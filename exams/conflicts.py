"""Who may not grade whose work: the one home of that rule.

An examiner never grades their own attempt nor the attempt of someone they
manage. Apps above exams add their own conflicts through
:func:`register_conflict_source` (onboarding: a mentor never grades their own
hire). The grading queue (a selector) and the grading service (which refuses a
forced POST) both ask this module, so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

# A source answers: the ids of the candidates this examiner must not grade
# (a ``values("…_id")`` queryset, used as a subquery).
ConflictSource = Callable[[object], QuerySet]
_sources: list[ConflictSource] = []


def register_conflict_source(source: ConflictSource) -> ConflictSource:
    """Add a conflict of interest (idempotent)."""
    if source not in _sources:
        _sources.append(source)
    return source


def without_conflicts(markings: QuerySet, *, examiner) -> QuerySet:
    """``markings`` less those whose candidate ``examiner`` may not grade."""
    markings = markings.exclude(attempt__user=examiner).exclude(
        attempt__user__manager=examiner
    )
    for source in _sources:
        markings = markings.exclude(attempt__user__in=source(examiner))
    return markings


def is_own_work(*, examiner, candidate) -> bool:
    return candidate.pk == examiner.pk


def oversees(*, examiner, candidate) -> bool:
    """``examiner`` manages ``candidate`` or has another registered tie to them."""
    if candidate.manager_id == examiner.pk:
        return True
    users = get_user_model().objects.filter(pk=candidate.pk)
    return any(users.filter(pk__in=source(examiner)).exists() for source in _sources)
