"""Each receiver turns one event of the apps below into a webhook event."""

from django.db import transaction
from django.db.models.signals import post_save

from accounts.api import User
from assignments.api import assignment_overdue
from certificates.signals import (
    certificate_expiring,
    certificate_issued,
    certificate_revoked,
)
from courses.signals import course_completed
from exams.signals import attempt_graded
from people.signals import people_imported, person_deactivated

from . import payloads
from .delivery import emit, emit_many


def on_certificate_issued(sender, certificate, **kwargs):
    kind = "certificate.renewed" if certificate.supersedes_id else "certificate.issued"
    with transaction.atomic():
        emit(
            kind,
            payloads.certificate(certificate),
            organization_id=payloads.org(certificate.holder),
        )


def on_certificate_revoked(sender, certificate, **kwargs):
    emit(
        "certificate.revoked",
        payloads.certificate(certificate),
        organization_id=payloads.org(certificate.holder),
    )


def on_certificate_expiring(sender, certificate, days_left, **kwargs):
    emit(
        "certificate.expiring",
        {**payloads.certificate(certificate), "days_left": days_left},
        organization_id=payloads.org(certificate.holder),
    )


def on_assignment_overdue(sender, row, today, **kwargs):
    emit(
        "assignment.overdue",
        {
            "person": payloads.person(row.person),
            "title": row.assignment.item.title,
            "due_on": row.due_on.isoformat() if row.due_on else None,
            "cycle": row.cycle,
        },
        organization_id=payloads.org(row.person),
    )


def on_attempt_graded(sender, attempt, **kwargs):
    with transaction.atomic():
        emit(
            "attempt.graded",
            payloads.result(attempt),
            organization_id=payloads.org(attempt.user),
        )


def on_course_completed(sender, user, course, **kwargs):
    with transaction.atomic():
        emit(
            "course.completed",
            {"person": payloads.person(user), "course": payloads.course(course)},
            organization_id=payloads.org(user),
        )


def on_user_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        emit(
            "person.created",
            {"person": payloads.person(instance)},
            organization_id=payloads.org(instance),
        )


def on_people_imported(sender, people, **kwargs):
    emit_many(
        "person.created",
        [({"person": payloads.person(p)}, payloads.org(p)) for p in people],
    )


def on_person_deactivated(sender, person, **kwargs):
    emit(
        "person.deactivated",
        {"person": payloads.person(person)},
        organization_id=payloads.org(person),
    )


def connect() -> None:
    attempt_graded.connect(on_attempt_graded, dispatch_uid="webhooks.attempt_graded")
    certificate_expiring.connect(
        on_certificate_expiring, dispatch_uid="webhooks.certificate_expiring"
    )
    assignment_overdue.connect(
        on_assignment_overdue, dispatch_uid="webhooks.assignment_overdue"
    )
    certificate_issued.connect(
        on_certificate_issued, dispatch_uid="webhooks.certificate_issued"
    )
    certificate_revoked.connect(
        on_certificate_revoked, dispatch_uid="webhooks.certificate_revoked"
    )
    course_completed.connect(
        on_course_completed, dispatch_uid="webhooks.course_completed"
    )
    post_save.connect(on_user_saved, sender=User, dispatch_uid="webhooks.user_saved")
    person_deactivated.connect(
        on_person_deactivated, dispatch_uid="webhooks.person_deactivated"
    )
    people_imported.connect(on_people_imported, dispatch_uid="webhooks.people_imported")
