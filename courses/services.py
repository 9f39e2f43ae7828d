"""Writes for enrollment, progress, completion and exemptions."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import (
    audit_values,
    is_internal_staff,
    is_training_admin,
    record_audit_event,
)

from .learner_rows import progress_changed
from .models import (
    Audience,
    CoursePage,
    Enrollment,
    ModulePage,
    ModuleProgress,
    PrerequisiteExemption,
)
from .selectors import MissingPrerequisite, live_module_counts, missing_prerequisites
from .signals import course_completed, enrolled, module_completed


class CourseAccessError(Exception):
    """The learner may not do this; ``str(error)`` is a message for them."""


class CourseNotAvailable(CourseAccessError):
    pass


class NotEnrolled(CourseAccessError):
    pass


class ModuleNotOpened(CourseAccessError):
    pass


class PrerequisitesNotMet(CourseAccessError):
    def __init__(self, course: CoursePage, missing: list[MissingPrerequisite]):
        self.course = course
        self.missing = missing
        titles = ", ".join(item.course.title for item in missing)
        super().__init__(
            _("%(course)s is locked until you complete: %(titles)s.")
            % {"course": course.title, "titles": titles}
        )


def _check_available(*, user, course: CoursePage) -> None:
    if not course.live:
        raise CourseNotAvailable(_("This course is not available."))
    if course.audience == Audience.INTERNAL and not is_internal_staff(user):
        raise CourseNotAvailable(_("This course is not available."))


def _check_unlocked(*, user, course: CoursePage) -> None:
    missing = missing_prerequisites(user=user, course=course)
    if missing:
        raise PrerequisitesNotMet(course, missing)


@transaction.atomic
def enroll(*, user, course: CoursePage) -> tuple[Enrollment, bool]:
    """Enroll ``user`` in ``course``; returns ``(enrollment, created)``.

    Enrolling twice is a no-op that returns the existing enrollment. Raises
    :class:`CourseNotAvailable` for unpublished or internal-only courses the user
    cannot see, and :class:`PrerequisitesNotMet` (listing what is missing) when a
    prerequisite is neither completed, stood in for by a certification, nor exempted.
    """
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing:
        return existing, False
    _check_available(user=user, course=course)
    _check_unlocked(user=user, course=course)
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(user=user, course=course)
            transaction.on_commit(
                lambda: enrolled.send(sender=Enrollment, enrollment=enrollment)
            )
            return enrollment, True
    except IntegrityError:
        # A simultaneous request enrolled first: same outcome for the learner.
        return Enrollment.objects.get(user=user, course=course), False


def _enrollment_for(
    *, user, module: ModulePage, lock: bool
) -> tuple[CoursePage, Enrollment]:
    course = module.course
    _check_available(user=user, course=course)
    enrollments = Enrollment.objects.filter(user=user, course=course)
    if lock:
        enrollments = enrollments.select_for_update()
    enrollment = enrollments.first()
    if enrollment is None:
        raise NotEnrolled(
            _("Enroll in %(course)s before working through its lessons.")
            % {"course": course.title}
        )
    return course, enrollment


def open_module(
    *, user, module: ModulePage, enrollment: Enrollment | None = None
) -> bool:
    """Remember that the learner opened ``module`` (for "resume").

    Returns whether anything was written: nothing when the learner is not enrolled
    or reopens the module they were already on (a reload costs no write).
    """
    if not user.is_authenticated:
        return False
    if enrollment is None:
        try:
            _course, enrollment = _enrollment_for(user=user, module=module, lock=False)
        except CourseAccessError:
            return False
    if enrollment.last_module_id == module.pk:
        return False
    with transaction.atomic():
        Enrollment.objects.filter(pk=enrollment.pk).update(
            last_module=module, last_activity_at=timezone.now()
        )
        progress_changed(user.pk)  # an update() sends no signal
        ModuleProgress.objects.get_or_create(enrollment=enrollment, module=module)
    return True


@dataclass(frozen=True)
class CompletionResult:
    progress: ModuleProgress
    course_completed: bool
    next_module: ModulePage | None


@transaction.atomic
def complete_module(*, user, module: ModulePage) -> CompletionResult:
    """Mark ``module`` complete for ``user`` and complete the course when it is due.

    Raises :class:`NotEnrolled` when the learner is not enrolled in the module's
    course, :class:`ModuleNotOpened` when its page was never opened,
    :class:`PrerequisitesNotMet` while the course is locked, and
    :class:`CourseNotAvailable` for an unpublished module or hidden course. Nothing is
    written when it raises. Completing a module twice keeps the first completion time.
    """
    course, enrollment = _enrollment_for(user=user, module=module, lock=True)
    if not module.live:
        raise CourseNotAvailable(_("This lesson is not published."))
    _check_unlocked(user=user, course=course)
    now = timezone.now()
    # A lesson is completed by working through it: its page must have been
    # opened (``open_module``), so a script cannot tick a whole course in a second.
    progress = ModuleProgress.objects.filter(
        enrollment=enrollment, module=module
    ).first()
    if progress is None:
        raise ModuleNotOpened(
            _("Open “%(title)s” and work through it before marking it complete.")
            % {"title": module.title}
        )
    if progress.completed_at is None:
        progress.enrollment = enrollment  # read already: its listeners ask
        progress.completed_at = now
        progress.save(update_fields=["completed_at"])
        transaction.on_commit(
            lambda: module_completed.send(sender=ModuleProgress, progress=progress)
        )
    Enrollment.objects.filter(pk=enrollment.pk).update(
        last_module=module, last_activity_at=now
    )
    progress_changed(user.pk)  # an update() sends no signal
    completed = _complete_course_if_due(enrollment=enrollment, course=course)
    done = set(
        ModuleProgress.objects.filter(
            enrollment=enrollment, completed_at__isnull=False
        ).values_list("module_id", flat=True)
    )
    next_module = (
        ModulePage.objects.child_of(course)
        .live()
        .exclude(pk__in=done)
        .order_by("path")
        .defer_streamfields()
        .first()
    )
    return CompletionResult(
        progress=progress, course_completed=completed, next_module=next_module
    )


def _complete_course_if_due(*, enrollment: Enrollment, course: CoursePage) -> bool:
    """Set ``completed_at`` once every live module is done (and the exam passed)."""
    if enrollment.completed_at:
        return False
    module_count = live_module_counts([course]).get(course.pk, 0)
    done = ModuleProgress.objects.filter(
        enrollment=enrollment, completed_at__isnull=False, module__live=True
    ).count()
    if done < module_count:
        return False
    if course.requires_final_exam and not enrollment.final_exam_passed_at:
        return False
    enrollment.completed_at = timezone.now()
    enrollment.save(update_fields=["completed_at"])
    transaction.on_commit(
        lambda: course_completed.send(
            sender=CoursePage,
            user=enrollment.user,
            course=course,
            enrollment=enrollment,
        )
    )
    return True


@transaction.atomic
def record_final_exam_passed(*, user, course: CoursePage, passed_at=None) -> Enrollment:
    """Note that ``user`` passed ``course``'s final exam; completes it when due.

    Called by the exams app. Raises :class:`NotEnrolled` if the learner is not
    enrolled. Idempotent: the first pass time is kept.
    """
    enrollment = (
        Enrollment.objects.select_for_update().filter(user=user, course=course).first()
    )
    if enrollment is None:
        raise NotEnrolled(_("Not enrolled in %(course)s.") % {"course": course.title})
    if enrollment.final_exam_passed_at is None:
        enrollment.final_exam_passed_at = passed_at or timezone.now()
        enrollment.save(update_fields=["final_exam_passed_at"])
    _complete_course_if_due(enrollment=enrollment, course=course)
    return enrollment


@transaction.atomic
def grant_exemption(
    *, user, course: CoursePage, granted_by, reason: str
) -> PrerequisiteExemption:
    """Let ``user`` into ``course`` without its prerequisites, recording who and why.

    Only training admins may grant one (:class:`PermissionDenied` otherwise); the
    reason is required (``ValueError``). Granting again updates the reason.
    """
    if not is_training_admin(granted_by):
        raise PermissionDenied(_("Only training admins can grant exemptions."))
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(_("Give a reason for the exemption."))
    fields = ["reason", "granted_by"]
    before = audit_values(
        PrerequisiteExemption.objects.filter(user=user, course=course).first(), fields
    )
    exemption, _created = PrerequisiteExemption.objects.update_or_create(
        user=user,
        course=course,
        defaults={"reason": reason, "granted_by": granted_by},
    )
    record_audit_event(
        actor=granted_by,
        subject=user,
        action="courses.exemption.grant",
        target=exemption,
        before=before,
        after=audit_values(exemption, fields),
        reason=reason,
    )
    return exemption
