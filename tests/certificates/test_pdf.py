"""The certificate PDF layout: pure code, parsed back with pypdf, no database."""

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from certificates.pdf import (
    HOLDER_NAME_MAX_SIZE,
    HOLDER_NAME_MIN_SIZE,
    HOLDER_NAME_STYLE,
    PAGE_WIDTH,
    TEXT_MARGIN,
    TEXT_MAX_WIDTH,
    CertificateData,
    fit_text,
    fit_width,
    format_score,
    printable,
    render_certificate_pdf,
    render_plain_page,
    shape_line,
)

VERIFICATION_URL = "https://academy.mwrasp.example/verify/MWR-ASC-2026-000123"
VERY_LONG_NAME = (
    "Maximiliana Alexandra Konstantinopoulou-Vanderbilt-Featherstonehaugh "
    "de la Cruz y Montenegro Fitzgerald-Oyelaran"
)


def certificate_data(**overrides):
    fields = {
        "holder_name": "Amelia Okonkwo-Hartmann",
        "title": "MWRASP Certified Associate",
        "kind": "certification",
        "issued_on": date(2026, 11, 27),
        "expires_on": date(2029, 11, 27),
        "serial": "MWR-ASC-2026-000123",
        "verification_url": VERIFICATION_URL,
        "score_percent": Decimal("86.00"),
    }
    return CertificateData(**(fields | overrides))


def read(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return read(pdf).pages[0].extract_text()


def test_the_certificate_is_one_landscape_page():
    reader = read(render_certificate_pdf(certificate_data()))

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert box.width > box.height


def test_the_certificate_prints_everything_a_verifier_checks():
    text = text_of(render_certificate_pdf(certificate_data()))

    assert "Certificate of Certification" in text
    assert "Amelia Okonkwo-Hartmann" in text
    assert "MWRASP Certified Associate" in text
    assert "MWR-ASC-2026-000123" in text
    assert "Issued 27 November 2026 \u00b7 Valid until 27 November 2029" in text
    assert "with a score of 86%" in text
    assert VERIFICATION_URL in text
    assert "Scan to verify" in text
    assert "Maria Garcia" in text
    assert "Director of Training and Certification" in text


def test_a_course_completion_has_its_own_heading():
    text = text_of(
        render_certificate_pdf(
            certificate_data(
                kind="course completion", title="Quantum Threat Fundamentals"
            )
        )
    )

    assert "Certificate of Completion" in text
    assert "has successfully completed the course" in text
    assert "Quantum Threat Fundamentals" in text
    assert "Certificate of Certification" not in text


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        certificate_data(kind="participation")


def test_a_certificate_without_expiry_says_it_does_not_expire():
    text = text_of(render_certificate_pdf(certificate_data(expires_on=None)))

    assert "Issued 27 November 2026 \u00b7 Does not expire" in text
    assert "Valid until" not in text


def test_a_certificate_without_a_score_prints_no_score_line():
    text = text_of(render_certificate_pdf(certificate_data(score_percent=None)))

    assert "score" not in text
    assert "Issued 27 November 2026" in text


@pytest.mark.parametrize(
    ("score", "printed"),
    [
        (Decimal("86.00"), "86%"),
        (Decimal("100"), "100%"),
        (Decimal("0"), "0%"),
        (Decimal("86.5"), "86.5%"),
        (Decimal("86.45"), "86.5%"),
        (Decimal("79.96"), "80%"),
    ],
)
def test_scores_print_whole_or_to_one_decimal(score, printed):
    assert format_score(score) == printed


def test_the_metadata_names_the_certificate_holder_issuer_and_serial():
    metadata = read(render_certificate_pdf(certificate_data())).metadata

    assert metadata.title == "MWRASP Certified Associate \u2014 Amelia Okonkwo-Hartmann"
    assert metadata.author == "MWRASP Academy"
    assert metadata.subject == "MWR-ASC-2026-000123"


def fit_name(name):
    return fit_width(
        shape_line(name, HOLDER_NAME_STYLE).unit_width,
        max_font_size=HOLDER_NAME_MAX_SIZE,
        min_font_size=HOLDER_NAME_MIN_SIZE,
        max_width=TEXT_MAX_WIDTH,
    )


def test_a_very_long_name_is_shrunk_to_fit_the_page():
    pdf = render_certificate_pdf(certificate_data(holder_name=VERY_LONG_NAME))
    reader = read(pdf)
    placements = []

    def record(text, cm, tm, font, font_size):
        # Text drawn in the name's font and size: where each piece starts and ends.
        if font_size == fitted.font_size and text.strip():
            placements.append(tm[4])

    fitted = fit_name(VERY_LONG_NAME)
    text = reader.pages[0].extract_text(visitor_text=record)

    assert len(reader.pages) == 1
    assert VERY_LONG_NAME in text
    assert fitted.width <= TEXT_MAX_WIDTH
    assert fitted.font_size >= HOLDER_NAME_MIN_SIZE
    # The name is centred, so starting inside the left margin means ending inside
    # the right one; checked against where the PDF really places the text.
    assert placements
    assert min(placements) >= TEXT_MARGIN
    assert min(placements) + fitted.width <= PAGE_WIDTH - TEXT_MARGIN + 0.01
    assert max(placements) < PAGE_WIDTH - TEXT_MARGIN


def test_a_short_name_keeps_the_full_size():
    fitted = fit_text(
        "Ann Lee",
        font_name="Times-Bold",
        max_font_size=HOLDER_NAME_MAX_SIZE,
        min_font_size=HOLDER_NAME_MIN_SIZE,
        max_width=TEXT_MAX_WIDTH,
    )

    assert (fitted.font_size, fitted.horizontal_scale) == (HOLDER_NAME_MAX_SIZE, 100)


def test_a_longer_name_shrinks_before_it_is_squeezed():
    fitted = fit_name("Alexandra Konstantinopoulou-Featherstonehaugh")

    assert HOLDER_NAME_MIN_SIZE <= fitted.font_size < HOLDER_NAME_MAX_SIZE
    assert fitted.horizontal_scale == 100
    assert fitted.width <= TEXT_MAX_WIDTH


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255)))
def test_fitted_text_is_never_wider_than_its_space(text):
    fitted = fit_text(
        text,
        font_name="Times-Bold",
        max_font_size=HOLDER_NAME_MAX_SIZE,
        min_font_size=HOLDER_NAME_MIN_SIZE,
        max_width=TEXT_MAX_WIDTH,
    )

    assert fitted.width <= TEXT_MAX_WIDTH
    assert fitted.font_size >= HOLDER_NAME_MIN_SIZE


