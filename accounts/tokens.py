"""Bearer secrets the platform hands out (SCIM connections, API tokens): long
random strings shown once, kept only as a SHA-256 digest. With 256 random bits,
one digest is enough: nothing about a token can be guessed from it."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class NewSecret:
    token: str  # show it once
    digest: str  # keep this
    hint: str  # and this, to tell tokens apart


def secret_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_secret(prefix: str) -> NewSecret:
    token = prefix + secrets.token_urlsafe(32)
    return NewSecret(token, secret_digest(token), token[: len(prefix) + 4])
