"""Each learner's own rows that every course page and the dashboard read: their
enrollments (with the count of live lessons done), the lessons they completed
and their prerequisite exemptions.

They are kept in the shared cache per learner, under the content version (the
count of live lessons changes when a lesson is published or unpublished) and the
learner's progress generation. Any save or delete of one of those rows forgets
the learner's copy (at once and again on commit: :func:`accounts.api.forget`);
a bulk ``update()`` sends no signal, so the code that makes one calls
:func:`progress_changed` itself. A transaction that changed a learner's rows
keeps nothing it reads of them. When the cache is down, the rows are read from
the database.

What decides (enrolling, completing a lesson, an exam's eligibility) reads the
database, never this copy. Pages show it, including whether a lesson's body is
shown and which enrollment a visit is recorded on.

A lesson's progress row is deleted only with its enrollment (whose delete
forgets the copy) or its lesson (which advances the content version), so only
its saves are listened to: a listener on its deletes would make Django load
every row a deleted person or course takes with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.signals import post_save

from accounts.api import ON_COURSE_PAGES, KeptPerPerson

from .content_version import KEPT_TTL, VERSION_KEY
from .models import Enrollment, ModuleProgress, PrerequisiteExemption


@dataclass(frozen=True)
class LearnerRows:
    # Course id -> enrollment, annotated with ``completed_modules`` (live ones).
    enrollments: dict[int, Enrollment]
    # Course id -> the ids of the lessons completed in it (live or not).
    completed: dict[int, frozenset[int]]
    exemptions: frozenset[int]


def read_rows(user) -> LearnerRows:
    """The learner's rows from the database (three queries)."""
    enrollments = {
        enrollment.course_id: enrollment
        # The course pages are not joined: every caller has the course already
        # (a card, the page served), and a page read whole costs more than the
        # rest of the rows.
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
    completed: dict[int, set[int]] = {}
    if enrollments:
        for course_id, module_id in ModuleProgress.objects.filter(
            enrollment__user=user, completed_at__isnull=False
        ).values_list("enrollment__course_id", "module_id"):
            completed.setdefault(course_id, set()).add(module_id)
    return LearnerRows(
        enrollments=enrollments,
        completed={pk: frozenset(ids) for pk, ids in completed.items()},
        exemptions=frozenset(
            PrerequisiteExemption.objects.filter(user=user).values_list(
                "course_id", flat=True
            )
        ),
    )


ROWS = KeptPerPerson(
    "courses:learner-rows",
    also_under=(VERSION_KEY,),
    timeout=KEPT_TTL,
    read_ahead_on=(ON_COURSE_PAGES,),
)


def kept_rows(user) -> LearnerRows:
    """The learner's rows, kept (one cache read for the two numbers, one for the
    rows); read from the database when they are not."""
    return ROWS.kept(user.pk, lambda: read_rows(user))


def progress_changed(user_id: int) -> None:
    """The learner's enrollments, completed lessons or exemptions changed: no copy
    kept so far is read again."""
    ROWS.changed([user_id])


def _lesson_progress_changed(sender, instance, **kwargs) -> None:
    user_id = (
        instance.enrollment.user_id
        if ModuleProgress.enrollment.is_cached(instance)
        else Enrollment.objects.filter(pk=instance.enrollment_id)
        .values_list("user_id", flat=True)
        .first()
    )
    if user_id is not None:
        progress_changed(user_id)


def connect() -> None:
    for model in (Enrollment, PrerequisiteExemption):
        ROWS.listen(model, "user_id")
    post_save.connect(
        _lesson_progress_changed,
        sender=ModuleProgress,
        dispatch_uid="learner-rows:ModuleProgress",
    )
