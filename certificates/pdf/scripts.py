"""Text in any script: a font for each run, HarfBuzz shaping, the Unicode bidi order.

A line of text (a holder's name, a course title) goes through the steps a text engine
takes:

1. **Levels**: the Unicode Bidirectional Algorithm gives each character its embedding
   level (python-bidi), so Arabic and Hebrew run right to left inside any line.
2. **Runs**: each character is drawn by the first font of the style's chain that has
   it; spaces, punctuation and combining marks stay with their neighbours' font. A run
   is a stretch of one level and one font.
3. **Shaping**: HarfBuzz turns each run into positioned glyphs (joined Arabic letters,
   Devanagari conjuncts, kerning), already in visual order for a right-to-left run.
4. **Order**: runs are placed by the bidi rule L2.

The drawn glyphs are wrapped in a marked-content span whose ``/ActualText`` is the
line as written, so copying or extracting the text gives the exact characters in
their logical order, whatever glyphs shaping chose.

Fonts (see ``fonts/README.md``) are read once per process. ReportLab embeds each as a
subset of the glyphs a document uses.
"""

from __future__ import annotations

import threading
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import uharfbuzz
from bidi import algorithm as bidi_algorithm
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONTS_DIR = Path(__file__).resolve().parent / "fonts"

# Glyphs no character maps to (an Arabic letter's joined forms, a ligature) are given
# code points of the Private Use Area for ReportLab's subsetting, numbered by their
# rank so the same glyph gets the same code in every process.
_PRIVATE_USE_FIRST = 0xE000
_PRIVATE_USE_LAST = 0xF8FF

_CHAIN_TAIL_BOLD = (
    "NotoSansArabic-Bold",
    "NotoSansHebrew-Bold",
    "NotoSansDevanagari-Bold",
    "NotoSansThai-Bold",
    "WenQuanYiMicroHei",
)
_CHAIN_TAIL_REGULAR = (
    "NotoSansArabic-Regular",
    "NotoSansHebrew-Regular",
    "NotoSansDevanagari-Regular",
    "NotoSansThai-Regular",
    "WenQuanYiMicroHei",
)

# A style is the chain of fonts tried in turn for each character.
STYLES: dict[str, tuple[str, ...]] = {
    "serif-bold": ("NotoSerif-Bold", *_CHAIN_TAIL_BOLD),
    "serif-italic": ("NotoSerif-Italic", *_CHAIN_TAIL_REGULAR),
    "sans-bold": ("NotoSans-Bold", *_CHAIN_TAIL_BOLD),
    "sans": ("NotoSans-Regular", *_CHAIN_TAIL_REGULAR),
}

_lock = threading.RLock()
_faces: dict[str, Face] = {}


