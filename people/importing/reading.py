"""Reading the rows of a CSV (UTF-8 with or without BOM, comma or semicolon, as
Excel writes them) or an XLSX file, with the file's own line numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024


class UnreadableFile(ValueError):
    """The file cannot be read as a table; ``str(error)`` says why."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)


def read_table(data: bytes, filename: str) -> Table:
    if len(data) > MAX_BYTES:
        raise UnreadableFile(_("The file is larger than 20 MB."))
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    if filename.lower().endswith((".csv", ".txt")):
        return _read_csv(data)
    raise UnreadableFile(_("Upload a .csv or .xlsx file."))


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # an older Excel's "CSV" on Windows
        except UnicodeDecodeError:
            raise UnreadableFile(_("The file is not text in UTF-8.")) from None
    if "\x00" in text:
        raise UnreadableFile(_("This is not a CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = []
        for cells in reader:
            records.append((reader.line_num, cells))
            if len(records) > MAX_ROWS + 1:
                raise UnreadableFile(
                    _("The file has more than %(max)s rows.") % {"max": f"{MAX_ROWS:,}"}
                )
    except csv.Error as error:
        raise UnreadableFile(
            _("Line %(line)s cannot be read: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None
    return _table(records)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same answer
        raise UnreadableFile(_("This is not an Excel workbook (.xlsx).")) from None
    sheet = book.worksheets[0]
    records = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        records.append((number, [_cell(value) for value in row]))
        if len(records) > MAX_ROWS + 1:
            raise UnreadableFile(
                _("The file has more than %(max)s rows.") % {"max": f"{MAX_ROWS:,}"}
            )
    book.close()
    return _table(records)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(records) -> Table:
    records = [(line, [c.strip() for c in cells]) for line, cells in records]
    records = [(line, cells) for line, cells in records if any(cells)]
    if not records:
        raise UnreadableFile(_("The file is empty."))
    (_line, headers), *rows = records
    return Table(headers=headers, rows=rows)
