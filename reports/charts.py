"""Server-side SVG charts: no script, no CDN. Each chart is an image with a title
and a description for screen readers, and the template shows its numbers as a
table too (``reports/includes/chart.html``)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 56
COLOURS = ["#007d7e", "#e9b04d", "#6b46c1", "#cd4444", "#2e7d32", "#555"]
_ids = count(1)


def nice_ceiling(value: float) -> float:
    """A round axis top at or above ``value`` whose quarters are round too: whole
    numbers once the value is 1 or more (counts never get a 159.75 gridline)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 1.2, 1.6, 2, 2.4, 3, 4, 5, 6, 8, 10, 12, 16, 20):
        top = round(factor * magnitude, 10)
        if top >= value and (value < 1 or float(top / 4).is_integer()):
            return top
    return 20 * magnitude


@dataclass
class Series:
    name: str
    values: Sequence[float | None]


@dataclass
class Chart:
    title: str
    labels: Sequence[str]
    series: list[Series]
    kind: str = "bar"  # "bar" (grouped) or "line"
    percent: bool = False
    chart_id: str = field(default_factory=lambda: f"chart-{next(_ids)}")

    @property
    def maximum(self) -> float:
        """The top of the axis: a round number over the largest value, so the four
        gridlines fall on round values too (counts: whole numbers)."""
        if self.percent:
            return 1.0
        values = [v for s in self.series for v in s.values if v is not None]
        return nice_ceiling(max([*values, 1]))

    def format(self, value: float | None) -> str:
        if value is None:
            return "–"
        if self.percent:
            return f"{100 * value:.0f}%"
        return f"{value:g}"

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        return [
            (label, [self.format(s.values[i]) for s in self.series])
            for i, label in enumerate(self.labels)
        ]

    def _fits_under_bars(self) -> bool:
        n = max(1, len(self.labels))
        room = int((WIDTH - LEFT - RIGHT) / n / 6.5) - 1
        return n > 12 or all(len(label) <= room for label in self.labels)

    def svg(self) -> SafeString:
        if self.kind == "bar" and not self._fits_under_bars():
            return self._horizontal_svg()
        plot_w = WIDTH - LEFT - RIGHT
        plot_h = HEIGHT - TOP - BOTTOM
        top = self.maximum
        n = max(1, len(self.labels))
        slot = plot_w / n
        parts = [
            f'<svg class="report-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-labelledby="{self.chart_id}-title {self.chart_id}-desc" '
            f'xmlns="http://www.w3.org/2000/svg">',
            f'<title id="{self.chart_id}-title">{escape(self.title)}</title>',
            f'<desc id="{self.chart_id}-desc">{escape(self._description())}</desc>',
        ]
        for step in range(5):
            value = top * step / 4
            y = TOP + plot_h - plot_h * step / 4
            parts.append(
                f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="#ddd"/><text x="{LEFT - 6}" y="{y + 4:.1f}" '
                f'text-anchor="end" font-size="11">{escape(self.format(value))}</text>'
            )
        label_every = max(1, n // 12)
        # About 6.5 px a character at 11 px: a label never runs into its neighbour;
        # the full text is in each bar's title and in the data table.
        room = max(3, int(slot * label_every / 6.5) - 1)
        for i, label in enumerate(self.labels):
            if i % label_every == 0:
                x = LEFT + slot * (i + 0.5)
                shown = label if len(label) <= room else label[: room - 1] + "…"
                parts.append(
                    f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="11" '
                    f'text-anchor="middle">{escape(shown)}</text>'
                )
        for index, series in enumerate(self.series):
            colour = COLOURS[index % len(COLOURS)]
            if self.kind == "line":
                points = [
                    (LEFT + slot * (i + 0.5), TOP + plot_h - plot_h * v / top)
                    for i, v in enumerate(series.values)
                    if v is not None
                ]
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2.5" '
                    f'points="{path}"/>'
                )
                parts.extend(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>'
                    for x, y in points
                )
            else:
                width = slot * 0.8 / max(1, len(self.series))
                for i, v in enumerate(series.values):
                    if v is None:
                        continue
                    h = plot_h * v / top
                    x = LEFT + slot * i + slot * 0.1 + width * index
                    parts.append(
                        f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" '
                        f'width="{width:.1f}" height="{h:.1f}" fill="{colour}">'
                        f"<title>{escape(self.labels[i])}, {escape(series.name)}: "
                        f"{escape(self.format(v))}</title></rect>"
                    )
            legend_x = LEFT + index * 170
            parts.append(
                f'<rect x="{legend_x}" y="{HEIGHT - 20}" width="12" height="12" '
                f'fill="{colour}"/><text x="{legend_x + 18}" y="{HEIGHT - 10}" '
                f'font-size="12">{escape(series.name)}</text>'
            )
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

    def _horizontal_svg(self) -> SafeString:
        """Bars across, names on the left: for categories whose names are long."""
        label_w, value_w, row = 270, 44, 22
        per_series = row * len(self.series)
        height = TOP + per_series * len(self.labels) + 8 * len(self.labels) + 46
        plot_w = WIDTH - label_w - RIGHT - value_w
        bottom = height - 40
        top = self.maximum
        parts = [
            f'<svg class="report-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-labelledby="{self.chart_id}-title {self.chart_id}-desc" '
            f'xmlns="http://www.w3.org/2000/svg">',
            f'<title id="{self.chart_id}-title">{escape(self.title)}</title>',
            f'<desc id="{self.chart_id}-desc">{escape(self._description())}</desc>',
        ]
        for step in range(5):
            x = label_w + plot_w * step / 4
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{bottom}" '
                f'stroke="#ddd"/><text x="{x:.1f}" y="{bottom + 14}" font-size="11" '
                f'text-anchor="middle">{escape(self.format(top * step / 4))}</text>'
            )
        for i, label in enumerate(self.labels):
            y0 = TOP + i * (per_series + 8)
            shown = label if len(label) <= 40 else label[:39] + "…"
            parts.append(
                f'<text x="{label_w - 8}" y="{y0 + per_series / 2 + 4:.1f}" '
                f'font-size="11" text-anchor="end">{escape(shown)}</text>'
            )
            for index, series in enumerate(self.series):
                v = series.values[i]
                if v is None:
                    continue
                colour = COLOURS[index % len(COLOURS)]
                w = plot_w * v / top
                y = y0 + index * row + 3
                parts.append(
                    f'<rect x="{label_w}" y="{y:.1f}" width="{w:.1f}" '
                    f'height="{row - 6}" fill="{colour}"><title>{escape(label)}, '
                    f"{escape(series.name)}: {escape(self.format(v))}</title></rect>"
                    f'<text x="{label_w + w + 4:.1f}" y="{y + row / 2 + 1:.1f}" '
                    f'font-size="11">{escape(self.format(v))}</text>'
                )
        for index, series in enumerate(self.series):
            colour = COLOURS[index % len(COLOURS)]
            legend_x = label_w + index * 170
            parts.append(
                f'<rect x="{legend_x}" y="{height - 18}" width="12" height="12" '
                f'fill="{colour}"/><text x="{legend_x + 18}" y="{height - 8}" '
                f'font-size="12">{escape(series.name)}</text>'
            )
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

    def _description(self) -> str:
        names = ", ".join(s.name for s in self.series)
        return (
            f"{'Line' if self.kind == 'line' else 'Bar'} chart of {names} "
            f"over {len(self.labels)} categories; the table below lists the values."
        )


