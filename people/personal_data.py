"""A person's data: everything about them as a download, and erasure.

Export: a ZIP of JSON files (profile, enrolments, attempts with their answers,
certificates, bookings, assigned training, notifications) with their certificate
PDFs and the files they handed in.

Erasure (a training admin, confirmed, audited): personal fields anonymised, the
sign-in closed and every session ended, files removed. Certificates stay
verifiable as issued to "a person whose data was erased on <date>"; attempts stay
in the statistics without identity.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import audit_values, is_training_admin, record_audit_event
from assignments.api import PersonAssignment
from certificates.api import Certificate
from classes.api import Booking
from courses.api import Enrollment
from exams.api import Attempt
from notifications.api import Notification
from onboarding.api import ActivityProgress

PROFILE_FIELDS = [
    "email",
    "first_name",
    "last_name",
    "time_zone",
    "language",
    "organization",
    "manager",
    "date_joined",
    "last_login",
]


def _json(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _dump(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json)


# Plain tables of the export: file, model, the field naming the person, columns.
TABLES = (
    (
        "enrolments.json",
        Enrollment,
        "user",
        ("course__title", "enrolled_at", "last_activity_at", "completed_at"),
    ),
    (
        "bookings.json",
        Booking,
        "user",
        ("session__title", "session__starts_at", "status", "created_at"),
    ),
    (
        "assigned_training.json",
        PersonAssignment,
        "person",
        ("assignment__item__title", "cycle", "due_on", "completed_at", "exempt_until"),
    ),
    (
        "notifications.json",
        Notification,
        "user",
        ("title", "link", "created_at", "read_at"),
    ),
)


def export_person(person) -> bytes:
    """The person's data as a ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        profile = {
            "email": person.email,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "time_zone": person.time_zone,
            "language": person.language,
            "organization": person.organization.name if person.organization else None,
            "manager": person.manager.email if person.manager else None,
            "roles": sorted(person.groups.values_list("name", flat=True)),
            "date_joined": person.date_joined,
            "last_login": person.last_login,
        }
        archive.writestr("profile.json", _dump(profile))
        for filename, model, owner, columns in TABLES:
            rows = model.objects.filter(**{owner: person}).values(*columns)
            archive.writestr(filename, _dump(list(rows)))
        attempts = []
        # Every attempt with its paper and hand-ins: two queries in all.
        for attempt in (
            Attempt.objects.filter(user=person)
            .select_related("exam", "paper")
            .prefetch_related("files")
        ):
            paper = getattr(attempt, "paper", None)
            questions = paper.question_list() if paper else []
            attempts.append(
                {
                    "exam": attempt.exam.title,
                    "number": attempt.number,
                    "status": attempt.status,
                    "started_at": attempt.started_at,
                    "score_percent": attempt.percent,
                    "passed": attempt.passed,
                    "answers": [
                        {
                            "position": q.position,
                            "question": q.snapshot.get("public", {}),
                            "your_answer": q.response,
                            "answered_at": q.answered_at,
                        }
                        for q in questions
                    ],
                }
            )
            for handed_in in attempt.files.all():
                with handed_in.file.open("rb") as source:
                    archive.writestr(
                        f"hand-ins/{attempt.public_id}/{handed_in.original_name}",
                        source.read(),
                    )
        archive.writestr("attempts.json", _dump(attempts))
        certificates = []
        for certificate in Certificate.objects.filter(holder=person):
            certificates.append(
                {
                    "serial": certificate.serial,
                    "title": certificate.title,
                    "issued_on": certificate.issued_on,
                    "expires_on": certificate.expires_on,
                    "revoked_at": certificate.revoked_at,
                }
            )
            if certificate.pdf:
                with certificate.pdf.open("rb") as source:
                    archive.writestr(
                        f"certificates/{certificate.serial}.pdf", source.read()
                    )
        archive.writestr("certificates.json", _dump(certificates))
    return buffer.getvalue()


def erase_person(*, actor, person, confirmation: str, reason: str) -> None:
    """Erase ``person``'s personal data; ``confirmation`` must be their e-mail."""
    if not is_training_admin(actor):
        raise PermissionDenied
    if actor.pk == person.pk:
        raise ValidationError(_("You cannot erase yourself."))
    if confirmation.strip().lower() != person.email.lower():
        raise ValidationError(_("Type the person's e-mail address to confirm."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the erasure."))
    today = timezone.localdate()
    files = []
    with transaction.atomic():
        before = audit_values(person, ["email", "first_name", "last_name"])
        held = Certificate.objects.filter(holder=person)
        files += [certificate.pdf for certificate in held if certificate.pdf]
        # An issued certificate is never edited through save(); erasure is the one
        # change it allows: the name and the file go, the claims stay.
        held.update(holder_name="", holder_erased_on=today, pdf="")
        for attempt in Attempt.objects.filter(user=person).prefetch_related("files"):
            for handed_in in attempt.files.all():
                files.append(handed_in.file)
                handed_in.delete()
        ActivityProgress.objects.filter(member__hire=person).update(note="")
        Notification.objects.filter(user=person).delete()
        EmailAddress.objects.filter(user=person).delete()
        person.socialaccount_set.all().delete()
        person.authenticator_set.all().delete()
        person.email = f"erased-{person.pk}@erased.invalid"
        person.first_name = person.last_name = ""
        person.language = ""
        person.manager = None
        person.is_active = False
        person.set_unusable_password()  # every session's hash stops matching
        person.save()
        record_audit_event(
            actor=actor,
            action="person.erase",
            target=person,
            subject=person,
            before=before,
            after={"erased_on": today.isoformat()},
            reason=reason,
        )
        transaction.on_commit(lambda: [f.delete(save=False) for f in files])
