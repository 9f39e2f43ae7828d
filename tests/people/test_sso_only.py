"""An organisation whose people sign in through SSO only: password sign-in and
sign-up refused for its people and domains, with a pointer to the SSO button;
imports send them no password invitation."""

import pytest
from django.core import mail

from accounts import roles
from accounts.models import Organization, User
from people.importing import ImportOptions, apply
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def northwind(db):
    return Organization.objects.create(
        name="Northwind",
        slug="northwind",
        sso_only=True,
        email_domains="northwind.example, nw.example",
    )


def sign_in(client, email):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def test_a_member_cannot_sign_in_with_a_password(client, northwind, user_factory):
    member = user_factory(email="ann@elsewhere.example", organization=northwind)

    response = sign_in(client, member.email)

    assert response.status_code == 200
    assert "signs in through its company sign-in" in response.content.decode()
    assert client.get("/dashboard/").status_code == 302


def test_the_organisations_domains_are_refused_too(client, northwind, user_factory):
    stray = user_factory(email="Bob@NW.example")  # not (yet) a member

    assert (
        "signs in through its company sign-in"
        in sign_in(client, stray.email).content.decode()
    )


def test_other_people_sign_in_as_before(client, northwind, user_factory):
    person = user_factory(email="carol@contoso.example")

    assert sign_in(client, person.email).status_code == 302


def test_sign_up_with_an_sso_domain_is_refused(client, northwind):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "dave@northwind.example",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
        },
    )

    assert "signs in through its company sign-in" in response.content.decode()
    assert not User.objects.filter(email="dave@northwind.example").exists()


def test_an_import_sends_no_password_invitation_to_sso_people(
    northwind, user_factory, django_capture_on_commit_callbacks
):
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    data = b"email,organisation\nerin@northwind.example,Northwind\nfay@else.example,\n"

    with django_capture_on_commit_callbacks(execute=True):
        apply(data, "p.csv", ImportOptions(send_invitations=True), actor=admin)

    assert [m.to for m in mail.outbox] == [["fay@else.example"]]


def test_training_admins_manage_organisations_in_the_admin(
    client, user_factory, northwind
):
    admin = user_factory(roles=[roles.TRAINING_ADMINS], is_staff=True)
    client.force_login(admin)

    assert client.get("/admin/organizations/").status_code == 200
    response = client.post(
        f"/admin/organizations/edit/{northwind.pk}/",
        {
            "name": "Northwind",
            "slug": "northwind",
            "email_domains": "northwind.example",
        },
    )
    assert response.status_code == 302
    northwind.refresh_from_db()
    assert (
        northwind.sso_only is False and northwind.email_domains == "northwind.example"
    )

    client.force_login(user_factory(roles=[roles.EXAMINERS], is_staff=True))
    assert client.get("/admin/organizations/").status_code in (302, 403)
