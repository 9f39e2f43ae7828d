"""Each receiver calls one service (see the signals' documentation)."""

from courses.signals import course_completed
from exams.signals import attempt_passed

from . import services


def on_attempt_passed(sender, attempt, **kwargs):
    services.issue_for_passed_attempt(attempt=attempt)


def on_course_completed(sender, user, course, **kwargs):
    services.issue_course_certificate(user=user, course=course)


def connect() -> None:
    attempt_passed.connect(
        on_attempt_passed, dispatch_uid="certificates.attempt_passed"
    )
    course_completed.connect(
        on_course_completed, dispatch_uid="certificates.course_completed"
    )
