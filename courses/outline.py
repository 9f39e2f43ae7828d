"""A course's outline for its authors: its lessons and exams in order, each with
its status, what is wrong with it, and who is enrolled.

Courses know lessons; other kinds of child page (an exam) belong to higher apps,
which register what the outline says about their pages with
:func:`register_outline_notes`: a function that takes the course's children of
that model and returns, per page id, notes (facts) and problems (what stops it
being published or taken). Each registered function runs once per outline, for
all its pages, so the outline's queries don't grow with the course.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from wagtail.models import Page

from accounts.api import unique_slug

OutlineNotes = Callable[[list[Page]], dict[int, "Notes"]]
_notes: dict[type, OutlineNotes] = {}


@dataclass
class Notes:
    facts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    actions: list[tuple[str, str]] = field(default_factory=list)  # POST (label, url)
    # Editors opened over the outline: (label, url, url once saved). Without
    # script the link opens the editor, which returns to the outline.
    dialogs: list[tuple[str, str, str]] = field(default_factory=list)


def register_outline_notes(model: type, notes: OutlineNotes) -> OutlineNotes:
    """What the outline says about ``model``'s pages (one function per model)."""
    _notes[model] = notes
    return notes


@dataclass
class Row:
    page: Page
    kind: str
    status: str
    notes: Notes
    first: bool = False
    last: bool = False


def statuses(pages: list[Page]) -> dict[int, str]:
    """Each page's status in Wagtail's words (one query for them all: Wagtail's
    own ``status_string`` reads each page's scheduled revision)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Revision

    scheduled = set(
        Revision.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(page.pk) for page in pages],
            approved_go_live_at__isnull=False,
        ).values_list("object_id", flat=True)
    )
    found = {}
    for page in pages:
        is_scheduled = str(page.pk) in scheduled
        if page.expired:
            found[page.pk] = _("expired")
        elif not page.live:
            found[page.pk] = _("scheduled") if is_scheduled else _("draft")
        elif is_scheduled:
            found[page.pk] = _("live + scheduled")
        elif page.has_unpublished_changes:
            found[page.pk] = _("live + draft")
        else:
            found[page.pk] = _("live")
    return found


def lesson_notes(pages: list[Page]) -> dict[int, Notes]:
    return {
        page.pk: Notes(
            facts=[
                _("%(minutes)s min") % {"minutes": page.estimated_minutes},
            ]
        )
        for page in pages
    }


def course_outline(course) -> dict:
    """Everything the outline page shows (a fixed number of queries)."""
    from .models import CoursePrerequisite, Enrollment, ModulePage

    children = list(course.get_children().order_by("path").specific())
    by_model: dict[type, list[Page]] = {}
    for child in children:
        by_model.setdefault(type(child), []).append(child)
    notes: dict[int, Notes] = {}
    for model, pages in by_model.items():
        if model in _notes:
            notes.update(_notes[model](pages))
    status = statuses([course, *children])
    rows = [
        Row(
            page=child,
            kind=str(type(child)._meta.verbose_name),
            status=status[child.pk],
            notes=notes.get(child.pk, Notes()),
            first=index == 0,
            last=index == len(children) - 1,
        )
        for index, child in enumerate(children)
    ]
    prerequisites = [
        link.required_course
        for link in CoursePrerequisite.objects.filter(course=course)
        .select_related("required_course")
        .order_by("sort_order", "pk")
    ]
    enrollments = Enrollment.objects.filter(course=course)
    return {
        "course": course,
        "course_status": status[course.pk],
        "rows": rows,
        "live_lessons": sum(
            1 for row in rows if isinstance(row.page, ModulePage) and row.page.live
        ),
        "prerequisites": prerequisites,
        "enrolled": enrollments.count(),
        "completed": enrollments.filter(completed_at__isnull=False).count(),
        "child_kinds": child_kinds(course),
    }


def child_kinds(course) -> list[tuple[str, str]]:
    """The kinds of page a course holds: (model label, name), lessons first."""
    return [
        (model._meta.label_lower, str(model._meta.verbose_name))
        for model in course.specific_class.allowed_subpage_models()
    ]


def free_slug(parent, title: str, *, fallback: str) -> str:
    """An address for a new child of ``parent``, from its title, not yet taken."""
    base = unique_slug(title, taken=(), fallback=fallback, length=60)
    taken = set(
        parent.get_children()
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    return unique_slug(title, taken=taken, fallback=fallback, length=60)


def add_child(course, *, kind: str, title: str, user):
    """A new draft child of ``course`` of ``kind``, titled ``title``.

    Its address is made from the title, unique among the course's pages. The
    page is saved as a draft with a first revision, so its editor opens on it.
    """
    models = {
        model._meta.label_lower: model
        for model in course.specific_class.allowed_subpage_models()
    }
    model = models.get(kind)
    title = (title or "").strip()
    if model is None:
        raise ValueError(_("A course can't hold that kind of page."))
    if not title:
        raise ValueError(_("Give the new page a title."))
    if len(title) > 255:
        raise ValueError(_("The title is too long (at most 255 characters)."))
    slug = free_slug(course, title, fallback="page")
    page = course.add_child(instance=model(title=title, slug=slug, live=False))
    page.save_revision(user=user, log_action=True)
    return page


def move_child(course, page, *, direction: str = "", position=None) -> bool:
    """Move ``page`` one place ``direction`` ("up" or "down"), or to
    ``position`` (0 is first) among the course's pages; False if it stays."""
    siblings = list(course.get_children().order_by("path"))
    index = next((i for i, s in enumerate(siblings) if s.pk == page.pk), None)
    if index is None:
        raise ValueError(_("That page is not part of this course."))
    if position is None:
        position = {"up": index - 1, "down": index + 1}.get(direction)
        if position is None:
            raise ValueError(_("Say where to move it: up or down."))
    position = max(0, min(position, len(siblings) - 1))
    if position == index:
        return False
    target = siblings[position]
    page.move(target, pos="left" if position < index else "right")
    return True


def new_course(*, catalog, title: str, user):
    """A new draft course in ``catalog``, titled ``title`` (its address and a
    summary made from the title, both editable)."""
    from .models import CoursePage

    title = (title or "").strip()
    if not title:
        raise ValueError(_("Give the new course a title."))
    if len(title) > 255:
        raise ValueError(_("The title is too long (at most 255 characters)."))
    slug = free_slug(catalog, title, fallback="course")
    course = catalog.add_child(
        instance=CoursePage(title=title, slug=slug, summary=title[:300], live=False)
    )
    course.save_revision(user=user, log_action=True)
    return course
