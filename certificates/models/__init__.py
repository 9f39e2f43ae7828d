"""Certificates: certification programmes and levels, attestations, issued certificates and external certifications."""

from .attestations import (
    AttestationStatus,
    ExperienceAttestation,
)
from .external import (
    ExternalCertification,
)
from .issued import (
    EXPIRING_WITHIN_DAYS,
    PRINTED_FIELDS,
    Certificate,
    CertificateKind,
    CertificateQuerySet,
    CertificateStatus,
    ReminderSent,
    certificate_pdf_path,
    certificate_states,
    is_expiring,
    new_verification_code,
    private_storage,
)
from .programs import (
    DEFAULT_REMINDER_OFFSETS,
    CertificationLevelPage,
    CertificationProgramPage,
    LevelRequiredCourse,
    LevelRequiredExam,
    RenewalMethod,
    parse_offsets,
)

__all__ = [
    "DEFAULT_REMINDER_OFFSETS",
    "parse_offsets",
    "CertificationProgramPage",
    "RenewalMethod",
    "CertificationLevelPage",
    "LevelRequiredExam",
    "LevelRequiredCourse",
    "AttestationStatus",
    "ExperienceAttestation",
    "new_verification_code",
    "CertificateKind",
    "CertificateStatus",
    "EXPIRING_WITHIN_DAYS",
    "certificate_states",
    "is_expiring",
    "CertificateQuerySet",
    "PRINTED_FIELDS",
    "private_storage",
    "certificate_pdf_path",
    "Certificate",
    "ReminderSent",
    "ExternalCertification",
]
