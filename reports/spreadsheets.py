"""Every CSV the project writes goes through here, so that no cell a person typed
(a name, a course title, a free-text answer) is run as a formula by a spreadsheet.

XLSX needs no help: Wagtail's export writes every text cell as text.
"""

from __future__ import annotations

import re

from wagtail.admin.views.mixins import SpreadsheetExportMixin

# What spreadsheets read as the start of a formula (OWASP: CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A figure written as text ("-3", "+2.5", "-12%") is data, not a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?%?")


def neutralise_cell(value):
    """``value`` as a CSV cell that no spreadsheet evaluates: text starting with a
    formula trigger gets a leading apostrophe; numbers and plain figures pass."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


class SafeSpreadsheetExportMixin(SpreadsheetExportMixin):
    """Wagtail's CSV/XLSX export with every CSV cell neutralised."""

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: neutralise_cell(
                    self.preprocess_field_value(field, value, self.FORMAT_CSV)
                )
                for field, value in row_dict.items()
            }
        )
