"""What the other apps may use of onboarding.

- ``schedule``: the one rule for when weeks open and who is behind.
- ``Cohort``, ``CohortMember``, ``ActivityProgress``, ``ProgressStatus``,
  ``OnboardingWeekPage``: for reading (the onboarding report).
- ``ActivityState``: an activity as a hire's week shows it.
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
from .selectors import ActivityState

__all__ = [
    "ActivityProgress",
    "ActivityState",
    "Cohort",
    "CohortMember",
    "OnboardingWeekPage",
    "ProgressStatus",
    "schedule",
]
