"""The certificate's drawing: paper, border, corners, logo, ornament rules, signature line and seal."""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .layout import (
    _GOLD,
    _GOLD_LIGHT,
    _INK,
    _MUTED,
    _NAVY,
    _NAVY_LIGHT,
    _PAPER,
    _WATERMARK,
    BORDER_INSET,
    CENTRE_X,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SIGNATORY_STYLE,
    SIGNATURE_STYLE,
    SMALL_PRINT_STYLE,
    CertificateData,
)
from .scripts import shape_line
from .text import draw_fitted_line

# The signature block is centred under its line; its text stays within the line.
_SIGNATURE_WIDTH = 220.0


def _draw_background(canvas: Canvas) -> None:
    canvas.setFillColor(_PAPER)
    canvas.rect(0, 0, PAGE_WIDTH, PAGE_HEIGHT, stroke=0, fill=1)
    # A large, faint diamond behind the text echoes the logo without competing with it.
    canvas.setFillColor(_WATERMARK)
    _diamond(canvas, CENTRE_X, 300, half_width=250, half_height=215)
    canvas.setFillColor(_PAPER)
    _diamond(canvas, CENTRE_X, 300, half_width=236, half_height=201)
    canvas.setFillColor(_WATERMARK)
    _diamond(canvas, CENTRE_X, 300, half_width=226, half_height=191)


def _draw_border(canvas: Canvas) -> None:
    outer = 14.0
    canvas.setStrokeColor(_NAVY)
    canvas.setLineWidth(6)
    canvas.rect(outer, outer, PAGE_WIDTH - 2 * outer, PAGE_HEIGHT - 2 * outer)
    canvas.setStrokeColor(_GOLD)
    canvas.setLineWidth(1.4)
    inset = BORDER_INSET
    canvas.rect(inset, inset, PAGE_WIDTH - 2 * inset, PAGE_HEIGHT - 2 * inset)
    canvas.setStrokeColor(_NAVY)
    canvas.setLineWidth(0.5)
    inner = inset + 4
    canvas.rect(inner, inner, PAGE_WIDTH - 2 * inner, PAGE_HEIGHT - 2 * inner)

    for x, y, dx, dy in (
        (inset, inset, 1, 1),
        (PAGE_WIDTH - inset, inset, -1, 1),
        (inset, PAGE_HEIGHT - inset, 1, -1),
        (PAGE_WIDTH - inset, PAGE_HEIGHT - inset, -1, -1),
    ):
        _draw_corner(canvas, x, y, dx, dy)

    # Small diamonds at the middle of each side keep the long edges from looking bare.
    canvas.setFillColor(_GOLD)
    for x, y in (
        (CENTRE_X, inset),
        (CENTRE_X, PAGE_HEIGHT - inset),
        (inset, PAGE_HEIGHT / 2),
        (PAGE_WIDTH - inset, PAGE_HEIGHT / 2),
    ):
        canvas.setFillColor(_PAPER)
        _diamond(canvas, x, y, half_width=9, half_height=9)
        canvas.setFillColor(_GOLD)
        _diamond(canvas, x, y, half_width=5.5, half_height=5.5)


def _draw_corner(canvas: Canvas, x: float, y: float, dx: int, dy: int) -> None:
    """An L-shaped bracket and a diamond tucked into one inner corner."""
    canvas.setStrokeColor(_GOLD)
    canvas.setLineWidth(2)
    reach = 46
    offset = 10
    path = canvas.beginPath()
    path.moveTo(x + dx * offset, y + dy * (offset + reach))
    path.lineTo(x + dx * offset, y + dy * offset)
    path.lineTo(x + dx * (offset + reach), y + dy * offset)
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.setFillColor(_NAVY)
    _diamond(canvas, x + dx * 22, y + dy * 22, half_width=6, half_height=6)
    canvas.setFillColor(_GOLD)
    _diamond(canvas, x + dx * 22, y + dy * 22, half_width=2.5, half_height=2.5)


def _draw_logo(canvas: Canvas, *, centre_x: float, baseline: float) -> None:
    """The MWRASP Academy mark: a faceted diamond followed by the wordmark."""
    bold, regular, size = "Helvetica-Bold", "Helvetica", 17.0
    first, second = "MWRASP", " Academy"
    letter_spacing = 1.2
    first_width = stringWidth(first, bold, size) + letter_spacing * len(first)
    second_width = stringWidth(second, regular, size) + letter_spacing * len(second)
    mark_half, gap = 16.0, 10.0
    total = 2 * mark_half + gap + first_width + second_width
    left = centre_x - total / 2

    mark_x, mark_y = left + mark_half, baseline + size * 0.35
    _draw_logo_mark(canvas, mark_x, mark_y, mark_half)

    text = canvas.beginText(left + 2 * mark_half + gap, baseline)
    text.setCharSpace(letter_spacing)
    text.setFont(bold, size)
    text.setFillColor(_NAVY)
    text.textOut(first)
    text.setFont(regular, size)
    text.setFillColor(_GOLD)
    text.textOut(second)
    # Character spacing is graphics state that outlives the text object.
    canvas.saveState()
    canvas.drawText(text)
    canvas.restoreState()


