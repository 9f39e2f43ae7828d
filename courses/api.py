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
Signals are in ``courses.signals``.
"""

from .dashboard import dashboard as learner_dashboard
from .models import Audience, CardStatus, CoursePage, Enrollment, LearningPathPage
from .prerequisites import register_credential_provider
from .selectors import live_module_counts
from .services import record_final_exam_passed

__all__ = [
    "Audience",
    "CardStatus",
    "CoursePage",
    "Enrollment",
    "LearningPathPage",
    "learner_dashboard",
    "live_module_counts",
    "record_final_exam_passed",
    "register_credential_provider",
]
