"""The admin's reports, one module per report."""

from .certification import CertificationReportView, ExpiringCertificatesView
from .classes import ClassReportView
from .completion import CompletionReportView
from .compliance import ComplianceReportView, OverdueReportView
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
    "ComplianceReportView",
    "OverdueReportView",
    "ExamReportView",
    "ExpiringCertificatesView",
    "ItemAnalysisExamView",
    "ItemAnalysisIndexView",
    "OnboardingReportView",
    "refresh_item_analysis",
]
