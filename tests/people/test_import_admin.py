"""The admin's "Import people": upload, preview with problems, map a header,
import all at once; only training admins."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import roles
from accounts.models import Organization, User

pytestmark = pytest.mark.django_db

URL = "/admin/people/import/"


@pytest.fixture
def admin_client(client, user_factory):
    client.force_login(
        user_factory(roles=[roles.TRAINING_ADMINS], is_staff=True, is_superuser=True)
    )
    Organization.objects.create(name="Northwind Logistics", slug="northwind")
    return client


def upload(client, text: str, name="people.csv", **options):
    return client.post(
        URL,
        {"file": SimpleUploadedFile(name, text.encode()), **options},
    )


def test_a_file_with_problems_is_previewed_and_cannot_be_imported(admin_client):
    response = upload(admin_client, "email,organisation\nann@example.org,Globex\n")

    page = response.content.decode()
    assert response.status_code == 200
    assert "1 problem to fix first" in page and "Globex" in page
    assert "Import now" not in page
    assert not User.objects.filter(email="ann@example.org").exists()


def test_preview_then_import(admin_client):
    preview = upload(
        admin_client,
        "email,first name,organisation\nann@example.org,Ann,Northwind Logistics\n",
    )
    token = preview.context["token"]
    assert "1 to create" in preview.content.decode()
    assert not User.objects.filter(email="ann@example.org").exists()

    done = admin_client.post(URL, {"token": token, "action": "import"}, follow=True)

    assert "1 created" in done.content.decode()
    assert User.objects.get(email="ann@example.org").organization.slug == "northwind"
    again = admin_client.post(URL, {"token": token, "action": "import"}, follow=True)
    assert "expired" in again.content.decode()  # a used preview cannot run twice


def test_an_unknown_header_is_mapped_in_the_preview(admin_client):
    preview = upload(admin_client, "Employee mail\nann@example.org\n")
    token = preview.context["token"]
    assert "has no E-mail column" in preview.content.decode()

    remapped = admin_client.post(
        URL, {"token": token, "action": "remap", "header_0": "email"}
    )

    assert "1 to create" in remapped.content.decode()
    assert "Import now" in remapped.content.decode()


def test_a_forged_or_expired_token_imports_nothing(admin_client):
    response = admin_client.post(
        URL, {"token": "nope", "action": "import"}, follow=True
    )

    assert "expired" in response.content.decode()
    assert User.objects.count() == 1


def test_only_training_admins_import(client, user_factory):
    client.force_login(user_factory(roles=[roles.EXAMINERS], is_staff=True))

    response = client.post(
        URL, {"file": SimpleUploadedFile("p.csv", b"email\na@b.org\n")}
    )

    assert response.status_code in (302, 403)
    assert not User.objects.filter(email="a@b.org").exists()


def test_a_file_that_is_not_a_table_is_refused_clearly(admin_client):
    response = upload(admin_client, "whatever", name="people.pdf")

    assert "Upload a .csv or .xlsx file" in response.content.decode()
