"""The certificate's words: fitting a line to its width, dates, scores and the lines of the plain page."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .layout import (
    _MONTHS,
    _STROKED_LETTERS,
    CENTRE_X,
    KIND_CERTIFICATION,
    CertificateData,
    FittedText,
)
from .scripts import ShapedLine, draw_line


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
    return fit_width(
        stringWidth(text, font_name, 1),
        max_font_size=max_font_size,
        min_font_size=min_font_size,
        max_width=max_width,
    )


def fit_width(
    unit_width: float, *, max_font_size: float, min_font_size: float, max_width: float
) -> FittedText:
    """The fitting rule itself, for a line ``unit_width`` points wide at size 1."""
    if unit_width * max_font_size <= max_width:
        return FittedText(max_font_size, 100.0, unit_width * max_font_size)
    # Half-point steps keep sizes tidy; rounding down keeps the line inside.
    size = math.floor(max_width / unit_width * 2) / 2
    if size >= min_font_size:
        return FittedText(size, 100.0, unit_width * size)
    natural = unit_width * min_font_size
    scale = math.floor(max_width / natural * 1000) / 10
    return FittedText(min_font_size, scale, natural * scale / 100)


def draw_fitted_line(
    canvas: Canvas,
    line: ShapedLine,
    *,
    max_font_size: float,
    min_font_size: float,
    max_width: float,
    centre_x: float = CENTRE_X,
    baseline: float,
    colour: Color,
) -> FittedText:
    """Draw a shaped line centred on ``centre_x``, as large as fits ``max_width``."""
    fitted = fit_width(
        line.unit_width,
        max_font_size=max_font_size,
        min_font_size=min_font_size,
        max_width=max_width,
    )
    draw_line(
        canvas,
        line,
        x=centre_x - fitted.width / 2,
        baseline=baseline,
        font_size=fitted.font_size,
        horizontal_scale=fitted.horizontal_scale,
        colour=colour,
    )
    return fitted


def printable(text: str) -> str:
    """``text`` limited to the characters the standard PDF fonts can draw.

    Only for what the page prints in a standard font (the serial number and the
    verification address, both ASCII by construction): letters outside Windows-1252
    lose their accents, anything else becomes ``?``. Names and titles are drawn in
    the embedded fonts of :mod:`.scripts` instead.
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
    """``data`` with the fields drawn in a standard font made drawable in it."""
    return replace(
        data,
        serial=printable(data.serial),
        verification_url=printable(data.verification_url),
    )


def _set_metadata(canvas: Canvas, data: CertificateData) -> None:
    canvas.setTitle(document_title(data))
    canvas.setAuthor(data.issuer_name)
    canvas.setSubject(data.serial)
    canvas.setCreator(data.issuer_name)
