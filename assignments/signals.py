"""Events assignments announces to the apps above it (through assignments.api).

``assignment_overdue(sender=PersonAssignment, row, today)`` is sent inside the
transaction that claims the person's "overdue" reminder: once per person and
cycle, whatever schedulers run at once.
"""

from django.dispatch import Signal

assignment_overdue = Signal()
