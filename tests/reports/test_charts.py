"""The SVG charts: round gridlines and labels that never run into each other."""

import re

import pytest

from reports.charts import Chart, Series, nice_ceiling


@pytest.mark.parametrize(
    ("largest", "top"),
    [(213, 240), (7, 8), (3, 4), (1, 4), (95, 100), (1000, 1000), (4999, 5000)],
)
def test_the_axis_top_is_round_and_so_are_its_quarters(largest, top):
    assert nice_ceiling(largest) == top
    assert float(top / 4).is_integer()


def test_gridlines_of_a_count_chart_are_whole_numbers():
    chart = Chart(
        title="Scores", labels=["0–9", "10–19"], series=[Series("n", [213, 5])]
    )
    ticks = re.findall(r'text-anchor="end" font-size="11">([^<]+)<', chart.svg())
    assert ticks == ["0", "60", "120", "180", "240"]


def test_short_labels_stay_under_the_bars():
    chart = Chart(title="Scores", labels=["0–9", "10–19"], series=[Series("n", [3, 5])])
    shown = re.findall(r'text-anchor="middle">([^<]+)</text>', chart.svg())
    assert shown == ["0–9", "10–19"]


def test_long_names_turn_the_chart_on_its_side_and_stay_readable():
    labels = [f"MWRASP Certified Professional exam {n}" for n in range(11)]
    chart = Chart(
        title="Pass rate",
        labels=labels,
        series=[Series("r", [0.5] * 11)],
        percent=True,
    )
    svg = chart.svg()
    names = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
    assert names == labels  # whole, one per row, none overlapping
    assert all(f"<title>{label}, r: 50%</title>" in svg for label in labels)
