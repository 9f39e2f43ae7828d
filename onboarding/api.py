"""What the other apps may use of onboarding.

- ``schedule``: the one rule for when weeks open and who is behind.
- ``Cohort``, ``CohortMember``, ``ActivityProgress``, ``ProgressStatus``,
  ``OnboardingWeekPage``: for reading (the onboarding report).
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

__all__ = [
    "ActivityProgress",
    "Cohort",
    "CohortMember",
    "OnboardingWeekPage",
    "ProgressStatus",
    "schedule",
]
