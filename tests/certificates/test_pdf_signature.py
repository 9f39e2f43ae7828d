"""Certificate PDFs carry the issuer's signature, checked by two readers that
share no code with the signing: poppler's ``pdfsig`` and pyHanko's validator; and
anyone can check a file on the site. One changed byte is caught everywhere."""

import shutil
import subprocess
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from certificates import services
from certificates.credentials import pdf_signature
from certificates.forms import MAX_CHECKED_PDF_BYTES
from certificates.models import Certificate
from tests.factories import make_exam, make_level, pass_exam, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_keys(settings, tmp_path):
    settings.CERTIFICATE_PDF_SIGNING_DIR = tmp_path / "pdf-keys"


@pytest.fixture
def certificate(learner, django_capture_on_commit_callbacks):
    site_tree()
    level = make_level(
        exams=[make_exam(count=4)], code="associate", title="Certified Associate"
    )
    with django_capture_on_commit_callbacks(execute=True):
        pass_exam(learner, level.required_exams.get().exam)
    certificate = Certificate.objects.get()
    if not certificate.pdf:
        services.generate_certificate_pdf(certificate_id=certificate.pk)
        certificate.refresh_from_db()
    return certificate


@pytest.fixture
def signed(certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def one_byte_changed(data: bytes) -> bytes:
    """The first letter of the holder's name, changed: still a well-formed PDF."""
    changed = bytearray(data)
    at = len(changed) // 3
    changed[at] = changed[at] ^ 0x01
    return bytes(changed)


def pyhanko_status(data: bytes):
    embedded = PdfFileReader(BytesIO(data), strict=False).embedded_signatures[0]
    context = ValidationContext(trust_roots=[pdf_signature.issuer_certificate()])
    return validate_pdf_signature(embedded, context)


def test_pyhanko_finds_the_issuer_s_signature_intact_over_the_whole_file(signed):
    status = pyhanko_status(signed)
    assert status.intact and status.valid and status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert pyhanko_status(one_byte_changed(signed)).intact is False


@pytest.mark.skipif(
    shutil.which("pdfsig") is None, reason="pdfsig (Debian poppler-utils) not installed"
)
def test_poppler_reports_the_signature_valid_and_an_edit_broken(signed, tmp_path):
    def pdfsig(data: bytes) -> str:
        path = tmp_path / "certificate.pdf"
        path.write_bytes(data)
        return subprocess.run(
            ["pdfsig", str(path)], capture_output=True, text=True, check=False
        ).stdout

    report = pdfsig(signed)
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "MWRASP Academy" in report
    broken = pdfsig(one_byte_changed(signed))
    assert "Signature is Valid." not in broken


def check(client, data: bytes, name="certificate.pdf"):
    return client.post(
        "/verify/check-pdf/",
        {"pdf": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


def test_check_a_pdf_says_genuine_and_to_whom(client, certificate, signed):
    html = check(client, signed).content.decode()
    assert "Genuine and unaltered." in html
    assert certificate.holder_name in html and certificate.serial in html
    assert "Altered" not in html


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(one_byte_changed, id="one byte changed"),
        pytest.param(lambda data: data + b"\n%edited\n", id="bytes added"),
    ],
)
def test_check_a_pdf_never_calls_an_edited_file_valid(client, signed, edit):
    html = check(client, edit(signed)).content.decode()
    assert "Altered, or not issued by us." in html
    assert "Genuine" not in html


def test_an_unsigned_or_foreign_pdf_is_not_ours(
    client, certificate, signed, settings, tmp_path
):
    from certificates.pdf import render_certificate_pdf

    unsigned = render_certificate_pdf(services.certificate_data(certificate))
    assert "Altered, or not issued by us." in check(client, unsigned).content.decode()
    # Signed properly, but with someone else's key.
    settings.CERTIFICATE_PDF_SIGNING_DIR = tmp_path / "someone-else"
    foreign = pdf_signature.sign(unsigned)
    settings.CERTIFICATE_PDF_SIGNING_DIR = tmp_path / "pdf-keys"
    assert "Altered, or not issued by us." in check(client, foreign).content.decode()


def files_under(*roots) -> set:
    return {path for root in roots if root.exists() for path in root.rglob("*")}


def test_check_a_pdf_refuses_what_is_not_a_pdf_and_keeps_nothing(
    client, signed, settings
):
    roots = (settings.PRIVATE_MEDIA_ROOT, settings.MEDIA_ROOT)
    before = files_under(*roots)
    not_pdf = check(client, b"GIF89a not a certificate", name="cert.pdf")
    assert not_pdf.status_code == 200
    assert "That file is not a PDF." in not_pdf.content.decode()
    huge = check(client, b"%PDF-1.7\n" + b"0" * MAX_CHECKED_PDF_BYTES)
    assert "larger than 5 MB" in huge.content.decode()
    empty = client.post("/verify/check-pdf/", {})
    assert empty.status_code == 200
    assert "This field is required" in empty.content.decode()
    assert "Genuine and unaltered." in check(client, signed).content.decode()
    assert files_under(*roots) == before


def test_check_a_pdf_is_a_post_with_a_token(client, signed):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/verify/check-pdf/",
        {"pdf": SimpleUploadedFile("c.pdf", signed, content_type="application/pdf")},
    )
    assert response.status_code == 403


def test_a_first_use_from_many_threads_makes_one_usable_key_pair(settings, tmp_path):
    """Development makes the PDF key pair on first use; eight first uses at once
    all sign, with one pair, and every signature checks."""
    from concurrent.futures import ThreadPoolExecutor

    from certificates.pdf import render_plain_page
    from tests.certificates.test_pdf import certificate_data

    settings.CERTIFICATE_PDF_SIGNING_DIR = tmp_path / "fresh" / "pdf"
    unsigned = render_plain_page(certificate_data())
    with ThreadPoolExecutor(max_workers=8) as pool:
        signed = list(pool.map(lambda _: pdf_signature.sign(unsigned), range(8)))
    assert sorted(p.name for p in (tmp_path / "fresh" / "pdf").iterdir()) == [
        "cert.pem",
        "key.pem",
    ]
    assert [path.name for path in (tmp_path / "fresh").iterdir()] == ["pdf"]
    assert all(pdf_signature.check(data).genuine for data in signed)
