"""What the other apps may use of courses.

- ``CoursePage`` (``CoursePage.objects.visible_to(user)``), ``Audience``,
  ``Enrollment``, ``LearningPathPage``: the catalog, for reading.
- ``learner_dashboard(user=…)``: a learner's courses and paths, as the dashboard
  shows them; ``live_module_counts``: live lessons per course.
- ``record_final_exam_passed``: exams tell courses that a course's final exam
  was passed.
- ``register_credential_provider``: higher apps tell prerequisites which
  credentials a learner holds (certificates registers valid certifications).
- ``CardStatus``: where a learner stands with a course (templates compare to it).
- ``enroll(user=…, course=…)`` and ``CourseAccessError`` (its refusals, with a
  message for the learner): for apps that enrol people on their behalf.
- ``LearningPathStep``: a path's courses in order.
- ``content_version``, ``content_changed``: the number that advances with every
  change to a page; what is kept from pages is keyed by it
  (``CONTENT_VERSION_KEY`` names it for ``accounts.api.kept_under``).
- ``ChoiceBlock``: a choice ticked if right (knowledge checks and bank questions).
- ``register_outline_notes``, ``OutlineNotes``: what the course outline says
  about a higher app's pages (an exam's blueprint).
Signals are in ``courses.signals``.
"""

from .blocks import ChoiceBlock
from .content_version import VERSION_KEY as CONTENT_VERSION_KEY
from .content_version import content_changed, content_version
from .dashboard import dashboard as learner_dashboard
from .models import (
    Audience,
    CardStatus,
    CoursePage,
    Enrollment,
    LearningPathPage,
    LearningPathStep,
)
from .outline import Notes as OutlineNotes
from .outline import register_outline_notes
from .prerequisites import register_credential_provider
from .selectors import live_module_counts
from .services import CourseAccessError, enroll, record_final_exam_passed

__all__ = [
    "CONTENT_VERSION_KEY",
    "content_changed",
    "content_version",
    "ChoiceBlock",
    "Audience",
    "CardStatus",
    "CourseAccessError",
    "CoursePage",
    "Enrollment",
    "LearningPathPage",
    "LearningPathStep",
    "OutlineNotes",
    "enroll",
    "learner_dashboard",
    "live_module_counts",
    "record_final_exam_passed",
    "register_credential_provider",
    "register_outline_notes",
]
