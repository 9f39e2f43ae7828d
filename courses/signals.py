"""Events courses announces to the apps above it.

``course_completed(sender=CoursePage, user, course, enrollment)`` is sent once, after
the transaction that completed the course commits.

``enrolled(sender=Enrollment, enrollment)`` is sent once per new enrollment, after
the transaction that created it commits.

``module_completed(sender=ModuleProgress, progress)`` is sent once per learner and
lesson, after the transaction that first completed it commits.
"""

from django.dispatch import Signal

course_completed = Signal()
enrolled = Signal()
module_completed = Signal()
