"""What every admin report shares: permission, filters, rounding, and the column
spec from which a report's table, its export's headings and its export's rows
all come, so that the three can never disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import multigetattr

from ..permissions import can_view_reports
from ..selectors import Scope
from ..spreadsheets import SafeSpreadsheetExportMixin


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


@dataclass(frozen=True)
class ReportColumn:
    """One column of a report.

    ``field`` names the value (an attribute path such as ``"member.hire.email"``
    unless ``value`` computes it from the row); the export writes that value under
    ``label``. The table shows it under the same label, formatted by ``display``,
    or renders the cell itself with ``cell``. ``table``/``export`` leave a column
    out of one of the two.
    """

    field: str
    label: Any
    value: Callable[[Any], Any] | None = None
    display: Callable[[Any], Any] | None = None
    cell: Callable[[Any], Any] | None = None
    table: bool = True
    export: bool = True

    def raw(self, row) -> Any:
        return self.value(row) if self.value else multigetattr(row, self.field)

    def rendered(self, row) -> Any:
        if self.cell:
            return self.cell(row)
        value = self.raw(row)
        return self.display(value) if self.display else value

    def as_table_column(self) -> Column:
        return Column(
            self.field.replace(".", "_"), label=self.label, accessor=self.rendered
        )


class TrainingReportView(SafeSpreadsheetExportMixin, ReportView):
    """A report over selector rows: permission, filter values, rounding. Each
    report's ``get_queryset`` returns its selector's rows, already filtered, and
    ``report_columns`` says what the table and the export show."""

    results_template_name = "reports/admin/results.html"
    paginate_by = 100
    allowed = staticmethod(can_view_reports)
    report_slug = ""
    # What the report's figures count, shown above them.
    help_text = ""
    report_columns: ClassVar[list[ReportColumn]] = []

    def dispatch(self, request, *args, **kwargs):
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def columns(self) -> list[Column]:
        return [c.as_table_column() for c in self.report_columns if c.table]

    @property
    def list_export(self) -> list[str]:
        return [c.field for c in self.report_columns if c.export]

    @property
    def export_headings(self) -> dict:
        return {c.field: c.label for c in self.report_columns if c.export}

    @property
    def index_url_name(self):
        return f"training_reports:{self.report_slug}"

    @property
    def index_results_url_name(self):
        return f"training_reports:{self.report_slug}_results"

    def get_filename(self):
        return f"{self.report_slug}-{date.today():%Y-%m-%d}"

    @property
    def values(self) -> dict:
        """The filter form's cleaned values ({} when nothing valid was sent)."""
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data
        return {}

    def scope(self) -> Scope:
        period = self.values.get("period")
        return Scope(
            organization=self.values.get("organization"),
            date_from=period.start if period else None,
            date_to=period.stop if period else None,
        )

    def filter_queryset(self, queryset):
        return queryset  # the selectors did the filtering

    def to_row_dict(self, item):
        row = {c.field: c.raw(item) for c in self.report_columns if c.export}
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}

    def get_heading(self, queryset, field):
        return str(self.export_headings.get(field, field))

    def get_charts(self) -> list:
        return []

    def get_summary(self) -> list[tuple[str, str]]:
        return []

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["charts"] = self.get_charts()
        context["summary"] = self.get_summary()
        context["help_text"] = self.help_text
        return context
