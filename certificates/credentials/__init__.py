"""Certificates as portable credentials: Open Badges 3.0 (``OpenBadgeCredential``,
W3C Verifiable Credentials Data Model 2.0) secured as ``vc+jwt`` (VC-JOSE-COSE)
with the issuer's Ed25519 keys, and revocation through a Bitstring Status List.

Why VC-JOSE-COSE and not a Data Integrity proof: a JWT is verified with any JOSE
library against the keys published at the JWKS URL, with no JSON-LD
canonicalisation to get right on either side; the ``kid`` names the key, so old
credentials still verify after a rotation as long as their key stays published.
"""
