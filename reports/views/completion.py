"""Course completion: enrolments, completions and time to complete."""

from django.utils.translation import gettext_lazy as _

from .. import filters, selectors
from ..charts import Chart, Series
from ..charts import completion_over_time as completion_over_time_chart
from .base import ReportColumn, TrainingReportView, number, percent


class CompletionReportView(TrainingReportView):
    page_title = _("Course completion")
    header_icon = "tick-inverse"
    report_slug = "completion"
    filterset_class = filters.CompletionFilterSet
    report_columns = [
        ReportColumn("label", _("Name")),
        ReportColumn("enrolled", _("Enrolled")),
        ReportColumn("not_started", _("Not started")),
        ReportColumn("in_progress", _("In progress")),
        ReportColumn("completed", _("Completed")),
        ReportColumn("completion_rate", _("Completion rate"), display=percent),
        ReportColumn("median_days", _("Median days to complete"), display=number),
    ]

    def get_queryset(self):
        return selectors.completion_rows(
            scope=self.scope(),
            by=self.values.get("by") or "course",
            course=self.values.get("course"),
        )

    def get_summary(self):
        rows = self.object_list
        enrolled = sum(r.enrolled for r in rows)
        completed = sum(r.completed for r in rows)
        return [
            (_("Enrolments"), str(enrolled)),
            (_("Completed"), str(completed)),
            (_("Completion rate"), percent(selectors.ratio(completed, enrolled))),
        ]

    def get_charts(self):
        months = selectors.completion_over_time(scope=self.scope())
        return [
            completion_over_time_chart(months),
            Chart(
                title=str(_("Completion rate")),
                labels=[r.label for r in self.object_list[:24]],
                series=[
                    Series(
                        str(_("Completion rate")),
                        [r.completion_rate for r in self.object_list[:24]],
                    )
                ],
                percent=True,
            ),
        ]
