"""Events exams announces to the apps above it.

``attempt_passed(sender=Attempt, attempt, user, exam)`` is sent once per passing
attempt, after the transaction that graded it commits. Certificates listens to it.
"""

from django.dispatch import Signal

attempt_passed = Signal()
