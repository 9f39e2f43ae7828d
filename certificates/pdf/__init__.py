"""Pure code: lay out a certificate as a one-page PDF.

No database and no Django here. Callers turn an issued certificate into a
:class:`CertificateData` and get PDF bytes back, so the layout is testable on its own
and the rendering task can stay a thin wrapper that stores the bytes.

Names, titles and the signatory are drawn in embedded fonts that cover Latin, Greek,
Cyrillic, Arabic, Hebrew, Devanagari, Thai, Chinese, Japanese and Korean, shaped by
HarfBuzz and ordered by the Unicode bidi algorithm (:mod:`.scripts`). The page's own
wording, the serial number and the address stay in the PDF standard fonts.
"""

from __future__ import annotations

from io import BytesIO

import segno
from PIL import Image
from reportlab.lib.colors import Color, white
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from .layout import (
    _GOLD,
    _GOLD_LIGHT,
    _INK,
    _MUTED,
    _NAVY,
    _QR_BORDER,
    _QR_PIXELS_PER_MODULE,
    _URL_MAX_WIDTH,
    CENTRE_X,
    HOLDER_NAME_MAX_SIZE,
    HOLDER_NAME_MIN_SIZE,
    HOLDER_NAME_STYLE,
    KIND_CERTIFICATION,
    KIND_COURSE_COMPLETION,
    KINDS,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SMALL_PRINT_STYLE,
    TEXT_MARGIN,
    TEXT_MAX_WIDTH,
    TITLE_MAX_SIZE,
    TITLE_MIN_SIZE,
    TITLE_STYLE,
    CertificateData,
    FittedText,
)
from .ornaments import (
    _draw_background,
    _draw_border,
    _draw_logo,
    _draw_ornament_rule,
    _draw_seal,
    _draw_signature,
)
from .scripts import font_runs, shape_line
from .text import (
    _printable_data,
    _set_metadata,
    _text_lines,
    achievement_for,
    draw_fitted_line,
    fit_text,
    fit_width,
    format_date,
    format_score,
    heading_for,
    printable,
    score_line,
    serial_line,
    validity_line,
)

__all__ = [
    "HOLDER_NAME_STYLE",
    "HOLDER_NAME_MAX_SIZE",
    "HOLDER_NAME_MIN_SIZE",
    "KIND_CERTIFICATION",
    "KIND_COURSE_COMPLETION",
    "KINDS",
    "PAGE_WIDTH",
    "PAGE_HEIGHT",
    "TEXT_MARGIN",
    "TEXT_MAX_WIDTH",
    "CertificateData",
    "fit_text",
    "fit_width",
    "format_score",
    "format_date",
    "printable",
    "render_certificate_pdf",
    "render_plain_page",
    "shape_line",
]


def render_certificate_pdf(data: CertificateData) -> bytes:
    """The designed, one-page landscape A4 certificate as PDF bytes.

    Output is byte-for-byte the same for the same data (no timestamps or random ids),
    so rendering twice is harmless.
    """
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=True)
    _set_metadata(canvas, data)
    data = _printable_data(data)

    _draw_background(canvas)
    _draw_border(canvas)
    _draw_logo(canvas, centre_x=CENTRE_X, baseline=502)
    _draw_body(canvas, data)
    _draw_signature(canvas, data, centre_x=205, line_y=112)
    _draw_seal(canvas, centre_x=CENTRE_X, centre_y=122, radius=40)
    canvas.setFillColor(_MUTED)
    canvas.setFont("Helvetica", 8.5)
    canvas.drawCentredString(CENTRE_X, 62, serial_line(data))
    _draw_verification(canvas, data, centre_x=PAGE_WIDTH - 205, bottom=72, size=88)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_plain_page(data: CertificateData) -> bytes:
    """The same text as :func:`render_certificate_pdf`, undecorated and without a QR.

    The baseline for timing the designed certificate: each line drawn with plain
    ``drawString`` in the same embedded fonts, without shaping, ornaments or QR code,
    so the difference is the cost of the design and of drawing every script right.
    """
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=True)
    _set_metadata(canvas, data)
    data = _printable_data(data)
    y = PAGE_HEIGHT - 72
    for line in _text_lines(data):
        x = 72.0
        for text, font_name in font_runs(line, SMALL_PRINT_STYLE):
            canvas.setFont(font_name, 12)
            canvas.drawString(x, y, text)
            x += canvas.stringWidth(text, font_name, 12)
        y -= 18
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_body(canvas: Canvas, data: CertificateData) -> None:
    canvas.setFillColor(_NAVY)
    canvas.setFont("Times-Roman", 36)
    canvas.drawCentredString(CENTRE_X, 440, heading_for(data.kind))
    _draw_ornament_rule(canvas, CENTRE_X, 424, half_length=130)

    canvas.setFillColor(_INK)
    canvas.setFont("Times-Italic", 15)
    canvas.drawCentredString(CENTRE_X, 390, "This certifies that")

    name = draw_fitted_line(
        canvas,
        shape_line(data.holder_name, HOLDER_NAME_STYLE),
        max_font_size=HOLDER_NAME_MAX_SIZE,
        min_font_size=HOLDER_NAME_MIN_SIZE,
        max_width=TEXT_MAX_WIDTH,
        baseline=340,
        colour=_NAVY,
    )
    rule_half = min(max(name.width / 2 + 30, 150), TEXT_MAX_WIDTH / 2 + 20)
    canvas.setStrokeColor(_GOLD)
    canvas.setLineWidth(0.8)
    canvas.line(CENTRE_X - rule_half, 326, CENTRE_X + rule_half, 326)

    canvas.setFillColor(_INK)
    canvas.setFont("Times-Italic", 14)
    canvas.drawCentredString(CENTRE_X, 300, achievement_for(data.kind))

    draw_fitted_line(
        canvas,
        shape_line(data.title, TITLE_STYLE),
        max_font_size=TITLE_MAX_SIZE,
        min_font_size=TITLE_MIN_SIZE,
        max_width=TEXT_MAX_WIDTH,
        baseline=270,
        colour=_NAVY,
    )

    y = 243.0
    score = score_line(data)
    if score is not None:
        canvas.setFillColor(_INK)
        canvas.setFont("Times-Italic", 14)
        canvas.drawCentredString(CENTRE_X, y, score)
        y -= 26
    canvas.setFillColor(_MUTED)
    canvas.setFont("Helvetica", 10.5)
    canvas.drawCentredString(CENTRE_X, y, validity_line(data))