class Face:
    """One font file: its HarfBuzz face for shaping and its ReportLab font for drawing."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.path = FONTS_DIR / f"{name}.ttf"
        self.hb_face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(self.path)))
        self.hb_font = uharfbuzz.Font(self.hb_face)
        self.units_per_em = self.hb_face.upem
        self.coverage = frozenset(self.hb_face.unicodes)
        self._codes: dict[int, str] = {}
        self._reportlab_font: TTFont | None = None

    @property
    def reportlab_font(self) -> TTFont:
        """Read on first use: most certificates need two or three of the fonts."""
        if self._reportlab_font is None:
            with _lock:
                if self._reportlab_font is None:
                    font = TTFont(f"Certificate-{self.name}", str(self.path))
                    pdfmetrics.registerFont(font)
                    self._reportlab_font = font
        return self._reportlab_font

    @cached_property
    def _unmapped_glyphs(self) -> list[int]:
        mapped = self.reportlab_font.face.glyphToChar
        return [gid for gid in range(self.hb_face.glyph_count) if gid not in mapped]

    def width_of(self, code: str) -> float:
        """How far the PDF moves after drawing ``code``, in thousandths of the size."""
        return self.reportlab_font.face.getCharWidth(ord(code))

    def code_for(self, gid: int) -> str:
        """A character that ReportLab draws as glyph ``gid`` of this font."""
        code = self._codes.get(gid)
        if code is not None:
            return code
        font = self.reportlab_font
        with _lock:
            face = font.face
            chars = face.glyphToChar.get(gid)
            if chars:
                code = chr(chars[0])
            else:
                rank = bisect_left(self._unmapped_glyphs, gid)
                point = _PRIVATE_USE_FIRST + rank
                if point > _PRIVATE_USE_LAST or point in face.charToGlyph:
                    raise ValueError(f"{self.name}: glyph {gid} has no code to use")
                face.charToGlyph[point] = gid
                advance = self.hb_font.get_glyph_h_advance(gid)
                face.charWidths[point] = advance * 1000 / self.units_per_em
                code = chr(point)
            self._codes[gid] = code
        return code


def face(name: str) -> Face:
    loaded = _faces.get(name)
    if loaded is None:
        with _lock:
            loaded = _faces.get(name)
            if loaded is None:
                loaded = _faces[name] = Face(name)
    return loaded


@dataclass(frozen=True)
class Glyph:
    """One positioned glyph; advances and offsets are in thousandths of the font size."""

    face: Face
    gid: int
    x_advance: float
    x_offset: float
    y_offset: float


@dataclass(frozen=True)
class ShapedLine:
    """A line ready to draw: its glyphs in visual order and its width at size 1."""

    text: str
    glyphs: tuple[Glyph, ...]

    @cached_property
    def unit_width(self) -> float:
        return sum(glyph.x_advance for glyph in self.glyphs) / 1000

    @property
    def missing(self) -> int:
        """How many glyphs no font of the style has (drawn as an empty box)."""
        return sum(1 for glyph in self.glyphs if glyph.gid == 0)


def shape_line(text: str, style: str) -> ShapedLine:
    """Shape ``text`` (one line, in logical order) in the fonts of ``style``."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    if not text:
        return ShapedLine(text, ())
    chain = [face(name) for name in STYLES[style]]
    levels = _bidi_levels(text)
    faces = _font_per_character(text, chain)
    runs = _runs(levels, faces)
    glyphs: list[Glyph] = []
    for start, end in _visual_order(runs, levels):
        glyphs.extend(_shape_run(text[start:end], faces[start], levels[start] % 2))
    return ShapedLine(text, tuple(glyphs))


def font_runs(text: str, style: str) -> list[tuple[str, str]]:
    """``text`` cut where its font changes, as (text, ReportLab font name) pairs.

    In logical order and unshaped: what plain ``drawString`` calls would need to
    print the same characters (the benchmark's bare page).
    """
    if not text:
        return []
    chain = [face(name) for name in STYLES[style]]
    faces = _font_per_character(text, chain)
    levels = [0] * len(text)
    return [
        (text[start:end], faces[start].reportlab_font.fontName)
        for start, end in _runs(levels, faces)
    ]


def draw_line(
    canvas: Canvas,
    line: ShapedLine,
    *,
    x: float,
    baseline: float,
    font_size: float,
    colour: Color,
    horizontal_scale: float = 100.0,
) -> None:
    """Draw ``line`` with its left edge at ``x``; extractable as ``line.text``."""
    if not line.glyphs:
        return
    squeeze = horizontal_scale / 100
    unit = font_size / 1000
    canvas.saveState()
    canvas.addLiteral(f"/Span <</ActualText {_pdf_text_string(line.text)}>> BDC")
    text = canvas.beginText()
    text.setHorizScale(horizontal_scale)
    text.setFillColor(colour)
    current: Face | None = None
    pending = ""  # glyphs that follow each other at the font's own advances
    pen = drawn_to = x
    for glyph in line.glyphs:
        code = glyph.face.code_for(glyph.gid)
        if glyph.face is not current:
            text.textOut(pending)
            pending = ""
            current = glyph.face
            text.setFont(current.reportlab_font.fontName, font_size)
        start = pen + glyph.x_offset * unit * squeeze
        if pending and (abs(start - drawn_to) > 0.001 or glyph.y_offset):
            text.textOut(pending)
            pending = ""
        if not pending:
            text.setTextOrigin(start, baseline + glyph.y_offset * unit)
            drawn_to = start
        pending += code
        drawn_to += current.width_of(code) * unit * squeeze
        pen += glyph.x_advance * unit * squeeze
        if glyph.y_offset:  # a raised mark: the next glyph starts afresh
            text.textOut(pending)
            pending = ""
    text.textOut(pending)
    canvas.drawText(text)
    canvas.addLiteral("EMC")
    canvas.restoreState()


