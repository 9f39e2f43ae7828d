"""Each holder's certificates, which the dashboard (and the organisation's view
of a person) shows on every visit, kept per holder (:class:`accounts.api.
KeptPerPerson`) instead of a query per visit.

A copy is kept under the content version (each certificate carries its level's
page, whose renewal window the rows show) and the holder's own number, which any
change to one of their certificates advances: a save or delete, and the bulk
writes through :class:`~certificates.models.CertificateQuerySet` (``update``
and ``bulk_create`` name the holders they touched). A renewal is the holder's own
certificate, so the one it supersedes shows superseded at once.

What is kept is the rows; each visit works out their status, days left and
renewal window on its own day, so a certificate that expires overnight shows
expired in the morning with no change to forget. What decides (issuing,
renewing, revoking, prerequisites, eligibility) reads the database, never this
copy.
"""

from __future__ import annotations

from accounts.api import ON_DASHBOARD, KeptPerPerson
from courses.api import CONTENT_VERSION_KEY

HELD = KeptPerPerson(
    "certificates:held",
    also_under=(CONTENT_VERSION_KEY,),
    read_ahead_on=(ON_DASHBOARD,),
)


def connect() -> None:
    from .models import Certificate

    HELD.listen(Certificate, "holder_id")