@dataclass
class ScatterPoint:
    x: float
    y: float
    label: str
    flagged: bool = False


def scatter(
    title: str, points: Sequence[ScatterPoint], *, x_label: str, y_label: str
) -> SafeString:
    """Facility (x, 0..1) against discrimination (y, -1..1), flagged points red."""
    chart_id = f"chart-{next(_ids)}"
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def at(x: float, y: float) -> tuple[float, float]:
        return LEFT + plot_w * x, TOP + plot_h * (1 - (y + 1) / 2)

    parts = [
        f'<svg class="report-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(x_label)} against {escape(y_label)} '
        f"for {len(points)} questions; the table lists every value.</desc>",
    ]
    for y in (-1, -0.5, 0, 0.5, 1):
        _x, py = at(0, y)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{py:.1f}" y2="{py:.1f}" '
            f'stroke="#ddd"/><text x="{LEFT - 6}" y="{py + 4:.1f}" font-size="11" '
            f'text-anchor="end">{y:g}</text>'
        )
    for x in (0, 0.2, 0.5, 0.95, 1):
        px, _y = at(x, -1)
        parts.append(
            f'<text x="{px:.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="11" '
            f'text-anchor="middle">{x:g}</text>'
        )
    parts.append(
        f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 12}" font-size="12" '
        f'text-anchor="middle">{escape(x_label)} → ; {escape(y_label)} ↑</text>'
    )
    for point in points:
        px, py = at(point.x, point.y)
        colour = "#cd4444" if point.flagged else "#007d7e"
        parts.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}">'
            f"<title>{escape(point.label)}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def completion_over_time(months: Sequence[dict]) -> Chart:
    """Enrolments and completions per month, for the admin and organization reports."""
    from django.utils.translation import gettext as _

    return Chart(
        title=_("Enrolments and completions per month"),
        labels=[f"{m['month']:%b %Y}" for m in months],
        series=[
            Series(_("Enrolled"), [m["enrolled"] for m in months]),
            Series(_("Completed"), [m["completed"] for m in months]),
        ],
        kind="line",
    )
