"""Certificates in every script, read back by tools that share no code with the
renderer: poppler's ``pdftotext`` for the text, fontTools for the fonts embedded in
the file, the page rendered by ``pdftoppm`` for what a reader sees."""

import re
import shutil
import subprocess

import pytest
from bidi import get_display
from fontTools.ttLib import TTFont

from certificates.pdf import render_certificate_pdf, render_plain_page, shape_line
from certificates.pdf.scripts import FONTS_DIR
from tests.certificates.pdf_reading import (
    embedded_fonts,
    missing_glyph_codes,
    pdftotext,
)
from tests.certificates.test_pdf import certificate_data

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed"
)

NAMES = {
    "polish": "Łukasz Wałęsa-Żółć",
    "czech": "Jiří Dvořák Šťastný",
    "vietnamese": "Nguyễn Thị Ánh Tuyết",
    "turkish": "Çağrı Öztürk-Işık",
    "greek": "Ζωή Παπαδοπούλου",
    "cyrillic": "Александра Пушкина",
    "chinese": "李小龙",
    "japanese": "山田 花子 やまだ",
    "korean": "김민준",
    "devanagari": "अनुष्का शर्मा",
    "thai": "สมชาย ใจดี",
    "mixed": "Łukasz Ζωή-李小龙",
}
RIGHT_TO_LEFT_NAMES = {
    "arabic": "محمد عبد الله",
    "persian": "زهرا محمدی",
    "hebrew": "שרה לוי",
}
# Marks poppler puts around right-to-left text it writes out in visual order.
_BIDI_MARKS = re.compile("[\u202a-\u202e]")


@needs_poppler
@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_the_name_reads_back_exactly_in_every_script(name, tmp_path):
    pdf = render_certificate_pdf(certificate_data(holder_name=name))

    assert name in pdftotext(pdf, tmp_path)
    assert missing_glyph_codes(pdf) == []


@needs_poppler
@pytest.mark.parametrize(
    "name", RIGHT_TO_LEFT_NAMES.values(), ids=RIGHT_TO_LEFT_NAMES.keys()
)
def test_a_right_to_left_name_reads_back_in_logical_order(name, tmp_path):
    pdf = render_certificate_pdf(certificate_data(holder_name=name))

    # pdftotext writes right-to-left text in visual order; one bidi reorder of
    # its line gives back the name as typed.
    logical = [
        get_display(_BIDI_MARKS.sub("", line)) for line in pdftotext(pdf, tmp_path)
    ]
    assert name in logical
    assert missing_glyph_codes(pdf) == []


@needs_poppler
def test_a_course_title_and_signatory_in_other_scripts_read_back(tmp_path):
    pdf = render_certificate_pdf(
        certificate_data(
            title="Сертифицированный специалист — 認定アソシエイト",
            signatory_name="Zoë Ångström-Øyen",
            signatory_title="Διευθύντρια Εκπαίδευσης",
        )
    )
    lines = pdftotext(pdf, tmp_path)

    assert "Сертифицированный специалист — 認定アソシエイト" in lines
    assert sum(line == "Zoë Ångström-Øyen" for line in lines) == 2  # signature, print
    assert "Διευθύντρια Εκπαίδευσης" in lines


def test_a_letter_no_font_has_is_caught_by_the_coverage_check():
    # Ethiopic is not among the certificate's scripts: the check must see its boxes.
    pdf = render_certificate_pdf(certificate_data(holder_name="ሰላም Abebe"))

    assert len(missing_glyph_codes(pdf)) == 3
    assert shape_line("ሰላም", "serif-bold").missing == 3


def test_the_fonts_are_embedded_as_subsets_and_the_file_stays_small():
    pdf = render_certificate_pdf(certificate_data(holder_name="Łukasz Ζωή-李小龙"))
    fonts = embedded_fonts(pdf)

    names = [font.pdf_name for font in fonts.values()]
    assert {name.split("+", 1)[1] for name in names} >= {
        "NotoSerif-Bold",
        "WenQuanYiMicroHei",
    }
    assert all(re.fullmatch(r"/?[A-Z]{6}\+.+", name) for name in names)
    cjk = next(font for font in fonts.values() if "WenQuanYi" in font.pdf_name)
    assert len(cjk.getGlyphOrder()) < 200  # the full font has over 49,000
    # The whole font file is 3.9 MB; the certificate carries only its glyphs.
    assert len(pdf) < 120_000


def nominal_glyphs(font_file: str, text: str) -> list[str]:
    """The glyph each character maps to on its own, per the font's cmap."""
    font = TTFont(FONTS_DIR / font_file)
    cmap = font.getBestCmap()
    return [cmap[ord(char)] for char in text if not char.isspace()]


def test_arabic_letters_are_joined_not_drawn_in_their_isolated_forms():
    line = shape_line("محمد", "sans")
    font = TTFont(FONTS_DIR / "NotoSansArabic-Regular.ttf")
    order = font.getGlyphOrder()
    drawn = [order[glyph.gid] for glyph in line.glyphs]

    isolated = nominal_glyphs("NotoSansArabic-Regular.ttf", "محمد")
    # Joined forms are other glyphs than the isolated ones (initial, medial, final)
    # and, drawn right to left, the first letter comes last.
    assert drawn[-1] != isolated[0]
    assert sum(a != b for a, b in zip(drawn, reversed(isolated), strict=False)) >= 3


def test_devanagari_conjuncts_are_formed():
    text = "क्ष"  # ka + virama + ssa: one conjunct glyph, not three
    line = shape_line(text, "sans")

    assert len(line.glyphs) < len(text)
    assert line.missing == 0


def test_mixed_right_to_left_and_left_to_right_runs_keep_their_order():
    line = shape_line("Ali علي Ben", "sans")
    runs = [glyph.face.name for glyph in line.glyphs]

    # Left-to-right paragraph: "Ali", then the Arabic word, then "Ben".
    assert runs[0] == "NotoSans-Regular" and runs[-1] == "NotoSans-Regular"
    assert "NotoSansArabic-Regular" in runs


def test_the_plain_page_prints_the_same_characters_in_the_same_fonts():
    pdf = render_plain_page(certificate_data(holder_name="Łukasz Ζωή-李小龙"))

    assert missing_glyph_codes(pdf) == []
    assert any("WenQuanYi" in font.pdf_name for font in embedded_fonts(pdf).values())


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed"
)
def test_a_cjk_name_is_drawn_in_ink_not_left_blank(tmp_path):
    from PIL import Image, ImageChops

    def page(name):
        path = tmp_path / "c.pdf"
        path.write_bytes(render_certificate_pdf(certificate_data(holder_name=name)))
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", "-singlefile", path, tmp_path / name],
            check=True,
            timeout=60,
        )
        return Image.open(tmp_path / f"{name}.png").convert("L")

    # Two different names print different pixels where the name goes.
    difference = ImageChops.difference(page("李小龙"), page("王小明"))
    assert difference.getbbox() is not None
