"""Events classes announces to the apps above it.

``attended(sender=Booking, booking)`` is sent for each booking newly marked as
attended, after the transaction that marked it commits.
"""

from django.dispatch import Signal

attended = Signal()
