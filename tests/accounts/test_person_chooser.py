"""Wherever a person is picked in the admin, a chooser searches by name or e-mail
instead of listing every account in a drop-down."""

import re

import pytest

from accounts import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(roles=[roles.TRAINING_ADMINS]))
    return client


def chooser_rows(client, query):
    response = client.get("/admin/person_chooser/results/", {"q": query})
    assert response.status_code == 200
    return re.findall(r"[\w.+-]+@example\.org", response.content.decode())


def test_the_chooser_finds_people_by_name_or_e_mail(admin_client):
    UserFactory(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    UserFactory(first_name="Alan", last_name="Turing", email="alan.t@example.org")
    UserFactory(first_name="Grace", last_name="Hopper", email="gh@example.org")
    UserFactory(email="gone@example.org", is_active=False)
    assert chooser_rows(admin_client, "lovelace") == ["ada@example.org"]
    assert chooser_rows(admin_client, "alan.t") == ["alan.t@example.org"]
    assert chooser_rows(admin_client, "grace hopper") == ["gh@example.org"]
    assert chooser_rows(admin_client, "nobody-at-all") == []
    assert "gone@example.org" not in chooser_rows(admin_client, "gone")
    # A very long or odd search is an empty result, not an error.
    assert (
        admin_client.get(
            "/admin/person_chooser/results/", {"q": "%_" * 200}
        ).status_code
        == 200
    )


def test_a_chosen_person_is_shown_with_their_e_mail(admin_client):
    person = UserFactory(
        first_name="Ada", last_name="Lovelace", email="ada@example.org"
    )
    response = admin_client.get(f"/admin/person_chooser/chosen/{person.pk}/")
    assert "Ada Lovelace (ada@example.org)" in response.content.decode()


@pytest.mark.parametrize(
    "url,field",
    [
        ("/admin/prerequisite_exemptions/new/", "user"),
        ("/admin/accommodations/new/", "user"),
        ("/admin/cohort_members/new/", "hire"),
        ("/admin/cohort_members/new/", "mentor"),
        ("/admin/class_sessions/new/", "instructor"),
    ],
)
def test_forms_that_pick_a_person_use_the_chooser_not_a_list(admin_client, url, field):
    for n in range(30):
        UserFactory(email=f"person{n}@example.org")
    page = admin_client.get(url).content.decode()
    assert f'id="id_{field}-chooser"' in page or f"id_{field}-chooser" in page
    assert not re.search(rf'<select[^>]*name="{field}"', page)
    assert "person29@example.org" not in page


def test_learners_cannot_use_the_chooser(client):
    client.force_login(UserFactory())
    response = client.get("/admin/person_chooser/results/", {"q": "a"})
    assert response.status_code in (302, 403)
