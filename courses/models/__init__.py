"""Courses: editor content as Wagtail pages, learner data as plain models."""

from .pages import (
    Audience,
    CatalogPage,
    ChildRoutingMixin,
    CoursePage,
    CoursePageManager,
    CoursePageQuerySet,
    CoursePrerequisite,
    KnowsParentMixin,
    Level,
    ModulePage,
    Role,
    resume_point,
)
from .paths import (
    LearningPathIndexPage,
    LearningPathPage,
    LearningPathStep,
)
from .progress import (
    CardStatus,
    Enrollment,
    ModuleProgress,
    PrerequisiteExemption,
)

__all__ = [
    "CardStatus",
    "Level",
    "Audience",
    "Role",
    "ChildRoutingMixin",
    "KnowsParentMixin",
    "CatalogPage",
    "resume_point",
    "CoursePageQuerySet",
    "CoursePageManager",
    "CoursePage",
    "CoursePrerequisite",
    "ModulePage",
    "LearningPathIndexPage",
    "LearningPathPage",
    "LearningPathStep",
    "Enrollment",
    "ModuleProgress",
    "PrerequisiteExemption",
]
