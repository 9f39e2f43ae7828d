"""Compliance with assigned training, and who is overdue."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .. import filters, selectors
from ..charts import Chart, Series
from .base import ReportColumn, TrainingReportView, percent


class CyclesReportView(TrainingReportView):
    """A report over assigned training's cycles, read once per request."""

    @cached_property
    def pairs(self) -> list[list]:
        return selectors.cycle_pairs(organization=self.values.get("organization"))


class ComplianceReportView(CyclesReportView):
    page_title = _("Compliance")
    header_icon = "tasks"
    report_slug = "compliance"
    help_text = _(
        "Of the people each assignment reaches, the share who are compliant: done "
        "(or done and not yet due again), or exempt. Overdue people are past their "
        "due date on their own calendar day; the rest are assigned and not yet due."
    )
    filterset_class = filters.ComplianceFilterSet
    report_columns = [
        ReportColumn("label", _("Group")),
        ReportColumn("assigned", _("Assigned")),
        ReportColumn("compliance", _("Compliant"), display=percent),
        ReportColumn("done", _("Done")),
        ReportColumn("exempt", _("Exempt")),
        ReportColumn("overdue", _("Overdue")),
        ReportColumn("pending", _("Not yet due")),
    ]

    def get_queryset(self):
        return selectors.compliance_rows(
            self.pairs, by=self.values.get("by") or "assignment"
        )

    def get_summary(self):
        rows = self.object_list
        assigned = sum(r.assigned for r in rows)
        return [
            (_("Assigned"), str(assigned)),
            (
                _("Compliant"),
                percent(selectors.ratio(sum(r.compliant for r in rows), assigned)),
            ),
            (_("Overdue"), str(sum(r.overdue for r in rows))),
        ]

    def get_charts(self):
        points = selectors.compliance_over_time(self.pairs)
        rows = self.object_list
        return [
            Chart(
                title=str(_("Share compliant, month by month")),
                labels=[f"{p['day']:%d %b %Y}" for p in points],
                series=[
                    Series(
                        str(_("Compliant (%)")),
                        [
                            round(100 * p["compliance"], 1)
                            if p["compliance"] is not None
                            else 0
                            for p in points
                        ],
                    )
                ],
                kind="line",
            ),
            Chart(
                title=str(_("Compliant and overdue per group")),
                labels=[r.label for r in rows],
                series=[
                    Series(str(_("Compliant")), [r.compliant for r in rows]),
                    Series(str(_("Overdue")), [r.overdue for r in rows]),
                    Series(str(_("Not yet due")), [r.pending for r in rows]),
                ],
            ),
        ]


class OverdueReportView(CyclesReportView):
    page_title = _("Overdue training")
    header_icon = "warning"
    report_slug = "overdue"
    help_text = _(
        "Everyone past the due date of assigned training today, longest overdue "
        "first. Exempt people, deactivated people and repeat cycles not yet open are not listed."
    )
    filterset_class = filters.OverdueFilterSet
    report_columns = [
        ReportColumn("person.display_name", _("Name")),
        ReportColumn("person.email", _("E-mail")),
        ReportColumn("organization", _("Organisation")),
        ReportColumn("manager", _("Manager")),
        ReportColumn("title", _("Training")),
        ReportColumn("due_on", _("Due on")),
        ReportColumn("days_overdue", _("Days overdue")),
    ]

    def get_queryset(self):
        return selectors.overdue_people(self.pairs)

    def get_charts(self):
        per_training = {}
        for row in self.object_list:
            per_training[row.title] = per_training.get(row.title, 0) + 1
        return [
            Chart(
                title=str(_("Overdue people per training")),
                labels=list(per_training),
                series=[Series(str(_("Overdue")), list(per_training.values()))],
            )
        ]
