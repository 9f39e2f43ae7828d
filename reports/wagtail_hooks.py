from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views
from .permissions import can_view_item_analysis, can_view_reports

REPORTS = [
    ("completion", views.CompletionReportView, _("Course completion"), "tick-inverse"),
    ("certification", views.CertificationReportView, _("Certification"), "doc-full"),
    ("expiring", views.ExpiringCertificatesView, _("Expiring certificates"), "time"),
    ("exams", views.ExamReportView, _("Exams"), "doc-full-inverse"),
    ("onboarding", views.OnboardingReportView, _("Onboarding"), "group"),
    ("classes", views.ClassReportView, _("Classes"), "date"),
    ("compliance", views.ComplianceReportView, _("Compliance"), "tasks"),
    ("overdue", views.OverdueReportView, _("Overdue training"), "warning"),
]


def _urls():
    patterns = []
    for slug, view, _label, _icon in REPORTS:
        patterns += [
            path(f"{slug}/", view.as_view(), name=slug),
            path(
                f"{slug}/results/",
                view.as_view(results_only=True),
                name=f"{slug}_results",
            ),
        ]
    patterns += [
        path(
            "item-analysis/",
            views.ItemAnalysisIndexView.as_view(),
            name="item_analysis",
        ),
        path(
            "item-analysis/results/",
            views.ItemAnalysisIndexView.as_view(results_only=True),
            name="item_analysis_results",
        ),
        path(
            "item-analysis/refresh/",
            views.refresh_item_analysis,
            name="item_analysis_refresh",
        ),
        path(
            "item-analysis/<id:exam_id>/",
            views.ItemAnalysisExamView.as_view(),
            name="item_analysis_exam",
        ),
        path(
            "item-analysis/<id:exam_id>/results/",
            views.ItemAnalysisExamView.as_view(results_only=True),
            name="item_analysis_exam_results",
        ),
    ]
    return patterns


@hooks.register("insert_global_admin_css")
def report_styles():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("reports/reports.css")
    )


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("training-reports/", include((_urls(), "training_reports")))]


class ReportMenuItem(MenuItem):
    def __init__(self, *args, allowed=can_view_reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def is_shown(self, request):
        return self.allowed(request.user)


def _menu_item(index, slug, label, icon):
    @hooks.register("register_reports_menu_item")
    def register():
        return ReportMenuItem(
            label,
            reverse(f"training_reports:{slug}"),
            name=f"training-{slug}",
            icon_name=icon,
            order=100 + index,
        )

    return register


for _index, (_slug, _view, _label, _icon) in enumerate(REPORTS):
    _menu_item(_index, _slug, _label, _icon)


@hooks.register("register_reports_menu_item")
def register_item_analysis_menu_item():
    return ReportMenuItem(
        _("Item analysis"),
        reverse("training_reports:item_analysis"),
        name="training-item-analysis",
        icon_name="help",
        order=120,
        allowed=can_view_item_analysis,
    )
