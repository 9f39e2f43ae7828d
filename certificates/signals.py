"""Events certificates announces to the apps above it.

``certificate_issued(sender=Certificate, certificate)`` is sent once per new
certificate (first issue or renewal), after the transaction that issued it commits.
"""

from django.dispatch import Signal

certificate_issued = Signal()
certificate_revoked = Signal()
certificate_expiring = Signal()
