"""Reads for the training reports, one module per report. Each function runs a
fixed number of queries, whatever the number of learners: counting, averaging
and ranking happen in the database; Python only divides the aggregated numbers."""

from certificates.api import EXPIRING_WITHIN_DAYS

from .certification import (
    CertificationRow,
    certification_rows,
    certifications_over_time,
    expiring_certificates,
    expiring_per_week,
)
from .classes import ClassRow, class_rows
from .common import DIMENSION_CHOICES, DIMENSIONS, MonthPoint, Scope, ratio
from .completion import CompletionRow, completion_over_time, completion_rows
from .compliance import (
    COMPLIANCE_DIMENSION_CHOICES,
    ComplianceRow,
    OverdueRow,
    compliance_over_time,
    compliance_rows,
    cycle_pairs,
    overdue_people,
)
from .exams import ExamRow, exam_rows, score_histogram
from .learner import learner_figures
from .onboarding import HireRow, OnboardingFigures, onboarding_figures
from .organization import organization_people

__all__ = [
    "COMPLIANCE_DIMENSION_CHOICES",
    "CertificationRow",
    "ComplianceRow",
    "OverdueRow",
    "compliance_over_time",
    "compliance_rows",
    "cycle_pairs",
    "overdue_people",
    "ClassRow",
    "CompletionRow",
    "DIMENSIONS",
    "DIMENSION_CHOICES",
    "EXPIRING_WITHIN_DAYS",
    "ExamRow",
    "HireRow",
    "MonthPoint",
    "OnboardingFigures",
    "Scope",
    "certification_rows",
    "certifications_over_time",
    "class_rows",
    "completion_over_time",
    "completion_rows",
    "exam_rows",
    "expiring_certificates",
    "expiring_per_week",
    "learner_figures",
    "onboarding_figures",
    "organization_people",
    "ratio",
    "score_histogram",
]
