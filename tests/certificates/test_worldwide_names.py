"""A holder whose name no standard PDF font can print: the certificate, the
verification page, its JSON and the reminder e-mail all carry the name exactly."""

import email
import shutil
from datetime import timedelta

import pytest
from django.core import mail

from certificates.credentials import pdf_signature
from certificates.models import Certificate
from certificates.services import send_expiry_reminders
from tests.certificates.pdf_reading import pdftotext
from tests.factories import make_exam, make_level, pass_exam, site_tree

pytestmark = pytest.mark.django_db

NAME = "Łukasz Ζωή-李小龙"


@pytest.fixture(autouse=True)
def _own_keys(settings, tmp_path):
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"


@pytest.fixture
def certificate(user_factory, django_capture_on_commit_callbacks):
    holder = user_factory(first_name="Łukasz", last_name="Ζωή-李小龙")
    site_tree()
    level = make_level(
        exams=[make_exam(count=4)], code="associate", title="Certified Associate"
    )
    with django_capture_on_commit_callbacks(execute=True):
        pass_exam(holder, level.required_exams.get().exam)
    return Certificate.objects.get()


def downloaded_pdf(client, certificate) -> bytes:
    client.force_login(certificate.holder)
    response = client.get(f"/certificates/{certificate.serial}/pdf/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed"
)
def test_the_downloaded_certificate_prints_the_name_exactly_and_is_signed(
    client, certificate, tmp_path
):
    pdf = downloaded_pdf(client, certificate)

    assert certificate.holder_name == NAME
    assert NAME in pdftotext(pdf, tmp_path)
    assert pdf_signature.check(pdf).genuine


def test_the_verification_page_and_its_json_show_the_same_name(client, certificate):
    url = f"/verify/{certificate.verification_code}/"
    page = client.get(url).content.decode()
    data = client.get(url, HTTP_ACCEPT="application/json").json()

    assert f"{NAME}</" in page  # printed as text, not escaped into entities
    assert data["certificate"]["holder"] == NAME


def test_the_reminder_e_mail_greets_the_holder_by_the_same_name(
    certificate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_expiry_reminders(today=certificate.expires_on - timedelta(days=30))

    assert sent == 1
    [message] = [m for m in mail.outbox if "expires" in m.subject]
    assert NAME in message.body
    [(html, _mimetype)] = message.alternatives
    assert NAME in html
    # The message as it goes over the wire still decodes to the name.
    wire = email.message_from_bytes(message.message().as_bytes())
    plain = next(
        part for part in wire.walk() if part.get_content_type() == "text/plain"
    )
    assert NAME in plain.get_payload(decode=True).decode(plain.get_content_charset())