def _pdf_text_string(text: str) -> str:
    """A PDF text string in UTF-16BE with its byte-order mark, written in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _bidi_levels(text: str) -> list[int]:
    """The resolved embedding level of each character (UAX #9, rules up to I2)."""
    if all(ord(char) < 0x0590 for char in text):
        return [0] * len(text)  # nothing right-to-left: skip the algorithm
    storage = bidi_algorithm.get_empty_storage()
    base = bidi_algorithm.get_base_level(text)
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    bidi_algorithm.get_embedding_levels(text, storage)
    bidi_algorithm.explicit_embed_and_overrides(storage)
    bidi_algorithm.resolve_weak_types(storage)
    bidi_algorithm.resolve_neutral_types(storage, False)
    bidi_algorithm.resolve_implicit_levels(storage, False)
    levels = [char["level"] for char in storage["chars"]]
    # Explicit formatting characters are removed by rule X9; keep one level per char.
    return levels if len(levels) == len(text) else [base] * len(text)


def _font_per_character(text: str, chain: list[Face]) -> list[Face]:
    """The font for each character: the first of the chain that has it.

    Characters of no script of their own (spaces, punctuation, digits, combining
    marks) take the font of the character before them when it has them, so a name's
    hyphen or space does not split it into different fonts.
    """
    chosen: list[Face] = []
    for index, char in enumerate(text):
        point = ord(char)
        previous = chosen[index - 1] if index else None
        if previous is not None and _inherits(char) and point in previous.coverage:
            chosen.append(previous)
            continue
        chosen.append(next((f for f in chain if point in f.coverage), chain[0]))
    # Neutrals that open the line (a quote) take the font of the first letter.
    first_letter = next((i for i, char in enumerate(text) if not _inherits(char)), 0)
    for index in range(first_letter):
        if ord(text[index]) in chosen[first_letter].coverage:
            chosen[index] = chosen[first_letter]
    return chosen


def _inherits(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "MPZSN" or char == "\u200d"


def _runs(levels: list[int], faces: list[Face]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(levels) + 1):
        if (
            index == len(levels)
            or levels[index] != levels[start]
            or faces[index] is not faces[start]
        ):
            runs.append((start, index))
            start = index
    return runs


def _visual_order(
    runs: list[tuple[int, int]], levels: list[int]
) -> list[tuple[int, int]]:
    """Rule L2: reverse every sequence at or above each odd level, highest first."""
    order = list(runs)
    run_levels = {run: levels[run[0]] for run in runs}
    odd = [level for level in run_levels.values() if level % 2]
    if not odd:
        return order
    for level in range(max(run_levels.values()), min(odd) - 1, -1):
        index = 0
        while index < len(order):
            if run_levels[order[index]] < level:
                index += 1
                continue
            end = index
            while end < len(order) and run_levels[order[end]] >= level:
                end += 1
            order[index:end] = reversed(order[index:end])
            index = end
    return order


def _shape_run(text: str, font: Face, right_to_left: int) -> list[Glyph]:
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if right_to_left else "ltr"
    # Optional ligatures (Latin "fi") are left out, so readers that ignore
    # /ActualText still find the words; the ligatures a script requires stay on.
    uharfbuzz.shape(font.hb_font, buffer, {"kern": True, "liga": False})
    scale = 1000 / font.units_per_em
    return [
        Glyph(
            face=font,
            gid=info.codepoint,
            x_advance=position.x_advance * scale,
            x_offset=position.x_offset * scale,
            y_offset=position.y_offset * scale,
        )
        for info, position in zip(
            buffer.glyph_infos, buffer.glyph_positions, strict=True
        )
    ]
