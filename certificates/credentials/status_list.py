"""W3C Bitstring Status List: one bit per credential, gzip-compressed and
base64url-encoded (multibase ``u``), published as a signed credential.

Bit 0 is the most significant bit of the first byte. The list is at least
131,072 bits long (16 KiB), the spec's minimum for group privacy, and each
credential's position in it is drawn at random, so neighbours in the list say
nothing about one another.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

MIN_BITS = 131_072


def encode(set_bits: Iterable[int], *, size: int = MIN_BITS) -> str:
    """The ``encodedList`` of a list of ``size`` bits with ``set_bits`` on."""
    bits = bytearray(size // 8)
    for index in set_bits:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} is outside the list")
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode()


def decode(encoded: str) -> bytes:
    """The raw bits of an ``encodedList`` (what a verifier does)."""
    if not encoded.startswith("u"):
        raise ValueError("an encodedList is multibase base64url: it starts with 'u'")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
