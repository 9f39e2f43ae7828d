"""Onboarding: each hire against the schedule, cohorts week by week, and the
mentors' sign-off backlog."""

from django.utils.translation import gettext_lazy as _

from .. import filters, selectors
from ..charts import Chart, Series
from .base import ReportColumn, TrainingReportView


class OnboardingReportView(TrainingReportView):
    page_title = _("Onboarding")
    header_icon = "group"
    report_slug = "onboarding"
    filterset_class = filters.OnboardingFilterSet
    results_template_name = "reports/admin/onboarding_results.html"
    report_columns = [
        ReportColumn("member.hire", _("Hire")),
        ReportColumn("member.hire.email", _("E-mail"), table=False),
        ReportColumn("member.cohort", _("Cohort")),
        ReportColumn("member.mentor", _("Mentor")),
        ReportColumn("current_week", _("Current week")),
        ReportColumn("completed", _("Required activities done")),
        ReportColumn("expected", _("Expected by now")),
        ReportColumn(
            "behind",
            _("Behind schedule"),
            display=lambda behind: _("yes") if behind else _("no"),
        ),
        ReportColumn("awaiting_signoff", _("Waiting for sign-off")),
    ]

    def get_queryset(self):
        self.figures = selectors.onboarding_figures(
            cohort=self.values.get("cohort"),
            behind_only=bool(self.values.get("behind")),
        )
        return self.figures.hires

    def get_summary(self):
        hires = self.figures.hires
        return [
            (_("Hires"), str(len(hires))),
            (_("Behind schedule"), str(sum(1 for h in hires if h.behind))),
            (
                _("Waiting for sign-off"),
                str(sum(entry["waiting"] for entry in self.figures.backlog)),
            ),
        ]

    def get_charts(self):
        weeks = self.figures.week_numbers
        return [
            Chart(
                title=str(_("Cohort progress, week by week")),
                labels=[str(_("Week %(n)s") % {"n": n}) for n in weeks],
                series=[
                    Series(name, values)
                    for name, values in self.figures.cohort_weeks.items()
                ],
                percent=True,
            )
        ]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["backlog"] = self.figures.backlog
        return context
