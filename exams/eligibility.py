"""Who may start an exam: the exam's own eligibility rules, and rules that higher
apps register (an approved experience attestation lives in ``certificates``,
which exams may not import).

A check takes ``(user, exam)`` and returns what is missing, as sentences for the
learner; an empty list means eligible. Every check runs in the service that
starts an attempt, so no page can be skipped.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

EligibilityCheck = Callable[[object, object], list[str]]
_checks: list[EligibilityCheck] = []


def register_eligibility_check(check: EligibilityCheck) -> EligibilityCheck:
    """Add a rule (idempotent: registering the same function twice keeps one)."""
    if check not in _checks:
        _checks.append(check)
    return check


def required_courses_missing(user, exam) -> list[str]:
    """The courses the exam asks to be completed first, that ``user`` has not."""
    from courses.api import Enrollment

    from .exam_facts import exam_facts

    required = exam_facts(exam).required
    if not required:
        return []
    done = set(
        Enrollment.objects.filter(
            user=user,
            course_id__in=[course_id for course_id, _title in required],
            completed_at__isnull=False,
        ).values_list("course_id", flat=True)
    )
    return [
        _("Complete the course “%(title)s”.") % {"title": title}
        for course_id, title in required
        if course_id not in done
    ]


def missing_for(*, user, exam) -> list[str]:
    """Everything ``user`` still needs before starting ``exam`` (empty: eligible)."""
    missing = required_courses_missing(user, exam)
    for check in _checks:
        missing.extend(check(user, exam))
    return missing
