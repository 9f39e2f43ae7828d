"""Reading a certificate PDF back with tools that share no code with the renderer:
poppler's ``pdftotext`` for the text, pypdf for the content stream, fontTools for
the embedded font programs."""

import subprocess
from io import BytesIO

from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream


def pdftotext(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return [" ".join(line.split()) for line in result.stdout.splitlines()]


def embedded_fonts(pdf: bytes) -> dict[str, TTFont]:
    """Every TrueType font program on the page, by its resource name (``/F5+0``)."""
    fonts = {}
    resources = PdfReader(BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    for resource, font in resources.items():
        font = font.get_object()
        if font["/Subtype"] != "/TrueType":
            continue
        program = font["/FontDescriptor"].get_object()["/FontFile2"].get_object()
        fonts[resource] = TTFont(BytesIO(program.get_data()))
        fonts[resource].pdf_name = str(font["/BaseFont"])
    return fonts


def shown_codes(pdf: bytes) -> list[tuple[str, int]]:
    """(font resource, character code) for every code the page's text operators show."""
    reader = PdfReader(BytesIO(pdf))
    page = reader.pages[0]
    shown, font = [], None
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            font = str(operands[0])
        elif operator in (b"Tj", b"'", b'"'):
            shown += [(font, code) for code in _bytes(operands[-1])]
        elif operator == b"TJ":
            for item in operands[0]:
                if isinstance(item, (str, bytes)):
                    shown += [(font, code) for code in _bytes(item)]
    return shown


def _bytes(operand) -> bytes:
    return operand if isinstance(operand, bytes) else operand.get_original_bytes()


def missing_glyph_codes(pdf: bytes) -> list[tuple[str, int]]:
    """Codes shown in an embedded font that draws them as its missing-glyph box."""
    fonts = embedded_fonts(pdf)
    missing = []
    for resource, code in shown_codes(pdf):
        font = fonts.get(resource)
        if font is None:
            continue  # a standard font: the page's own English wording
        glyph = font["cmap"].tables[0].cmap.get(code, ".notdef")
        if glyph == font.getGlyphOrder()[0]:
            missing.append((font.pdf_name, code))
    return missing
