"""Each report's table, export headings and export rows come from one column
spec: every column the table shows is exported under the same heading, and an
exported row has exactly the exported fields."""

import pytest

from reports import views

REPORTS = [getattr(views, name) for name in views.__all__ if name.endswith("View")]


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.__name__)
def test_the_table_and_the_export_share_their_columns(report):
    view = report()
    headings = {str(label) for label in view.export_headings.values()}
    table = [str(column.label) for column in view.columns]
    assert table, "a report shows columns"
    assert set(table) <= headings
    assert list(view.export_headings) == view.list_export
    assert len(set(view.list_export)) == len(view.list_export)
