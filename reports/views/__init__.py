"""The admin's reports, one module per report."""

from .certification import CertificationReportView, ExpiringCertificatesView
from .classes import ClassReportView
from .completion import CompletionReportView
from .exams import ExamReportView
from .item_analysis import (
    ItemAnalysisExamView,
    ItemAnalysisIndexView,
    refresh_item_analysis,
)
from .onboarding import OnboardingReportView

__all__ = [
    "CertificationReportView",
    "ClassReportView",
    "CompletionReportView",
    "ExamReportView",
    "ExpiringCertificatesView",
    "ItemAnalysisExamView",
    "ItemAnalysisIndexView",
    "OnboardingReportView",
    "refresh_item_analysis",
]
