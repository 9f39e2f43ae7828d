"""Events exams announces to the apps above it.

``pass_recorded(sender=Attempt, attempt, user, exam)`` is sent inside the
transaction that grades a passing attempt: what a receiver writes commits or rolls
back with the grade (onboarding completes the activity that asked for the exam).

``attempt_passed(sender=Attempt, attempt, user, exam)`` is sent once per passing
attempt, after the transaction that graded it commits. Certificates listens to it.

``attempt_graded(sender=Attempt, attempt)`` is sent after the transaction that
made a result final commits, pass or fail: auto-grading, a practical's release,
an empty practical, an appeal's decision.
"""

from django.dispatch import Signal

pass_recorded = Signal()
attempt_passed = Signal()
attempt_graded = Signal()
