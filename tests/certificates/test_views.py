import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts import roles
from certificates import services
from certificates.models import Certificate
from tests.factories import make_exam, make_level, pass_exam, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _run_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        yield


@pytest.fixture
def certificate(learner, django_capture_on_commit_callbacks):
    site_tree()
    level = make_level(
        exams=[make_exam(count=4)], code="associate", title="Certified Associate"
    )
    with django_capture_on_commit_callbacks(execute=True):
        pass_exam(learner, level.required_exams.get().exam)
    return Certificate.objects.get()


def test_verification_page_shows_every_printed_claim(client, certificate):
    html = client.get(f"/verify/{certificate.verification_code}/").content.decode()
    assert "Valid." in html
    for claim in (
        certificate.holder_name,
        certificate.title,
        certificate.serial,
        certificate.issued_on.strftime("%-d %B %Y"),
        certificate.expires_on.strftime("%-d %B %Y"),
        "100%",
    ):
        assert claim in html, claim


def test_verification_of_expired_revoked_and_superseded(
    client, certificate, user_factory
):
    url = f"/verify/{certificate.verification_code}/"
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    assert "Expired" in client.get(url).content.decode()
    examiner = user_factory(roles=[roles.EXAMINERS])
    services.revoke_certificate(
        certificate=certificate, revoked_by=examiner, reason="Misconduct"
    )
    html = client.get(url).content.decode()
    assert "Revoked" in html and timezone.localdate().strftime("%-d %B %Y") in html
    renewal = Certificate.objects.create(
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
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=None)
    html = client.get(url).content.decode()
    assert "Superseded by a renewal" in html and renewal.serial in html


def test_unknown_and_malformed_codes_get_the_same_not_found_page(client, certificate):
    unknown = client.get("/verify/AAAAAAAAAAAAAAAAAAAAAA/")
    malformed = client.get("/verify/%3Cscript%3E/")
    assert unknown.status_code == malformed.status_code == 404

    def without_token(response):
        return re.sub(rb'value="[^"]{64}"', b"", response.content)

    assert without_token(unknown) == without_token(malformed)
    assert "Certificate not found" in unknown.content.decode()


def test_verification_is_rate_limited(client, certificate):
    cache.clear()
    url = f"/verify/{certificate.verification_code}/"
    statuses = [client.get(url).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429


def test_lookup_by_serial_and_surname(client, certificate):
    surname = certificate.holder_name.split()[-1]
    response = client.post(
        "/verify/", {"serial": certificate.serial.lower(), "surname": surname}
    )
    assert response["Location"] == f"/verify/{certificate.verification_code}/"
    wrong = client.post("/verify/", {"serial": certificate.serial, "surname": "Nobody"})
    assert (
        wrong.status_code == 404 and "Certificate not found" in wrong.content.decode()
    )


def test_only_the_holder_downloads_the_pdf(client, certificate, user_factory):
    url = f"/certificates/{certificate.serial}/pdf/"
    client.force_login(user_factory())
    assert client.get(url).status_code == 404
    client.force_login(certificate.holder)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_dashboard_lists_the_certificate_with_its_status(client, certificate):
    client.force_login(certificate.holder)
    html = client.get("/dashboard/").content.decode()
    assert certificate.serial in html and "Valid" in html
    assert f"/verify/{certificate.verification_code}/" in html


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (roles.MENTORS, False),
        (roles.SUPPORT_HIRES, False),
        (roles.EXAMINERS, True),
        (roles.LEAD_EXAMINERS, True),
        (roles.TRAINING_ADMINS, True),
    ],
)
def test_only_examiners_and_training_admins_revoke(
    client, certificate, user_factory, role, allowed
):
    client.force_login(user_factory(roles=[role]))
    url = f"/admin/certificates/{certificate.pk}/revoke/"
    response = client.post(url, {"reason": "Issued in error."})
    certificate.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert certificate.revoked_at is not None
    else:
        assert response.status_code in (302, 403)
        assert certificate.revoked_at is None
        assert client.get(url).status_code in (302, 403)
        with pytest.raises(PermissionDenied):
            services.revoke_certificate(
                certificate=certificate,
                revoked_by=response.wsgi_request.user,
                reason="Issued in error.",
            )


def test_a_certificate_pdf_is_private_and_unguessable(
    client, certificate, user_factory
):
    from django.conf import settings as live
    from django.core.files.storage import storages

    services.generate_certificate_pdf(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    name = certificate.pdf.name
    # Not derivable from what the holder, or anyone, can see.
    for guessable in (certificate.serial, str(certificate.issued_on.year)):
        assert guessable not in name
    assert re.fullmatch(r"certificates/[0-9a-f]{32}\.pdf", name)
    # Stored out of public media, and no MEDIA_URL path reaches it.
    assert certificate.pdf.storage is storages["private"]
    assert storages["private"].exists(name)
    assert not storages["default"].exists(name)
    anonymous = client.get(f"{live.MEDIA_URL}{name}")
    assert anonymous.status_code == 404
    old_style = f"{live.MEDIA_URL}certificates/{certificate.issued_on.year}/"
    assert client.get(f"{old_style}{certificate.serial}.pdf").status_code == 404
    # The only way out is the holder's download.
    client.force_login(user_factory())
    assert client.get(f"/certificates/{certificate.serial}/pdf/").status_code == 404
    client.force_login(certificate.holder)
    response = client.get(f"/certificates/{certificate.serial}/pdf/")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