def _draw_logo_mark(canvas: Canvas, x: float, y: float, half: float) -> None:
    # Four facets in two shades read as a cut gem at small sizes.
    for colour, points in (
        (_NAVY, ((x, y + half), (x - half, y), (x, y))),
        (_NAVY_LIGHT, ((x, y + half), (x + half, y), (x, y))),
        (_NAVY_LIGHT, ((x, y - half), (x - half, y), (x, y))),
        (_NAVY, ((x, y - half), (x + half, y), (x, y))),
    ):
        canvas.setFillColor(colour)
        _polygon(canvas, points)
    canvas.setStrokeColor(_GOLD)
    canvas.setLineWidth(1.2)
    _diamond(
        canvas,
        x,
        y,
        half_width=half * 0.45,
        half_height=half * 0.45,
        fill=False,
        stroke=True,
    )


def _draw_ornament_rule(
    canvas: Canvas, x: float, y: float, *, half_length: float
) -> None:
    canvas.setStrokeColor(_GOLD)
    canvas.setLineWidth(0.8)
    canvas.line(x - half_length, y, x - 12, y)
    canvas.line(x + 12, y, x + half_length, y)
    canvas.setFillColor(_GOLD)
    _diamond(canvas, x, y, half_width=6, half_height=4)
    _diamond(canvas, x - half_length, y, half_width=2.5, half_height=2.5)
    _diamond(canvas, x + half_length, y, half_width=2.5, half_height=2.5)


def _draw_signature(
    canvas: Canvas, data: CertificateData, *, centre_x: float, line_y: float
) -> None:
    signature = shape_line(data.signatory_name, SIGNATURE_STYLE)
    draw_fitted_line(
        canvas,
        signature,
        max_font_size=24,
        min_font_size=14,
        max_width=_SIGNATURE_WIDTH,
        centre_x=centre_x,
        baseline=line_y + 8,
        colour=_NAVY_LIGHT,
    )
    canvas.setStrokeColor(_INK)
    canvas.setLineWidth(0.7)
    canvas.line(centre_x - 105, line_y, centre_x + 105, line_y)
    for text, style, size, baseline, colour in (
        (data.signatory_name, SIGNATORY_STYLE, 10, line_y - 15, _INK),
        (data.signatory_title, SMALL_PRINT_STYLE, 8.5, line_y - 28, _MUTED),
        (data.issuer_name, SMALL_PRINT_STYLE, 8.5, line_y - 40, _MUTED),
    ):
        draw_fitted_line(
            canvas,
            shape_line(text, style),
            max_font_size=size,
            min_font_size=size - 2,
            max_width=_SIGNATURE_WIDTH,
            centre_x=centre_x,
            baseline=baseline,
            colour=colour,
        )


def _draw_seal(
    canvas: Canvas, *, centre_x: float, centre_y: float, radius: float
) -> None:
    """A gold rosette with a navy centre and the logo diamond."""
    points = 36
    star = []
    for index in range(points * 2):
        angle = math.pi * index / points
        reach = radius if index % 2 == 0 else radius * 0.9
        star.append(
            (centre_x + reach * math.cos(angle), centre_y + reach * math.sin(angle))
        )
    canvas.setFillColor(_GOLD)
    _polygon(canvas, star)
    canvas.setStrokeColor(_GOLD_LIGHT)
    canvas.setLineWidth(0.8)
    canvas.circle(centre_x, centre_y, radius * 0.8, stroke=1, fill=0)
    canvas.setFillColor(_NAVY)
    canvas.circle(centre_x, centre_y, radius * 0.7, stroke=0, fill=1)
    canvas.setStrokeColor(_GOLD_LIGHT)
    canvas.setLineWidth(0.6)
    canvas.circle(centre_x, centre_y, radius * 0.62, stroke=1, fill=0)
    canvas.setFillColor(_GOLD_LIGHT)
    _diamond(
        canvas,
        centre_x,
        centre_y,
        half_width=radius * 0.32,
        half_height=radius * 0.42,
    )
    canvas.setFillColor(_NAVY)
    _diamond(
        canvas,
        centre_x,
        centre_y,
        half_width=radius * 0.14,
        half_height=radius * 0.2,
    )


def _diamond(
    canvas: Canvas,
    x: float,
    y: float,
    *,
    half_width: float,
    half_height: float,
    fill: bool = True,
    stroke: bool = False,
) -> None:
    _polygon(
        canvas,
        (
            (x, y + half_height),
            (x + half_width, y),
            (x, y - half_height),
            (x - half_width, y),
        ),
        fill=fill,
        stroke=stroke,
    )


def _polygon(
    canvas: Canvas,
    points: Sequence[tuple[float, float]],
    *,
    fill: bool = True,
    stroke: bool = False,
) -> None:
    path = canvas.beginPath()
    first, *rest = points
    path.moveTo(*first)
    for point in rest:
        path.lineTo(*point)
    path.close()
    canvas.drawPath(path, fill=fill, stroke=stroke)
