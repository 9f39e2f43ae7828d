"""What the other apps may use of certificates.

- ``Certificate`` (with ``Certificate.objects.valid_on(day)``),
  ``CertificateStatus``, ``certificate_states``, ``EXPIRING_WITHIN_DAYS``: the one
  rule for a certificate's state.
- ``CertificateKind``: a certification or a course completion.
- ``CertificationLevelPage``, ``LevelRequiredExam``: levels and their exams.
- ``holder_certificates(user=…)``: a holder's certificates with their states.
"""

from .models import (
    EXPIRING_WITHIN_DAYS,
    Certificate,
    CertificateKind,
    CertificateStatus,
    CertificationLevelPage,
    LevelRequiredExam,
    certificate_states,
)
from .selectors import holder_certificates

__all__ = [
    "EXPIRING_WITHIN_DAYS",
    "Certificate",
    "CertificateKind",
    "CertificateStatus",
    "CertificationLevelPage",
    "LevelRequiredExam",
    "certificate_states",
    "holder_certificates",
]
