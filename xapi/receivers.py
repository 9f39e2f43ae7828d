"""Each receiver turns one fact of the apps below into a statement: registered
(enrolled), experienced (a lesson first completed), completed (a course),
passed/failed (a final exam result, with the score), attended (a class) and
earned (a certificate)."""

from __future__ import annotations

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone

from accounts.api import site_url
from certificates.signals import certificate_issued
from classes.signals import attended
from courses.signals import course_completed, enrolled, module_completed
from exams.signals import attempt_graded

from .sending import About, queue
from .statements import Activity, Score


def page_activity(page, kind: str) -> Activity:
    return Activity(iri=site_url(page.get_url()), kind=kind, title=page.title)


def on_enrolled(sender, enrollment, **kwargs):
    queue(
        verb="registered",
        user=enrollment.user,
        about=lambda: About(
            activity=page_activity(enrollment.course, "course"),
            timestamp=enrollment.enrolled_at,
        ),
    )


def on_module_completed(sender, progress, **kwargs):
    enrollment = progress.enrollment
    queue(
        verb="experienced",
        user=enrollment.user,
        about=lambda: About(
            activity=page_activity(progress.module, "lesson"),
            parent=page_activity(enrollment.course, "course"),
            timestamp=progress.completed_at,
        ),
    )


def on_course_completed(sender, user, course, enrollment, **kwargs):
    queue(
        verb="completed",
        user=user,
        about=lambda: About(
            activity=page_activity(course, "course"),
            timestamp=enrollment.completed_at,
        ),
    )


def on_attempt_graded(sender, attempt, **kwargs):
    if attempt.percent is None or attempt.passed is None:
        return
    queue(
        verb="passed" if attempt.passed else "failed",
        user=attempt.user,
        about=lambda: About(
            activity=page_activity(attempt.exam, "assessment"),
            score=Score(percent=attempt.percent, passed=attempt.passed),
            timestamp=attempt.graded_at or timezone.now(),
        ),
    )


def _class_activity(session) -> About:
    return About(
        activity=Activity(
            iri=site_url(reverse("classes:detail", args=[session.pk])),
            kind="meeting",
            title=session.title,
        ),
        parent=page_activity(session.course, "course") if session.course else None,
        timestamp=session.starts_at,
    )


def on_attended(sender, booking, **kwargs):
    queue(
        verb="attended",
        user=booking.user,
        about=lambda: _class_activity(booking.session),
    )


def on_certificate_issued(sender, certificate, **kwargs):
    holder = certificate.holder
    if holder is None:
        return
    queue(
        verb="earned",
        user=holder,
        about=lambda: About(
            activity=Activity(
                iri=certificate.verification_url,
                kind="certificate",
                title=certificate.title,
                description=f"Serial {certificate.serial}",
            ),
            timestamp=certificate.created_at
            or timezone.make_aware(datetime.combine(certificate.issued_on, time())),
        ),
    )


def connect() -> None:
    enrolled.connect(on_enrolled, dispatch_uid="xapi.enrolled")
    module_completed.connect(on_module_completed, dispatch_uid="xapi.module_completed")
    course_completed.connect(on_course_completed, dispatch_uid="xapi.course_completed")
    attempt_graded.connect(on_attempt_graded, dispatch_uid="xapi.attempt_graded")
    attended.connect(on_attended, dispatch_uid="xapi.attended")
    certificate_issued.connect(
        on_certificate_issued, dispatch_uid="xapi.certificate_issued"
    )
