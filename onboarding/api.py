"""What the other apps may use of onboarding.

- ``schedule``: the one rule for when weeks open and who is behind.
- ``Cohort``, ``CohortMember``, ``ActivityProgress``, ``ProgressStatus``,
  ``OnboardingWeekPage``: for reading (the onboarding report).
- ``ActivityState``: an activity as a hire's week shows it.
- ``onboarding_progress(hire_ids)``: each hire's required activities done against
  those due (the team view).
Exams reach onboarding through signals and registries, never by import.
"""

from . import schedule
from .models import (
    ActivityProgress,
    Cohort,
    CohortMember,
    OnboardingWeekPage,
    ProgressStatus,
)
from .selectors import ActivityState, onboarding_progress

__all__ = [
    "ActivityProgress",
    "ActivityState",
    "Cohort",
    "CohortMember",
    "OnboardingWeekPage",
    "ProgressStatus",
    "onboarding_progress",
    "schedule",
]