def _draw_fitted(
    canvas: Canvas,
    text: str,
    font_name: str,
    fitted: FittedText,
    *,
    centre_x: float = CENTRE_X,
    baseline: float,
    colour: Color,
) -> None:
    # drawCentredString ignores horizontal scaling, so centre by the fitted width.
    line = canvas.beginText(centre_x - fitted.width / 2, baseline)
    line.setFont(font_name, fitted.font_size)
    line.setHorizScale(fitted.horizontal_scale)
    line.setFillColor(colour)
    line.textOut(text)
    # Horizontal scaling is graphics state that outlives the text object.
    canvas.saveState()
    canvas.drawText(line)
    canvas.restoreState()


def _draw_verification(
    canvas: Canvas,
    data: CertificateData,
    *,
    centre_x: float,
    bottom: float,
    size: float,
) -> None:
    """The QR code of the verification URL, on a white card, with the URL below."""
    padding = 6.0
    canvas.setFillColor(white)
    canvas.setStrokeColor(_GOLD_LIGHT)
    canvas.setLineWidth(0.8)
    canvas.roundRect(
        centre_x - size / 2 - padding,
        bottom - padding,
        size + 2 * padding,
        size + 2 * padding,
        radius=4,
        stroke=1,
        fill=1,
    )
    canvas.drawImage(
        ImageReader(_qr_image(data.verification_url)),
        centre_x - size / 2,
        bottom,
        width=size,
        height=size,
    )

    canvas.setFillColor(_NAVY)
    canvas.setFont("Helvetica-Bold", 8.5)
    canvas.drawCentredString(centre_x, bottom + size + padding + 8, "Scan to verify")

    url = fit_text(
        data.verification_url,
        font_name="Helvetica",
        max_font_size=7,
        min_font_size=5,
        max_width=_URL_MAX_WIDTH,
    )
    _draw_fitted(
        canvas,
        data.verification_url,
        "Helvetica",
        url,
        centre_x=centre_x,
        baseline=bottom - padding - 11,
        colour=_MUTED,
    )


def _qr_image(url: str) -> Image.Image:
    """The QR code as a greyscale image, four pixels a module.

    Built from the code's matrix rather than through a PNG file: encoding and
    decoding a PNG cost most of a certificate's rendering time (see BENCHMARKS.md).
    Four pixels a module prints sharp at the card's size and scans from paper.
    """
    code = segno.make(url, error="m")
    width, height = code.symbol_size(scale=1, border=_QR_BORDER)
    modules = bytes(
        0 if dark else 255
        for row in code.matrix_iter(scale=1, border=_QR_BORDER)
        for dark in row
    )
    image = Image.frombytes("L", (width, height), modules)
    return image.resize(
        (width * _QR_PIXELS_PER_MODULE, height * _QR_PIXELS_PER_MODULE),
        Image.Resampling.NEAREST,
    )
