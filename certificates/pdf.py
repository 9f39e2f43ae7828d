"""Pure code: lay out a certificate as a one-page PDF.

No database and no Django here. Callers turn an issued certificate into a
:class:`CertificateData` and get PDF bytes back, so the layout is testable on its own
and the rendering task can stay a thin wrapper that stores the bytes.

Only the PDF standard fonts (Helvetica, Times) are used: they need no font files but
draw only the Windows-1252 (Western European) characters. Other letters are drawn
without their accents (``Łukasz Wałęsa`` prints as ``Lukasz Walesa``) rather than as
empty boxes; the PDF metadata keeps the exact text.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

import segno
from PIL import Image
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

KIND_CERTIFICATION = "certification"
KIND_COURSE_COMPLETION = "course completion"
KINDS = (KIND_CERTIFICATION, KIND_COURSE_COMPLETION)

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
CENTRE_X = PAGE_WIDTH / 2
# The inner gold rule of the border; nothing is drawn between it and the page edge
# except the border itself.
BORDER_INSET = 24.0
# The holder name and the title are centred and must fit between these margins.
TEXT_MARGIN = 80.0
TEXT_MAX_WIDTH = PAGE_WIDTH - 2 * TEXT_MARGIN

HOLDER_NAME_FONT = "Times-Bold"
HOLDER_NAME_MAX_SIZE = 44.0
HOLDER_NAME_MIN_SIZE = 22.0
TITLE_FONT = "Helvetica-Bold"
TITLE_MAX_SIZE = 22.0
TITLE_MIN_SIZE = 12.0
# The URL under the QR code may run a little wider than the code's card, no further.
_URL_MAX_WIDTH = 190.0
_QR_BORDER = 2
_QR_PIXELS_PER_MODULE = 4

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Letters with a stroke rather than an accent do not decompose under NFKD.
_STROKED_LETTERS = str.maketrans(
    {"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "Ŧ": "T", "ŧ": "t"}
)

_NAVY = HexColor("#14284B")
_NAVY_LIGHT = HexColor("#2E4A7D")
_GOLD = HexColor("#B8913A")
_GOLD_LIGHT = HexColor("#D9BE7C")
_PAPER = HexColor("#FCFAF4")
_WATERMARK = HexColor("#F3EDDF")
_INK = HexColor("#2A2A2A")
_MUTED = HexColor("#5F6470")


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on one certificate, already decided by the caller."""

    holder_name: str
    title: str
    kind: str
    issued_on: date
    expires_on: date | None
    serial: str
    verification_url: str
    score_percent: Decimal | None = None
    issuer_name: str = "MWRASP Academy"
    signatory_name: str = "Maria Garcia"
    signatory_title: str = "Director of Training and Certification"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")


@dataclass(frozen=True)
class FittedText:
    """How to draw one line so that it is no wider than the space it was given.

    ``width`` is the drawn width in points, after ``horizontal_scale`` (a percentage,
    100 = unscaled) is applied.
    """

    font_size: float
    horizontal_scale: float
    width: float


def fit_text(
    text: str,
    *,
    font_name: str,
    max_font_size: float,
    min_font_size: float,
    max_width: float,
) -> FittedText:
    """Return the largest font size, down to ``min_font_size``, at which ``text`` fits.

    A line still too wide at the minimum size is squeezed horizontally instead of
    shrunk further, so it stays readable in height. The result's ``width`` is never
    more than ``max_width``.
    """
    unit_width = stringWidth(text, font_name, 1)
    if unit_width * max_font_size <= max_width:
        return FittedText(max_font_size, 100.0, unit_width * max_font_size)
    # Half-point steps keep sizes tidy; rounding down keeps the line inside.
    size = math.floor(max_width / unit_width * 2) / 2
    if size >= min_font_size:
        return FittedText(size, 100.0, unit_width * size)
    natural = unit_width * min_font_size
    scale = math.floor(max_width / natural * 1000) / 10
    return FittedText(min_font_size, scale, natural * scale / 100)


def printable(text: str) -> str:
    """``text`` limited to the characters the standard PDF fonts can draw.

    Letters outside Windows-1252 lose their accents; anything else becomes ``?``.
    """
    kept = []
    for char in unicodedata.normalize("NFC", text):
        if _drawable(char):
            kept.append(char)
            continue
        decomposed = unicodedata.normalize("NFKD", char.translate(_STROKED_LETTERS))
        base = "".join(
            part
            for part in decomposed
            if _drawable(part) and not unicodedata.combining(part)
        )
        kept.append(base or "?")
    return "".join(kept)


