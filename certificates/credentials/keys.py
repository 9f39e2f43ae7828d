"""The issuer's signing keys: Ed25519, one PEM file each in
``settings.CREDENTIAL_KEYS_DIR``.

The newest private key (by file name, which is its creation time) signs; every key
in the folder is published in the JWKS, so credentials signed before a rotation
keep verifying. A retired key may be kept as its public part only
(``<name>.pub.pem``). In development a first key is made on first use; in
production the folder is configuration (see the README) and an empty one is an
error, never a silently made key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class IssuerKey:
    name: str
    public_key: Ed25519PublicKey
    private_key: Ed25519PrivateKey | None = None

    @property
    def public_jwk(self) -> dict:
        raw = self.public_key.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}

    @property
    def kid(self) -> str:
        """The JWK thumbprint (RFC 7638): stable, and names this key alone."""
        members = json.dumps(self.public_jwk, sort_keys=True, separators=(",", ":"))
        return b64url(hashlib.sha256(members.encode()).digest())

    def jwk(self) -> dict:
        return {**self.public_jwk, "kid": self.kid, "alg": "EdDSA", "use": "sig"}


def _folder() -> Path:
    return Path(settings.CREDENTIAL_KEYS_DIR)


def _read(path: Path) -> IssuerKey:
    data = path.read_bytes()
    if path.name.endswith(".pub.pem"):
        public = serialization.load_pem_public_key(data)
        if not isinstance(public, Ed25519PublicKey):
            raise ImproperlyConfigured(f"{path.name} is not an Ed25519 public key")
        return IssuerKey(path.name.removesuffix(".pub.pem"), public)
    private = serialization.load_pem_private_key(data, password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path.name} is not an Ed25519 private key")
    return IssuerKey(path.name.removesuffix(".pem"), private.public_key(), private)


def published_keys() -> list[IssuerKey]:
    """Every key a credential may have been signed with, oldest first."""
    folder = _folder()
    if not folder.is_dir():
        return []
    return [_read(path) for path in sorted(folder.glob("*.pem"))]


def new_key(*, now: datetime | None = None) -> IssuerKey:
    """Make a new signing key; it signs from now on, the old ones stay published."""
    now = now or datetime.now(UTC)
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = now.strftime("%Y%m%dT%H%M%S%fZ")
    private = Ed25519PrivateKey.generate()
    # Written under a name no reader lists, then renamed: nobody reads half a key.
    partial = folder / f".{name}.{os.getpid()}.partial"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(
            private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    os.rename(partial, folder / f"{name}.pem")
    return IssuerKey(name, private.public_key(), private)


def signing_key() -> IssuerKey:
    """The key that signs now: the newest with its private part."""
    signing = [key for key in published_keys() if key.private_key is not None]
    if signing:
        return signing[-1]
    if not settings.CREDENTIAL_KEYS_CREATE:
        raise ImproperlyConfigured(
            f"No credential signing key in {_folder()}: run "
            "`manage.py rotate_credential_key` or mount the issuer's keys there."
        )
    return new_key()


def jwks() -> dict:
    return {"keys": [key.jwk() for key in published_keys()]}
