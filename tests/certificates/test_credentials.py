"""Open Badges 3.0 credentials, checked the way a third party would: the signed
``vc+jwt`` verified with a JOSE library the code does not sign with (jwcrypto),
against the keys the platform publishes; the revocation status list decoded bit
by bit."""

import hashlib
import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from jwcrypto import jwk, jws, jwt
from jwcrypto.common import JWKeyNotFound

from accounts import roles
from certificates import services
from certificates.credentials import keys, status_list
from certificates.models import Certificate
from tests.factories import make_exam, make_level, pass_exam, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_keys(settings, tmp_path):
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"


@pytest.fixture
def certificate(learner, django_capture_on_commit_callbacks):
    site_tree()
    level = make_level(
        exams=[make_exam(count=4)], code="associate", title="Certified Associate"
    )
    with django_capture_on_commit_callbacks(execute=True):
        pass_exam(learner, level.required_exams.get().exam)
    return Certificate.objects.get()


def published(client) -> jwk.JWKSet:
    response = client.get("/credentials/jwks.json")
    assert response.status_code == 200
    return jwk.JWKSet.from_json(response.content.decode())


def verified_claims(client, token: str) -> dict:
    """What an outside verifier reads from ``token``: raises if the signature does
    not hold against the published keys."""
    checked = jwt.JWT(jwt=token, key=published(client), algs=["EdDSA"])
    header = json.loads(checked.header)
    assert header["typ"] == "vc+jwt" and header["alg"] == "EdDSA" and header["kid"]
    return json.loads(checked.claims)


