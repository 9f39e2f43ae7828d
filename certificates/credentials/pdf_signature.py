"""Certificate PDFs signed by the issuer (PAdES baseline B-B, with pyHanko), and
the check of an uploaded PDF against that signature.

The issuer's signing key and X.509 certificate (ECDSA P-256, which every PDF
reader checks) are ``key.pem`` and ``cert.pem`` in
``settings.CERTIFICATE_PDF_SIGNING_DIR``. Development makes a self-signed pair on
first use; production mounts the issuer's own (see the README) and never makes one.
"""

from __future__ import annotations

import asyncio
import functools
import os
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

FIELD_NAME = "IssuerSignature"
DEVELOPMENT_VALIDITY = timedelta(days=3650)


def _folder() -> Path:
    return Path(settings.CERTIFICATE_PDF_SIGNING_DIR)


def _make_development_pair(folder: Path) -> None:
    """Write a self-signed pair into a fresh folder, then move the folder into
    place in one step: a concurrent first use finds both files or neither."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pdf-keys-", dir=folder.parent))
    try:
        _write_development_pair(staging)
        try:
            staging.rename(folder)  # replaces an empty folder, never a full one
        except OSError:
            pass  # another process put its pair in place first: use that one
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_development_pair(folder: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, settings.CREDENTIAL_ISSUER_NAME),
            x509.NameAttribute(
                NameOID.ORGANIZATION_NAME, settings.CREDENTIAL_ISSUER_NAME
            ),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + DEVELOPMENT_VALIDITY)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    descriptor = os.open(
        folder / "key.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600
    )
    with os.fdopen(descriptor, "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    (folder / "cert.pem").write_bytes(
        certificate.public_bytes(serialization.Encoding.PEM)
    )


def _paths() -> tuple[Path, Path]:
    folder = _folder()
    key, cert = folder / "key.pem", folder / "cert.pem"
    if not (key.exists() and cert.exists()):
        if not settings.CREDENTIAL_KEYS_CREATE:
            raise ImproperlyConfigured(
                f"No PDF signing key and certificate (key.pem, cert.pem) in {folder}."
            )
        _make_development_pair(folder)
    return key, cert


def signer() -> signers.SimpleSigner:
    key, cert = _paths()
    return _loaded_signer(str(key), str(cert), key.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _loaded_signer(key: str, cert: str, _version: int) -> signers.SimpleSigner:
    """Read once per key file (a replaced file has a new ``_version``)."""
    loaded = signers.SimpleSigner.load(key, cert)
    if loaded is None:
        raise ImproperlyConfigured(f"Cannot read the PDF signing key {key}.")
    return loaded


def issuer_certificate() -> asn1_x509.Certificate:
    _key, cert = _paths()
    der = x509.load_pem_x509_certificate(cert.read_bytes()).public_bytes(
        serialization.Encoding.DER
    )
    return asn1_x509.Certificate.load(der)


def _outside_event_loop(function, *args):
    """Run ``function``, which drives pyHanko's asyncio internally, on a thread of
    its own if this one already runs an event loop (an async server, a browser
    driver in the tests)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


# pyHanko's signer and its certificate objects are not safe to share between
# threads: one signature at a time per process (about 40 ms each).
_SIGNING = threading.Lock()


def sign(pdf: bytes) -> bytes:
    """``pdf`` with the issuer's PAdES signature over the whole file."""
    issuer = signer()  # makes the development pair on first use, without the lock
    with _SIGNING:
        return _outside_event_loop(_sign, pdf, issuer)


def _sign(pdf: bytes, issuer: signers.SimpleSigner) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Issued by " + settings.CREDENTIAL_ISSUER_NAME,
    )
    signed = signers.sign_pdf(
        writer, metadata, signer=issuer, bytes_reserved=_reserved_bytes(issuer)
    )
    return signed.getvalue()


def _reserved_bytes(issuer: signers.SimpleSigner) -> int:
    """Room for the signature container: the certificates it carries and 4 KiB for
    the signed attributes and the signature itself.

    Saying so up front spares pyHanko a trial signature made only to measure it,
    which would double the cost of signing.
    """
    certificates = [issuer.signing_cert, *issuer.cert_registry]
    size = sum(len(certificate.dump()) for certificate in certificates) + 4096
    return -(-size // 1024) * 1024


@dataclass(frozen=True)
class PdfCheck:
    genuine: bool
    serial: str = ""


def check(pdf: bytes) -> PdfCheck:
    """Whether ``pdf`` is a certificate exactly as the issuer signed it: one
    signature, by the issuer's certificate, intact, covering the whole file.
    Anything else (unreadable, unsigned, altered, added to, signed by someone
    else) is not genuine. Never raises on bad input."""
    return _outside_event_loop(_check, pdf)


def _check(pdf: bytes) -> PdfCheck:
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
        if len(signatures) != 1:
            return PdfCheck(False)
        embedded = signatures[0]
        issuer = issuer_certificate()
        if embedded.signer_cert.dump() != issuer.dump():
            return PdfCheck(False)
        context = ValidationContext(trust_roots=[issuer])
        status = validate_pdf_signature(embedded, context)
        if not (status.intact and status.valid and status.bottom_line):
            return PdfCheck(False)
        if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            return PdfCheck(False)
        info = reader.trailer_view.get("/Info")
        info = info.get_object() if info is not None else {}
        serial = str(info.get("/Subject", ""))
        return PdfCheck(True, serial)
    except Exception:  # noqa: BLE001 - any unreadable file is simply not genuine
        return PdfCheck(False)