@given(st.text(st.characters(codec="utf-8", categories=["L", "M", "N", "P", "Zs"])))
def test_a_shaped_name_in_any_script_is_never_wider_than_its_space(text):
    fitted = fit_name(text)

    assert fitted.width <= TEXT_MAX_WIDTH
    assert fitted.font_size >= HOLDER_NAME_MIN_SIZE


def test_the_serial_and_address_stay_in_characters_the_standard_fonts_draw():
    # Both are ASCII by construction; a stray letter would lose only its accent.
    assert printable("Łukasz Wałęsa-Müller") == "Lukasz Walesa-Müller"
    assert printable("李") == "?"


def test_rendering_twice_gives_the_same_bytes():
    data = certificate_data()

    assert render_certificate_pdf(data) == render_certificate_pdf(data)


def _decode_qr(png_path) -> str:
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", str(png_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return result.stdout.strip()


@pytest.mark.skipif(
    shutil.which("zbarimg") is None, reason="zbarimg (Debian zbar-tools) not installed"
)
def test_the_embedded_qr_image_decodes_to_the_verification_url(tmp_path):
    [image] = read(render_certificate_pdf(certificate_data())).pages[0].images
    png_path = tmp_path / "qr.png"
    image.image.save(png_path)

    assert _decode_qr(png_path) == VERIFICATION_URL


@pytest.mark.skipif(
    shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
    reason="zbarimg (zbar-tools) and pdftoppm (poppler-utils) are both needed",
)
def test_the_printed_page_scans_to_the_verification_url(tmp_path):
    pdf_path = tmp_path / "certificate.pdf"
    pdf_path.write_bytes(render_certificate_pdf(certificate_data()))
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", pdf_path, tmp_path / "page"],
        check=True,
        timeout=60,
    )

    assert _decode_qr(tmp_path / "page.png") == VERIFICATION_URL


def test_the_plain_page_is_a_one_page_pdf_with_the_same_text():
    reader = read(render_plain_page(certificate_data()))
    text = reader.pages[0].extract_text()

    assert len(reader.pages) == 1
    assert "Amelia Okonkwo-Hartmann" in text
    assert "Issued 27 November 2026 \u00b7 Valid until 27 November 2029" in text
    assert len(reader.pages[0].images) == 0


def test_the_embedded_qr_image_holds_every_module_of_the_code():
    """Without a QR reader: each module of the code is one solid 4x4 block."""
    import segno

    [image] = read(render_certificate_pdf(certificate_data())).pages[0].images
    pixels = image.image.convert("L")
    code = segno.make(VERIFICATION_URL, error="m")
    rows = list(code.matrix_iter(scale=1, border=2))

    assert pixels.size == (len(rows[0]) * 4, len(rows) * 4)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            block = {
                pixels.getpixel((x * 4 + dx, y * 4 + dy))
                for dx in range(4)
                for dy in range(4)
            }
            assert block == ({0} if dark else {255}), (x, y)
