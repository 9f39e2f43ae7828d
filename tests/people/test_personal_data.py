"""A person's data: the download holds what it says, and erasure removes identity
but keeps certificates verifiable and attempts in the statistics."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import roles
from accounts.models import AuditEvent, User
from certificates.models import Certificate
from exams.models import Attempt
from notifications.kinds import CERTIFICATE_ISSUED
from notifications.services import notify
from people.personal_data import erase_person
from tests.factories import make_exam, make_level, pass_exam, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_keys(settings, tmp_path):
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"


@pytest.fixture
def holder(user_factory, django_capture_on_commit_callbacks):
    person = user_factory(
        first_name="Łukasz", last_name="Nowak", email="lukasz@example.org"
    )
    site_tree()
    level = make_level(exams=[make_exam(count=4)], code="associate", title="Associate")
    with django_capture_on_commit_callbacks(execute=True):
        pass_exam(person, level.required_exams.get().exam)
    notify(person, CERTIFICATE_ISSUED, title="Your certificate: Associate")
    return person


@pytest.fixture
def admin(user_factory):
    return user_factory(roles=[roles.TRAINING_ADMINS])


def test_a_person_downloads_their_data_as_a_zip(client, holder):
    client.force_login(holder)
    assert client.get("/my-data/").status_code == 200

    response = client.post("/my-data/")

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert {
        "profile.json",
        "enrolments.json",
        "attempts.json",
        "certificates.json",
        "bookings.json",
        "assigned_training.json",
        "notifications.json",
    } <= names
    certificate = Certificate.objects.get(holder=holder)
    assert f"certificates/{certificate.serial}.pdf" in names
    assert json.loads(archive.read("profile.json"))["first_name"] == "Łukasz"
    [attempt] = json.loads(archive.read("attempts.json"))
    assert len(attempt["answers"]) == 4
    assert all("key" not in answer["question"] for answer in attempt["answers"])
    assert json.loads(archive.read("notifications.json"))[0]["title"].startswith("Your")


def test_the_download_is_a_post_and_only_ones_own(client, holder, user_factory):
    other = user_factory()
    client.force_login(other)

    archive = zipfile.ZipFile(io.BytesIO(client.post("/my-data/").content))

    assert json.loads(archive.read("profile.json"))["email"] == other.email
    assert json.loads(archive.read("certificates.json")) == []


def test_erasure_removes_identity_and_keeps_the_certificate_verifiable(
    client, holder, admin, django_capture_on_commit_callbacks
):
    certificate = Certificate.objects.get(holder=holder)
    pdf_name = certificate.pdf.name
    storage = certificate.pdf.storage
    assert storage.exists(pdf_name)

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(
            actor=admin,
            person=holder,
            confirmation="LUKASZ@example.org",
            reason="Asked under GDPR art. 17",
        )

    holder.refresh_from_db()
    assert holder.email.endswith("@erased.invalid") and not holder.is_active
    assert (holder.first_name, holder.last_name) == ("", "")
    assert not holder.has_usable_password()
    assert not storage.exists(pdf_name)
    page = client.get(f"/verify/{certificate.verification_code}/").content.decode()
    assert "whose data was erased on" in page and "Łukasz" not in page
    data = client.get(
        f"/verify/{certificate.verification_code}/", HTTP_ACCEPT="application/json"
    ).json()
    assert (
        data["certificate"]["holder"] is None
        and data["certificate"]["holder_erased_on"]
    )
    assert (
        client.get(
            f"/verify/{certificate.verification_code}/credential.json"
        ).status_code
        == 404
    )
    assert Attempt.objects.filter(user=holder).count() == 1  # still in the statistics
    event = AuditEvent.objects.get(action="person.erase")
    assert event.reason == "Asked under GDPR art. 17" and event.actor == admin


def test_an_erased_person_is_signed_out_everywhere(client, holder, admin):
    client.force_login(holder)
    assert client.get("/dashboard/").status_code == 200

    erase_person(actor=admin, person=holder, confirmation=holder.email, reason="Asked")

    assert client.get("/dashboard/").status_code == 302  # back to sign-in


def test_erasure_needs_a_training_admin_a_confirmation_and_a_reason(
    holder, admin, user_factory
):
    with pytest.raises(PermissionDenied):
        erase_person(
            actor=user_factory(), person=holder, confirmation=holder.email, reason="x"
        )
    with pytest.raises(ValidationError, match="confirm"):
        erase_person(
            actor=admin, person=holder, confirmation="someone@else", reason="x"
        )
    with pytest.raises(ValidationError, match="reason"):
        erase_person(actor=admin, person=holder, confirmation=holder.email, reason=" ")
    with pytest.raises(ValidationError, match="yourself"):
        erase_person(actor=admin, person=admin, confirmation=admin.email, reason="x")
    assert User.objects.get(pk=holder.pk).first_name == "Łukasz"


def test_the_admin_erase_page_confirms_first(client, holder, user_factory):
    admin = user_factory(
        roles=[roles.TRAINING_ADMINS], is_staff=True, is_superuser=True
    )
    client.force_login(admin)
    url = f"/admin/people/{holder.pk}/erase/"

    assert client.get(url).status_code == 200
    wrong = client.post(url, {"confirmation": "nope@example.org", "reason": "Asked"})
    assert wrong.status_code == 200 and User.objects.get(pk=holder.pk).is_active
    done = client.post(url, {"confirmation": holder.email, "reason": "Asked"})
    assert done.status_code == 302 and not User.objects.get(pk=holder.pk).is_active
    assert client.get(url).status_code == 404  # nobody active to erase any more
