"""Writes for certificates: issuing, renewal and revocation, the PDF, experience
and external certifications, and expiry reminders (one module each)."""

from . import credentials
from .documents import (
    certificate_data,
    generate_certificate_pdf,
)
from .experience import (
    MAX_PROOF_BYTES,
    PROOF_SIGNATURES,
    attest_experience,
    check_proof,
    record_external_certification,
    review_experience,
    review_external_certification,
)
from .issuing import (
    SERIAL_ALPHABET,
    SERIAL_RANDOM_LENGTH,
    add_months,
    current_certificate,
    issue_certificate_if_eligible,
    issue_course_certificate,
    issue_for_passed_attempt,
    revoke_certificate,
)
from .reminders import (
    REMINDER_CATCH_UP_DAYS,
    REMINDER_CHUNK,
    due_offset,
    send_expiry_reminders,
)

__all__ = [
    "credentials",
    "MAX_PROOF_BYTES",
    "PROOF_SIGNATURES",
    "REMINDER_CATCH_UP_DAYS",
    "REMINDER_CHUNK",
    "SERIAL_ALPHABET",
    "SERIAL_RANDOM_LENGTH",
    "add_months",
    "attest_experience",
    "certificate_data",
    "check_proof",
    "current_certificate",
    "due_offset",
    "generate_certificate_pdf",
    "issue_certificate_if_eligible",
    "issue_course_certificate",
    "issue_for_passed_attempt",
    "record_external_certification",
    "review_experience",
    "review_external_certification",
    "revoke_certificate",
    "send_expiry_reminders",
]
