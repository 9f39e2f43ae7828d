"""Each receiver turns one fact of the apps below into a statement: registered
(enrolled), experienced (a lesson first completed), completed (a course),
passed/failed (a final exam result, with the score), attended (a class) and
earned (a certificate)."""

from __future__ import annotations

from datetime import datetime, time

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.api import site_url
from certificates.signals import certificate_issued
from classes.signals import attended
from courses.signals import course_completed, enrolled, module_completed
from exams.signals import attempt_graded

from .sending import queue
from .statements import Activity, Score


def page_activity(page, kind: str) -> Activity:
    return Activity(iri=site_url(page.get_url()), kind=kind, title=page.title)


def on_enrolled(sender, enrollment, **kwargs):
    with transaction.atomic():
        queue(
            verb="registered",
            user=enrollment.user,
            activity=page_activity(enrollment.course, "course"),
            timestamp=enrollment.enrolled_at,
        )


def on_module_completed(sender, progress, **kwargs):
    enrollment = progress.enrollment
    with transaction.atomic():
        queue(
            verb="experienced",
            user=enrollment.user,
            activity=page_activity(progress.module, "lesson"),
            parent=page_activity(enrollment.course, "course"),
            timestamp=progress.completed_at,
        )


def on_course_completed(sender, user, course, enrollment, **kwargs):
    with transaction.atomic():
        queue(
            verb="completed",
            user=user,
            activity=page_activity(course, "course"),
            timestamp=enrollment.completed_at,
        )


def on_attempt_graded(sender, attempt, **kwargs):
    if attempt.percent is None or attempt.passed is None:
        return
    exam = attempt.exam
    with transaction.atomic():
        queue(
            verb="passed" if attempt.passed else "failed",
            user=attempt.user,
            activity=page_activity(exam, "assessment"),
            score=Score(percent=attempt.percent, passed=attempt.passed),
            timestamp=attempt.graded_at or timezone.now(),
        )


def on_attended(sender, booking, **kwargs):
    session = booking.session
    with transaction.atomic():
        queue(
            verb="attended",
            user=booking.user,
            activity=Activity(
                iri=site_url(reverse("classes:detail", args=[session.pk])),
                kind="meeting",
                title=session.title,
            ),
            parent=page_activity(session.course, "course") if session.course else None,
            timestamp=session.starts_at,
        )


def on_certificate_issued(sender, certificate, **kwargs):
    holder = certificate.holder
    if holder is None:
        return
    with transaction.atomic():
        queue(
            verb="earned",
            user=holder,
            activity=Activity(
                iri=certificate.verification_url,
                kind="certificate",
                title=certificate.title,
                description=f"Serial {certificate.serial}",
            ),
            timestamp=certificate.created_at
            or timezone.make_aware(datetime.combine(certificate.issued_on, time())),
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
