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
from functools import cache

from django.db import connection
from django.db.models.signals import post_save
from wagtail.models import Page

from accounts.api import ON_COURSE_PAGES, Columns, KeptPerPerson, planned_cursor

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
    """The learner's rows from the database, in one statement (a learner's
    first page reads them; the query builder's three cost more CPU than the
    database takes to run them)."""
    enrollments: dict[int, Enrollment] = {}
    completed: dict[int, set[int]] = {}
    exemptions = set()
    columns = _enrollment_columns()
    width = len(columns)
    course_at = columns.attnames.index("course_id")
    with planned_cursor() as cursor:
        cursor.execute(_rows_sql(connection.vendor), [user.pk, user.pk])
        rows = cursor.fetchall()
    for row in rows:
        module_id, module_live, exempt_course_id = row[width:]
        if exempt_course_id is not None:
            exemptions.add(exempt_course_id)
            continue
        course_id = row[course_at]
        enrollment = enrollments.get(course_id)
        if enrollment is None:
            # The course page is not joined: every caller has the course already
            # (a card, the page served), and a page read whole costs more than
            # the rest of the rows.
            enrollment = enrollments[course_id] = columns.instance(row[:width])
            # The live lessons done (a lesson unpublished since keeps its row).
            enrollment.completed_modules = 0
        if module_id is not None:
            completed.setdefault(course_id, set()).add(module_id)
            enrollment.completed_modules += bool(module_live)
    return LearnerRows(
        enrollments=enrollments,
        completed={pk: frozenset(ids) for pk, ids in completed.items()},
        exemptions=frozenset(exemptions),
    )


@cache
def _enrollment_columns() -> Columns:
    return Columns(Enrollment)


@cache
def _rows_sql(vendor: str) -> str:
    """Each enrollment once for each lesson done in it (once with NULLs when
    none), with whether that lesson is live; then each exemption's course."""
    columns = _enrollment_columns()
    quote = connection.ops.quote_name
    progress = ModuleProgress._meta
    exemption = PrerequisiteExemption._meta
    page = Page._meta
    blanks = ", ".join(["NULL"] * len(columns))

    def column(meta, name: str) -> str:
        return quote(meta.get_field(name).column)

    # Names from the models, never from a request; the ids are parameters.
    return (
        f"SELECT {columns.select('e')}, p.{column(progress, 'module')}, "  # noqa: S608
        f"page.{column(page, 'live')}, NULL "
        f"FROM {quote(Enrollment._meta.db_table)} e "
        f"LEFT JOIN {quote(progress.db_table)} p "
        f"ON p.{column(progress, 'enrollment')} = e.{columns.column('id')} "
        f"AND p.{column(progress, 'completed_at')} IS NOT NULL "
        f"LEFT JOIN {quote(page.db_table)} page "
        f"ON page.{column(page, 'id')} = p.{column(progress, 'module')} "
        f"WHERE e.{columns.column('user')} = %s "
        f"UNION ALL SELECT {blanks}, NULL, NULL, x.{column(exemption, 'course')} "
        f"FROM {quote(exemption.db_table)} x "
        f"WHERE x.{column(exemption, 'user')} = %s"
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
