"""What the other apps may use of certificates.

- ``Certificate`` (with ``Certificate.objects.valid_on(day)``),
  ``CertificateStatus``, ``certificate_states``, ``EXPIRING_WITHIN_DAYS``: the one
  rule for a certificate's state.
- ``CertificateKind``: a certification or a course completion.
- ``CertificationLevelPage``, ``LevelRequiredExam``: levels and their exams.
- ``holder_certificates(user=…)``: a holder's certificates with their states.
- ``add_months``: the same day N months later (month ends clamp);
  ``parse_offsets``: "14, 7, 1" as a list of days.
Signals are in ``certificates.signals``.
"""

from .models import (
    EXPIRING_WITHIN_DAYS,
    Certificate,
    CertificateKind,
    CertificateStatus,
    CertificationLevelPage,
    LevelRequiredExam,
    certificate_states,
    parse_offsets,
)
from .selectors import holder_certificates
from .services.issuing import add_months, revoke_certificate
from .views import verification_document, verify_rate_limited

__all__ = [
    "EXPIRING_WITHIN_DAYS",
    "Certificate",
    "CertificateKind",
    "CertificateStatus",
    "CertificationLevelPage",
    "LevelRequiredExam",
    "add_months",
    "parse_offsets",
    "certificate_states",
    "holder_certificates",
    "revoke_certificate",
    "verification_document",
    "verify_rate_limited",
]