def _drawable(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def format_date(value: date) -> str:
    """``27 November 2026``: day first, month in words, no locale involved."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def format_score(score_percent: Decimal) -> str:
    """``86%`` for whole numbers, otherwise one decimal place (``86.5%``)."""
    rounded = score_percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return f"{rounded.to_integral_value():f}%"
    return f"{rounded:f}%"


def heading_for(kind: str) -> str:
    if kind == KIND_CERTIFICATION:
        return "Certificate of Certification"
    return "Certificate of Completion"


def achievement_for(kind: str) -> str:
    if kind == KIND_CERTIFICATION:
        return "has earned the certification"
    return "has successfully completed the course"


def validity_line(data: CertificateData) -> str:
    issued = f"Issued {format_date(data.issued_on)}"
    if data.expires_on is None:
        return f"{issued} \u00b7 Does not expire"
    return f"{issued} \u00b7 Valid until {format_date(data.expires_on)}"


def score_line(data: CertificateData) -> str | None:
    if data.score_percent is None:
        return None
    return f"with a score of {format_score(data.score_percent)}"


def serial_line(data: CertificateData) -> str:
    return f"Certificate No. {data.serial}"


def document_title(data: CertificateData) -> str:
    return f"{data.title} \u2014 {data.holder_name}"


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

    The baseline for timing the designed certificate: the difference is the cost of
    the design.
    """
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=True)
    _set_metadata(canvas, data)
    data = _printable_data(data)
    canvas.setFont("Helvetica", 12)
    y = PAGE_HEIGHT - 72
    for line in _text_lines(data):
        canvas.drawString(72, y, line)
        y -= 18
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _text_lines(data: CertificateData) -> list[str]:
    lines = [
        data.issuer_name,
        heading_for(data.kind),
        "This certifies that",
        data.holder_name,
        achievement_for(data.kind),
        data.title,
        score_line(data),
        validity_line(data),
        serial_line(data),
        data.signatory_name,
        data.signatory_title,
        data.verification_url,
    ]
    return [line for line in lines if line is not None]


def _printable_data(data: CertificateData) -> CertificateData:
    return replace(
        data,
        holder_name=printable(data.holder_name),
        title=printable(data.title),
        serial=printable(data.serial),
        verification_url=printable(data.verification_url),
        issuer_name=printable(data.issuer_name),
        signatory_name=printable(data.signatory_name),
        signatory_title=printable(data.signatory_title),
    )


def _set_metadata(canvas: Canvas, data: CertificateData) -> None:
    canvas.setTitle(document_title(data))
    canvas.setAuthor(data.issuer_name)
    canvas.setSubject(data.serial)
    canvas.setCreator(data.issuer_name)


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


def _draw_body(canvas: Canvas, data: CertificateData) -> None:
    canvas.setFillColor(_NAVY)
    canvas.setFont("Times-Roman", 36)
    canvas.drawCentredString(CENTRE_X, 440, heading_for(data.kind))
    _draw_ornament_rule(canvas, CENTRE_X, 424, half_length=130)

    canvas.setFillColor(_INK)
    canvas.setFont("Times-Italic", 15)
    canvas.drawCentredString(CENTRE_X, 390, "This certifies that")

    name = fit_text(
        data.holder_name,
        font_name=HOLDER_NAME_FONT,
        max_font_size=HOLDER_NAME_MAX_SIZE,
        min_font_size=HOLDER_NAME_MIN_SIZE,
        max_width=TEXT_MAX_WIDTH,
    )
    _draw_fitted(
        canvas, data.holder_name, HOLDER_NAME_FONT, name, baseline=340, colour=_NAVY
    )
    rule_half = min(max(name.width / 2 + 30, 150), TEXT_MAX_WIDTH / 2 + 20)
    canvas.setStrokeColor(_GOLD)
    canvas.setLineWidth(0.8)
    canvas.line(CENTRE_X - rule_half, 326, CENTRE_X + rule_half, 326)

    canvas.setFillColor(_INK)
    canvas.setFont("Times-Italic", 14)
    canvas.drawCentredString(CENTRE_X, 300, achievement_for(data.kind))

    title = fit_text(
        data.title,
        font_name=TITLE_FONT,
        max_font_size=TITLE_MAX_SIZE,
        min_font_size=TITLE_MIN_SIZE,
        max_width=TEXT_MAX_WIDTH,
    )
    _draw_fitted(canvas, data.title, TITLE_FONT, title, baseline=270, colour=_NAVY)

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
    canvas.setFillColor(_NAVY_LIGHT)
    canvas.setFont("Times-Italic", 24)
    canvas.drawCentredString(centre_x, line_y + 8, data.signatory_name)
    canvas.setStrokeColor(_INK)
    canvas.setLineWidth(0.7)
    canvas.line(centre_x - 105, line_y, centre_x + 105, line_y)
    canvas.setFillColor(_INK)
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawCentredString(centre_x, line_y - 15, data.signatory_name)
    canvas.setFillColor(_MUTED)
    canvas.setFont("Helvetica", 8.5)
    canvas.drawCentredString(centre_x, line_y - 28, data.signatory_title)
    canvas.drawCentredString(centre_x, line_y - 40, data.issuer_name)


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
