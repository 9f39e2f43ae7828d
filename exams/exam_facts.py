"""What a start reads of its exam that only an editor changes, kept per content
version and blueprints' number, and the exam page itself, which the start and
the attempt's pages read.

Every start used to read the exam's ancestors and their view restrictions, the
exam's parent (is it a course's final exam?), the courses it asks to be
completed first and its blueprint's sections with their banks: five queries, the
same for every learner on exam day. All of it changes only when a page is saved,
published, unpublished, moved or deleted, a page's privacy changes or a required
course is added or removed, each of which advances the content version
(``courses.api``), or when a section is saved or deleted or a question bank is
published or unpublished, which advance the blueprints' own number (a bank's
publish changes no page). Each advances at once and when it commits. So the
facts are kept under both numbers, as a course's shared part is kept under the
content version.

The facts are read from the database, never from the page object a caller
holds, which may be an editor's preview of a draft. Only facts are kept, never
a decision: a private exam is still checked against its restrictions in the
database (groups and passwords), and a learner's own enrolment and progress
are always read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from accounts.api import forget, generations, kept_entry, read_ahead
from courses.api import CONTENT_VERSION_KEY, CoursePage, content_version

from .models import ExamRequiredCourse, ExamSection

# Part of every key: raise it when ExamFacts changes shape.
VERSION = 2
# Part of a kept exam page's key: raise it when a migration changes ExamPage's
# fields (a deploy's warm_pages also advances the content version).
PAGE_VERSION = 1
# However it changed, a kept copy is read again at least this often.
TTL = 300
# Advanced by a question bank published or unpublished and a section saved or
# deleted: the facts keep each section's bank, whether it is live and its
# revision (the content version covers the rest).
BLUEPRINTS_KEY = "exams:blueprints"


@dataclass(frozen=True)
class CourseRef:
    """The course an exam belongs to, as a start uses it (``pk`` and ``path``
    are the course page's, so course selectors take it as they take the page)."""

    pk: int
    path: str
    title: str


@dataclass(frozen=True)
class BankRef:
    """A section's bank as a draw reads it (``exams.pools.pools_for``)."""

    pk: int
    live: bool
    live_revision_id: int | None


@dataclass(frozen=True)
class SectionRef:
    """A section of the exam's blueprint, as a draw reads it."""

    title: str
    bank_id: int
    topic: str
    count: int
    bank: BankRef


@dataclass(frozen=True)
class ExamFacts:
    # The exam or a page above it has view restrictions (checked on each start).
    private: bool
    # The course whose final exam this is, if its parent is a course.
    course: CourseRef | None
    # (course id, title) of each course to complete first, in the editor's order.
    required: tuple[tuple[int, str], ...]
    # The published blueprint's sections in order, each with its bank's live
    # revision (publishing a bank advances the blueprints' number).
    sections: tuple[SectionRef, ...]


def _page_key(exam_id: int) -> str:
    return f"exams:exam-page:{PAGE_VERSION}:{content_version()}:{exam_id}"


def _numbers() -> tuple[int, int]:
    numbers = generations([CONTENT_VERSION_KEY, BLUEPRINTS_KEY])
    return numbers[CONTENT_VERSION_KEY], numbers[BLUEPRINTS_KEY]


def _facts_key(version: tuple[int, int], exam_id: int) -> str:
    return f"exams:facts:{VERSION}:{version[0]}:{version[1]}:{exam_id}"


def read_ahead_start(request, exam_id: int) -> None:
    """A start reads ahead its exam page and facts, with both numbers and the
    learner's session (``accounts.api.read_ahead``): two cache reads for all
    four, where each was one of its own."""
    read_ahead(
        None,
        numbers=[CONTENT_VERSION_KEY, BLUEPRINTS_KEY],
        also=lambda: [_page_key(exam_id), _facts_key(_numbers(), exam_id)],
        session=request.session,
    )


def exam_page(exam_id: int):
    """The exam page ``exam_id`` as it is now, live or not: kept under the content
    version (any save, publish or unpublish of a page advances it, so an edited
    time limit or an unpublished exam is followed at once). One cache read when
    kept; ``None`` when there is no such page (not kept: made-up ids keep
    nothing)."""
    from .models import ExamPage

    key = _page_key(exam_id)
    exam = kept_entry(key)
    if isinstance(exam, ExamPage):
        return exam
    exam = ExamPage.objects.filter(pk=exam_id).first()
    if exam is not None:
        cache.set(key, exam, TTL)
    return exam


def with_kept_exam(attempt):
    """``attempt`` with its exam page as kept under the content version
    (:func:`exam_page`): a cache read instead of a join or a query."""
    exam = exam_page(attempt.exam_id)
    if exam is not None:
        attempt.exam = exam
    return attempt


def live_exam(exam_id: int):
    """The exam page ``exam_id`` if it is live (:func:`exam_page`), as a start
    reads it."""
    exam = exam_page(exam_id)
    return exam if exam is not None and exam.live else None


def course_of_exam(exam) -> CoursePage | None:
    """The exam's parent page whole, if it is a course (read from the database)."""
    parent = exam.get_parent()
    # The content type says what the parent is; only a course is read whole.
    if parent.specific_class is None or not issubclass(
        parent.specific_class, CoursePage
    ):
        return None
    return parent.specific


def blueprints_changed(**kwargs) -> None:
    """A question bank was published or unpublished, or an exam's section saved
    or deleted: no exam's kept sections are read again (the pages are not
    touched: a bank's publish does not change what a page shows)."""
    forget(BLUEPRINTS_KEY)


def exam_facts(exam) -> ExamFacts:
    """``exam``'s facts: one cache read when they are kept, five queries when not.
    A start asks three times (the view, the rules, the required courses): the
    page object remembers them for the numbers it read them under."""
    version = _numbers()
    remembered = exam.__dict__.get("_exam_facts")
    if remembered is not None and remembered[0] == version:
        return remembered[1]
    key = _facts_key(version, exam.pk)
    facts = kept_entry(key) if exam.pk else None
    if not isinstance(facts, ExamFacts):
        course = course_of_exam(exam)
        facts = ExamFacts(
            private=exam.get_view_restrictions().exists(),
            course=(
                None
                if course is None
                else CourseRef(pk=course.pk, path=course.path, title=course.title)
            ),
            # From the table, never ``exam.required_courses``: an editor's preview
            # (or an old revision) is an unsaved copy whose rows are the draft's.
            required=tuple(
                ExamRequiredCourse.objects.filter(exam_id=exam.pk)
                .order_by("sort_order", "pk")
                .values_list("course_id", "course__title")
            ),
            sections=tuple(
                SectionRef(
                    title=section.title,
                    bank_id=section.bank_id,
                    topic=section.topic,
                    count=section.count,
                    bank=BankRef(
                        pk=section.bank.pk,
                        live=section.bank.live,
                        live_revision_id=section.bank.live_revision_id,
                    ),
                )
                for section in ExamSection.objects.filter(exam_id=exam.pk)
                .select_related("bank")
                .order_by("sort_order", "pk")
            ),
        )
        if exam.pk:  # a new exam's preview has no row yet: nothing to keep
            cache.set(key, facts, TTL)
    exam._exam_facts = (version, facts)
    return facts
