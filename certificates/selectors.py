"""Reads for certification pages, the dashboard and public verification."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.api import Columns, Prepared
from courses.api import Enrollment
from exams.api import Attempt

from .credentials import linkedin, openbadges
from .held import HELD
from .models import (
    AttestationStatus,
    Certificate,
    CertificateStatus,
    CertificationLevelPage,
    CertificationProgramPage,
    ExperienceAttestation,
    ExternalCertification,
    is_expiring,
)


@dataclass
class Requirement:
    label: str
    done: bool
    page: object | None = None  # the course or exam page to link to
    detail: str = ""


@dataclass
class RequirementStatus:
    items: list[Requirement] = field(default_factory=list)
    best_attempt: Attempt | None = None

    @property
    def met(self) -> bool:
        return bool(self.items) and all(item.done for item in self.items)

    @property
    def done_count(self) -> int:
        return sum(1 for item in self.items if item.done)


def requirement_status(*, user, level: CertificationLevelPage) -> RequirementStatus:
    """Each requirement of ``level`` and whether ``user`` meets it (fixed queries)."""
    status = RequirementStatus()
    exams = [link.exam for link in level.required_exams.select_related("exam")]
    courses = [link.course for link in level.required_courses.select_related("course")]
    passed: dict[int, Attempt] = {}
    completed: set[int] = set()
    attestation = None
    if user.is_authenticated:
        for attempt in Attempt.objects.filter(
            user=user, exam__in=exams, passed=True
        ).order_by("graded_at"):
            passed.setdefault(attempt.exam_id, attempt)
        completed = set(
            Enrollment.objects.filter(
                user=user, course__in=courses, completed_at__isnull=False
            ).values_list("course_id", flat=True)
        )
        if level.required_experience_months:
            attestation = ExperienceAttestation.objects.filter(
                user=user, level=level
            ).first()
    for exam in exams:
        attempt = passed.get(exam.pk)
        status.items.append(
            Requirement(
                label=f"Pass {exam.title}",
                done=attempt is not None,
                page=exam,
                detail=f"Passed with {attempt.percent}%" if attempt else "",
            )
        )
        if attempt and (
            status.best_attempt is None
            or attempt.graded_at > status.best_attempt.graded_at
        ):
            status.best_attempt = attempt
    for course in courses:
        status.items.append(
            Requirement(
                label=f"Complete {course.title}",
                done=course.pk in completed,
                page=course,
            )
        )
    if level.required_experience_months:
        approved = bool(
            attestation
            and attestation.status == AttestationStatus.APPROVED
            and attestation.months >= level.required_experience_months
        )
        detail = ""
        if attestation:
            detail = f"{attestation.months} months attested: {attestation.get_status_display().lower()}"
        status.items.append(
            Requirement(
                label=f"At least {level.required_experience_months} months of experience",
                done=approved,
                detail=detail,
            )
        )
    return status


def held_level_codes(user) -> set[str]:
    """Credential provider for course prerequisites: codes of valid certifications."""
    return set(
        Certificate.objects.valid_on(timezone.localdate())
        .filter(holder=user, level__isnull=False)
        .values_list("level__code", flat=True)
    )


@dataclass
class CertificateRow:
    certificate: Certificate
    status: str
    days_left: int | None
    renewal_open: bool

    @property
    def expiring(self) -> bool:
        """Valid and expiring soon (``certificate_states``' "expiring")."""
        return is_expiring(self.status, self.days_left)

    @property
    def take_along(self) -> dict:
        """The credential downloads and LinkedIn's link (see :func:`take_along`)."""
        return take_along(self.certificate, status=self.status)


def _read_held(holder_id: int) -> list[Certificate]:
    """The holder's certificates, newest first, each with ``is_superseded`` and
    its level: one statement whose SQL is written once per process (a holder's
    first dashboard reads it; the query builder's join of the level's page cost
    more CPU than the database takes to run it), and one for the levels when
    any is held."""
    columns = _certificate_columns()
    certificates = []
    for *values, superseded in _HELD_VALUES.rows(holder_id):
        certificate = columns.instance(values)
        certificate.is_superseded = bool(superseded)
        certificates.append(certificate)
    level_ids = {c.level_id for c in certificates if c.level_id is not None}
    if level_ids:
        levels = CertificationLevelPage.objects.in_bulk(level_ids)
        for certificate in certificates:
            if certificate.level_id is not None:
                certificate.level = levels[certificate.level_id]
    return certificates


@cache
def _certificate_columns() -> Columns:
    return Columns(Certificate)


def _held_values(holder_id):
    return (
        Certificate.objects.filter(holder_id=holder_id)
        .annotate(
            is_superseded=Exists(Certificate.objects.filter(supersedes=OuterRef("pk")))
        )
        .order_by("-issued_on", "-pk")
        .values_list(*_certificate_columns().attnames, "is_superseded")
    )


_HELD_VALUES = Prepared(_held_values)


def holder_certificates(*, user, today: date | None = None) -> list[CertificateRow]:
    """The holder's certificates with status and renewal window on ``today``
    (kept per holder, :mod:`certificates.held`; one query when not kept). For
    showing: what decides reads the database."""
    today = today or timezone.localdate()
    rows = []
    certificates = HELD.kept(user.pk, lambda: _read_held(user.pk))
    for certificate in certificates:
        status = certificate.status_on(today, superseded=certificate.is_superseded)
        days_left = certificate.days_to_expiry(today)
        window = certificate.level.renewal_window_days if certificate.level else 0
        rows.append(
            CertificateRow(
                certificate=certificate,
                status=status,
                days_left=days_left,
                # Renewal opens as the certificate starts expiring, by its
                # level's own window.
                renewal_open=bool(
                    certificate.level
                    and is_expiring(status, days_left, expiring_within_days=window)
                ),
            )
        )
    return rows


def external_certifications(*, user) -> list[ExternalCertification]:
    return list(
        ExternalCertification.objects.filter(holder=user).order_by("-issued_on")
    )


def _comparable_name(text: str) -> list[str]:
    """Words of a name without case or accents: "Müller-Łódź" ~ "muller-lodz"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.casefold().split()


def certificate_by_serial_and_surname(*, serial: str, surname: str):
    """The certificate with ``serial`` whose holder's surname is ``surname``
    exactly (ignoring case and accents), or None. A part of a name never matches:
    a serial and one letter must not be enough to find a holder."""
    wanted = _comparable_name(surname)
    if not wanted:
        return None
    certificate = (
        Certificate.objects.filter(serial__iexact=serial.strip())
        .select_related("holder")
        .first()
    )
    if certificate is None:
        return None
    printed = _comparable_name(certificate.holder_name)
    surnames = [printed[-len(wanted) :]]
    if certificate.holder and certificate.holder.last_name:
        surnames.append(_comparable_name(certificate.holder.last_name))
    return certificate if wanted in surnames else None


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate a verification code names, with what its page and its
    credential show."""
    return (
        Certificate.objects.filter(verification_code=code)
        .select_related("holder", "level", "course", "revoked_by")
        .first()
    )


def verification(*, code: str) -> dict | None:
    certificate = certificate_by_code(code)
    if certificate is None:
        return None
    superseded_by = Certificate.objects.filter(supersedes=certificate).first()
    status = certificate.status_on(superseded=superseded_by is not None)
    return {
        "certificate": certificate,
        "status": status,
        "superseded_by": superseded_by,
        **take_along(certificate, status=status),
    }


def take_along(certificate: Certificate, *, status: str) -> dict:
    """What a holder or a verifier takes away: the Open Badges credential's
    addresses and, for a certificate in force, LinkedIn's "Add to profile"."""
    verification_url = openbadges.credential_id(certificate)
    code = certificate.verification_code
    return {
        "verification_url": verification_url,
        "credential_json_url": reverse("certificates:credential_json", args=[code]),
        "credential_jwt_url": reverse("certificates:credential_jwt", args=[code]),
        "linkedin_url": linkedin.add_to_profile_url(
            certificate, verification_url=verification_url
        )
        if status == CertificateStatus.VALID
        else "",
    }


def program_overview(*, program: CertificationProgramPage, user) -> dict:
    levels = list(
        CertificationLevelPage.objects.child_of(program).live().order_by("path")
    )
    held = {}
    if user.is_authenticated:
        for row in holder_certificates(user=user):
            if row.certificate.level_id and row.status == CertificateStatus.VALID:
                held.setdefault(row.certificate.level_id, row)
    return {"levels": [(level, held.get(level.pk)) for level in levels]}


def level_detail(*, level: CertificationLevelPage, user) -> dict:
    rows = [
        row
        for row in (holder_certificates(user=user) if user.is_authenticated else [])
        if row.certificate.level_id == level.pk
    ]
    return {
        "requirements": requirement_status(user=user, level=level),
        "held": rows[0] if rows else None,
        "attestation": ExperienceAttestation.objects.filter(
            user=user, level=level
        ).first()
        if user.is_authenticated
        else None,
    }


def experience_attestation_missing(user, exam) -> list[str]:
    """An eligibility rule for exams that ask for approved experience: the
    learner needs an approved attestation for a level that requires the exam."""
    if not getattr(exam, "requires_experience_attestation", False):
        return []
    levels = list(
        CertificationLevelPage.objects.filter(required_exams__exam=exam).order_by(
            "path"
        )
    )
    if not levels:
        return []
    approved = ExperienceAttestation.objects.filter(
        user=user, level__in=levels, status=AttestationStatus.APPROVED
    ).exists()
    if approved:
        return []
    return [
        _(
            "Have your experience approved for %(level)s (at least %(months)s "
            "months): submit it on the level's page and an examiner reviews it."
        )
        % {"level": levels[0].title, "months": levels[0].required_experience_months}
    ]
