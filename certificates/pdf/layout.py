"""The certificate page's measures, fonts, colours and the data a page is drawn from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape

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

# Styles of certificates.pdf.scripts: fonts for every script a name or title uses.
HOLDER_NAME_STYLE = "serif-bold"
HOLDER_NAME_MAX_SIZE = 44.0
HOLDER_NAME_MIN_SIZE = 22.0
TITLE_STYLE = "sans-bold"
SIGNATURE_STYLE = "serif-italic"
SIGNATORY_STYLE = "sans-bold"
SMALL_PRINT_STYLE = "sans"
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
