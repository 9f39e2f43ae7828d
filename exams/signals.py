"""Events exams announces to the apps above it.

``pass_recorded(sender=Attempt, attempt, user, exam)`` is sent inside the
transaction that grades a passing attempt: what a receiver writes commits or rolls
back with the grade (onboarding completes the activity that asked for the exam).

``attempt_passed(sender=Attempt, attempt, user, exam)`` is sent once per passing
attempt, after the transaction that graded it commits. Certificates listens to it.
"""

from django.dispatch import Signal

pass_recorded = Signal()
attempt_passed = Signal()