def test_the_credential_is_an_open_badge_about_the_holder(client, certificate):
    response = client.get(f"/verify/{certificate.verification_code}/credential.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    credential = response.json()
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert "ob/v3p0" in credential["@context"][1]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"].endswith(f"/verify/{certificate.verification_code}/")
    assert credential["validFrom"].startswith(certificate.issued_on.isoformat())
    assert credential["validUntil"].startswith(certificate.expires_on.isoformat())
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    assert achievement["name"] == "Certified Associate"
    assert achievement["achievementType"] == "Certification"
    assert achievement["criteria"]["narrative"]
    email, name = subject["identifier"]
    expected = hashlib.sha256(
        (certificate.holder.email.lower() + email["salt"]).encode()
    ).hexdigest()
    assert email["identityHash"] == f"sha256${expected}" and email["hashed"] is True
    assert certificate.holder.email not in response.content.decode()
    assert name["identityType"] == "name"
    assert name["identityHash"] == certificate.holder_name
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert 0 <= int(status["statusListIndex"]) < status_list.MIN_BITS


def test_the_signed_credential_verifies_against_the_published_keys(client, certificate):
    code = certificate.verification_code
    token = client.get(f"/verify/{code}/credential.jwt").content.decode()
    claims = verified_claims(client, token)
    assert claims == client.get(f"/verify/{code}/credential.json").json()


def test_a_tampered_credential_does_not_verify(client, certificate):
    token = client.get(
        f"/verify/{certificate.verification_code}/credential.jwt"
    ).content.decode()
    header, payload, signature = token.split(".")
    claims = json.loads(jws.base64url_decode(payload))
    claims["credentialSubject"]["identifier"][1]["identityHash"] = "Mallory"
    forged = ".".join([header, jws.base64url_encode(json.dumps(claims)), signature])
    # No published key validates it: jwcrypto says it found no working key.
    with pytest.raises((jws.InvalidJWSSignature, JWKeyNotFound, jwt.JWTMissingKey)):
        verified_claims(client, forged)
    assert verified_claims(client, token)  # the untouched one still does


def test_credentials_signed_before_a_rotation_still_verify(client, certificate):
    code = certificate.verification_code
    before = client.get(f"/verify/{code}/credential.jwt").content.decode()
    keys.new_key(now=timezone.now() + timedelta(seconds=1))
    after = client.get(f"/verify/{code}/credential.jwt").content.decode()
    kid = lambda token: json.loads(jws.base64url_decode(token.split(".")[0]))["kid"]  # noqa: E731
    assert kid(before) != kid(after)
    assert len(published(client)["keys"]) == 2
    assert verified_claims(client, before) == verified_claims(client, after)


def test_revoking_and_superseding_set_the_credential_s_status_bit(
    client, certificate, user_factory, django_capture_on_commit_callbacks
):
    index = int(
        client.get(f"/verify/{certificate.verification_code}/credential.json").json()[
            "credentialStatus"
        ]["statusListIndex"]
    )

    def bit() -> bool:
        response = client.get("/credentials/status/revocation/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/vc+jwt"
        assert "max-age=60" in response["Cache-Control"]
        listing = verified_claims(client, response.content.decode())
        assert "BitstringStatusListCredential" in listing["type"]
        bits = status_list.decode(listing["credentialSubject"]["encodedList"])
        assert len(bits) * 8 >= status_list.MIN_BITS
        return status_list.is_set(bits, index)

    assert bit() is False
    examiner = user_factory(roles=[roles.EXAMINERS])
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_certificate(
            certificate=certificate, revoked_by=examiner, reason="Misconduct"
        )
    assert bit() is True  # at once, not after the list's minute
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.credentials.status_changed()
    assert bit() is False
    Certificate.objects.create(
        serial="MWR-RENEW-1",
        holder=certificate.holder,
        holder_name=certificate.holder_name,
        kind="certification",
        level=certificate.level,
        title=certificate.title,
        issued_on=timezone.localdate(),
        expires_on=timezone.localdate() + timedelta(days=900),
        cycle=2,
        supersedes=certificate,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.credentials.status_changed()
    assert bit() is True


def test_status_list_encoding_round_trips_at_the_edges():
    for index in (0, 7, 8, status_list.MIN_BITS - 1):
        bits = status_list.decode(status_list.encode([index]))
        assert status_list.is_set(bits, index)
        assert sum(bin(byte).count("1") for byte in bits) == 1
    with pytest.raises(ValueError):
        status_list.encode([status_list.MIN_BITS])


def test_every_certificate_gets_its_own_place_in_the_list(certificate):
    services.credentials.ensure_status_index(certificate)
    first = certificate.status_index
    assert services.credentials.ensure_status_index(certificate) == first


@pytest.mark.parametrize(
    "url",
    [
        "/verify/AAAAAAAAAAAAAAAAAAAAAA/credential.json",
        "/verify/AAAAAAAAAAAAAAAAAAAAAA/credential.jwt",
        "/verify/%3Cscript%3E/credential.json",
        "/credentials/status/suspension/",
    ],
)
def test_unknown_credentials_and_lists_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_production_never_makes_a_key_of_its_own(settings):
    settings.CREDENTIAL_KEYS_CREATE = False
    with pytest.raises(ImproperlyConfigured, match="rotate_credential_key"):
        keys.signing_key()


def test_the_rotate_command_adds_a_key_and_keeps_the_old_ones(settings):
    from io import StringIO

    from django.core.management import call_command

    first = keys.signing_key()
    out = StringIO()
    call_command("rotate_credential_key", stdout=out)
    assert keys.signing_key().kid != first.kid
    assert first.kid in {key["kid"] for key in keys.jwks()["keys"]}
    assert "2 key(s) published" in out.getvalue()


def test_the_verification_page_answers_machines_in_json(client, certificate):
    url = f"/verify/{certificate.verification_code}/"
    answer = client.get(url, headers={"accept": "application/json"})
    assert answer["Content-Type"] == "application/json"
    body = answer.json()
    assert body["status"] == "valid" and body["valid"] is True
    assert body["certificate"]["serial"] == certificate.serial
    assert body["checks"] == {
        "issuer": "MWRASP Academy",
        "revoked": False,
        "expired": False,
    }
    assert body["credential"]["jwt"].endswith("/credential.jwt")
    missing = client.get(
        "/verify/AAAAAAAAAAAAAAAAAAAAAA/", headers={"accept": "application/json"}
    )
    assert missing.status_code == 404 and missing.json() == {"found": False}
    # A browser still gets the page.
    assert "text/html" in client.get(url)["Content-Type"]


def test_the_page_and_the_dashboard_offer_the_badge_and_linkedin(client, certificate):
    from urllib.parse import parse_qs, urlparse

    html = client.get(f"/verify/{certificate.verification_code}/").content.decode()
    assert "What was checked" in html and "credential.jwt" in html
    link = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', html)
    query = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)
    assert query["name"] == ["Certified Associate"]
    assert query["organizationName"] == ["MWRASP Academy"]
    assert query["certId"] == [certificate.serial]
    assert query["issueYear"] == [str(certificate.issued_on.year)]
    assert query["expirationMonth"] == [str(certificate.expires_on.month)]
    assert query["certUrl"][0].endswith(f"/verify/{certificate.verification_code}/")
    client.force_login(certificate.holder)
    dashboard = client.get("/dashboard/").content.decode()
    assert "credential.json" in dashboard and "linkedin.com/profile/add" in dashboard


def test_a_revoked_certificate_offers_no_linkedin_link(
    client, certificate, user_factory
):
    services.revoke_certificate(
        certificate=certificate,
        revoked_by=user_factory(roles=[roles.EXAMINERS]),
        reason="Misconduct",
    )
    html = client.get(f"/verify/{certificate.verification_code}/").content.decode()
    assert "linkedin.com" not in html
    assert "withdrawn in the issuer's public revocation list" in html


def test_a_first_use_from_many_threads_never_reads_half_a_key(settings, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    settings.CREDENTIAL_KEYS_DIR = tmp_path / "fresh"
    with ThreadPoolExecutor(max_workers=8) as pool:
        used = list(pool.map(lambda _: keys.signing_key().kid, range(8)))
    published = {key["kid"] for key in keys.jwks()["keys"]}
    assert set(used) <= published
    assert not list((tmp_path / "fresh").glob(".*partial"))
