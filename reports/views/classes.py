"""Instructor-led classes: seats, waitlists and attendance."""

from django.utils.translation import gettext_lazy as _

from .. import filters, selectors
from ..charts import Chart, Series
from .base import ReportColumn, TrainingReportView, percent


class ClassReportView(TrainingReportView):
    page_title = _("Classes")
    header_icon = "date"
    report_slug = "classes"
    filterset_class = filters.ClassFilterSet
    report_columns = [
        ReportColumn("session.title", _("Class")),
        ReportColumn("session.starts_at", _("Starts at")),
        ReportColumn("session.capacity", _("Seats")),
        ReportColumn("seats_taken", _("Booked")),
        ReportColumn("fill_rate", _("Fill rate"), display=percent),
        ReportColumn("waitlisted", _("Waitlist")),
        ReportColumn("attended", _("Attended"), table=False),
        ReportColumn("no_show", _("Did not attend"), table=False),
        ReportColumn("attendance_rate", _("Attendance rate"), display=percent),
    ]

    def get_queryset(self):
        return selectors.class_rows(
            scope=self.scope(), course=self.values.get("course")
        )

    def get_summary(self):
        rows = self.object_list
        return [
            (_("Classes"), str(len(rows))),
            (_("Waiting for a seat"), str(sum(r.waitlisted for r in rows))),
        ]

    def get_charts(self):
        rows = self.object_list[:24]
        return [
            Chart(
                title=str(_("Fill and attendance rate per class")),
                labels=[r.session.title for r in rows],
                series=[
                    Series(str(_("Fill rate")), [r.fill_rate for r in rows]),
                    Series(
                        str(_("Attendance rate")), [r.attendance_rate for r in rows]
                    ),
                ],
                percent=True,
            )
        ]
