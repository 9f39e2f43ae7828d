"""Exams: attempts, grading backlog, pass rates and scores."""

from django.utils.translation import gettext_lazy as _

from .. import filters, selectors
from ..charts import Chart, Series
from .base import ReportColumn, TrainingReportView, number, percent


class ExamReportView(TrainingReportView):
    page_title = _("Exams")
    header_icon = "doc-full-inverse"
    report_slug = "exams"
    filterset_class = filters.ExamFilterSet
    report_columns = [
        ReportColumn("label", _("Exam")),
        ReportColumn("attempts", _("Attempts")),
        ReportColumn("graded", _("Graded")),
        ReportColumn("awaiting_grading", _("Awaiting grading")),
        ReportColumn("passed", _("Passed")),
        ReportColumn("pass_rate", _("Pass rate"), display=percent),
        ReportColumn("average_percent", _("Average score (%)"), display=number),
        ReportColumn(
            "average_minutes", _("Average time used (minutes)"), display=number
        ),
        ReportColumn(
            "attempts_per_pass",
            _("Attempts per pass"),
            display=lambda v: number(v, 2),
        ),
    ]

    def get_queryset(self):
        return selectors.exam_rows(scope=self.scope(), exam=self.values.get("exam"))

    def get_summary(self):
        rows = self.object_list
        graded = sum(r.graded for r in rows)
        return [
            (_("Graded attempts"), str(graded)),
            (_("Awaiting grading"), str(sum(r.awaiting_grading for r in rows))),
            (
                _("Pass rate"),
                percent(selectors.ratio(sum(r.passed for r in rows), graded)),
            ),
        ]

    def get_charts(self):
        bands = selectors.score_histogram(
            scope=self.scope(), exam=self.values.get("exam")
        )
        rows = self.object_list[:24]
        return [
            Chart(
                title=str(_("Score distribution (graded attempts)")),
                labels=[b["band"] for b in bands],
                series=[Series(str(_("Attempts")), [b["attempts"] for b in bands])],
            ),
            Chart(
                title=str(_("Pass rate per exam")),
                labels=[r.label for r in rows],
                series=[Series(str(_("Pass rate")), [r.pass_rate for r in rows])],
                percent=True,
            ),
        ]
