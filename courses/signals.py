"""Events courses announces to the apps above it.

``course_completed(sender=CoursePage, user, course, enrollment)`` is sent once, after
the transaction that completed the course commits.
"""

from django.dispatch import Signal

course_completed = Signal()
