"""SAML sign-in per organisation, end to end against a real pysaml2 identity
provider on 127.0.0.1: set up in the admin from the IdP's metadata URL, people
created just in time in the right organisation with their groups' roles, and
every refusal an attacker would try (another audience, a late assertion, a
replay, a tampered one, one nobody asked for, someone of another organisation)."""

import base64
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts import roles
from accounts.models import Organization, User
from tests.people.saml_idp import XMLSEC, SamlIdP, follow_to_idp

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not XMLSEC, reason="xmlsec1 (Debian package xmlsec1) is missing"
    ),
]


@pytest.fixture
def contoso():
    return Organization.objects.create(
        name="Contoso", slug="contoso", email_domains="contoso.com"
    )


@pytest.fixture
def admin(user_factory):
    return user_factory(roles=[roles.TRAINING_ADMINS], is_staff=True)


@pytest.fixture
def idp(tmp_path):
    server = SamlIdP(tmp_path, sp_metadata=None)
    yield server
    server.close()


def set_up(client, admin, organization, idp, **fields):
    """What the training admin does: paste the IdP's metadata URL and map groups."""
    client.force_login(admin)
    response = client.post(
        f"/admin/single-sign-on/{organization.pk}/",
        {
            "enabled": "on",
            "metadata_url": f"{idp.base}/metadata",
            "entity_id": idp.entity_id,
            "group_roles": "Academy learners = Learners\nAcademy admins = Organisation admin",
            **fields,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    idp.trust(
        client.get(f"/accounts/saml/{organization.slug}/metadata/").content.decode()
    )
    client.logout()


def start(client, email="new.hire@contoso.com"):
    """The sign-in page's "Sign in with your company", up to the IdP's form."""
    to_login = client.post("/accounts/company/", {"email": email})
    assert to_login.status_code == 302 and "/accounts/saml/" in to_login["Location"]
    to_idp = client.post(to_login["Location"])
    assert to_idp.status_code == 302, to_idp.content.decode()[:500]
    return follow_to_idp(to_idp["Location"])


def finish(client, form):
    """The browser posts the IdP's form to the academy; allauth finishes."""
    acs = form.action.replace("http://testserver", "")
    posted = client.post(acs, form.fields)
    assert posted.status_code == 302
    return client.get(posted["Location"])


def signed_in(client) -> bool:
    return client.get("/dashboard/").status_code == 200


PERSON = {
    "email": "new.hire@contoso.com",
    "first_name": "Nia",
    "last_name": "Okafor",
    "groups": ["Academy learners", "Academy admins", "Everyone"],
}


def test_a_new_person_is_created_in_their_organisation_with_their_roles(
    client, admin, contoso, idp
):
    set_up(client, admin, contoso, idp)
    idp.person = PERSON
    confirm = client.get("/accounts/saml/contoso/login/?process=login")
    form_action = next(
        part
        for part in confirm["Content-Security-Policy"].split(";")
        if part.strip().startswith("form-action")
    )
    assert idp.base in form_action  # its "Continue" may lead to the IdP

    done = finish(client, start(client))

    assert done.status_code == 302 and done["Location"] == "/dashboard/"
    assert signed_in(client)
    person = User.objects.get(email="new.hire@contoso.com")
    assert person.organization == contoso
    assert (person.first_name, person.last_name) == ("Nia", "Okafor")
    assert person.is_organization_admin
    assert list(person.groups.values_list("name", flat=True)) == [roles.LEARNERS]
    assert not person.has_usable_password()


def test_a_returning_member_is_the_same_person_and_their_groups_count_each_time(
    client, admin, contoso, idp, user_factory
):
    member = user_factory(email="ria@contoso.com", organization=contoso)
    member.is_organization_admin = True
    member.save()
    set_up(client, admin, contoso, idp)
    idp.person = {**PERSON, "email": "ria@contoso.com", "groups": ["Academy learners"]}

    finish(client, start(client, "ria@contoso.com"))

    assert signed_in(client)
    assert User.objects.filter(email="ria@contoso.com").count() == 1
    member.refresh_from_db()
    assert not member.is_organization_admin  # no longer in "Academy admins"
    assert member.groups.filter(name=roles.LEARNERS).exists()


def test_an_assertion_for_another_audience_is_refused(client, admin, contoso, idp):
    set_up(client, admin, contoso, idp)
    idp.person = PERSON
    idp.audience = "https://another-service.example/saml/metadata"

    done = finish(client, start(client))

    assert not signed_in(client)
    assert "error" in done.content.decode().lower()
    assert not User.objects.filter(email=PERSON["email"]).exists()


def test_an_assertion_delivered_after_it_expired_is_refused(
    client, admin, contoso, idp
):
    set_up(client, admin, contoso, idp)
    idp.person = PERSON
    form = start(client)

    with time_machine.travel(timezone.now() + timedelta(minutes=15), tick=False):
        finish(client, form)
        assert not signed_in(client)
    assert not User.objects.filter(email=PERSON["email"]).exists()


def test_a_replayed_assertion_is_refused(client, admin, contoso, idp):
    set_up(client, admin, contoso, idp)
    idp.person = PERSON
    form = start(client)
    finish(client, form)
    assert signed_in(client)
    client.logout()

    finish(client, form)  # the same response again, same browser
    assert not signed_in(client)

    from django.test import Client

    other = Client()
    start(other)  # a sign-in of its own is pending; the old response is not its
    finish(other, form)
    assert not signed_in(other)


def test_a_tampered_assertion_is_refused(client, admin, contoso, idp, user_factory):
    victim = user_factory(email="ceo@contoso.com", organization=contoso)
    set_up(client, admin, contoso, idp)
    idp.person = PERSON
    form = start(client)
    xml = base64.b64decode(form.fields["SAMLResponse"]).decode()
    form.fields["SAMLResponse"] = base64.b64encode(
        xml.replace(PERSON["email"], victim.email).encode()
    ).decode()

    finish(client, form)

    assert not signed_in(client)


def test_an_assertion_signed_with_sha1_is_refused(client, admin, contoso, idp):
    set_up(client, admin, contoso, idp)
    idp.person = PERSON
    idp.sign_alg = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
    idp.digest_alg = "http://www.w3.org/2000/09/xmldsig#sha1"

    finish(client, start(client))

    assert not signed_in(client)


def test_a_sign_in_nobody_asked_for_is_refused_unless_allowed(
    client, admin, contoso, idp
):
    set_up(client, admin, contoso, idp)
    idp.person = PERSON

    finish(
        client, idp.unsolicited(f"http://testserver/accounts/saml/{contoso.slug}/acs/")
    )
    assert not signed_in(client)

    set_up(client, admin, contoso, idp, allow_idp_initiated="on")
    finish(
        client, idp.unsolicited(f"http://testserver/accounts/saml/{contoso.slug}/acs/")
    )
    assert signed_in(client)


def test_an_organisations_idp_cannot_sign_in_someone_else(
    client, admin, contoso, idp, user_factory
):
    other = Organization.objects.create(name="Fabrikam", slug="fabrikam")
    outsider = user_factory(email="boss@contoso.com", organization=other)
    staff = user_factory(email="it@contoso.com", is_superuser=True)
    set_up(client, admin, contoso, idp)

    for person in (outsider, staff):
        idp.person = {**PERSON, "email": person.email}
        done = finish(client, start(client, "someone@contoso.com"))
        assert (
            done.status_code == 403
            and "does not belong to Contoso" in done.content.decode()
        )
        assert not signed_in(client)

    idp.person = {**PERSON, "email": "stranger@gmail.com"}  # not a Contoso domain
    finish(client, start(client, "someone@contoso.com"))
    assert not signed_in(client)
    assert not User.objects.filter(email="stranger@gmail.com").exists()


def test_company_sign_in_with_an_address_no_organisation_signs_in(client, contoso):
    response = client.post(
        "/accounts/company/", {"email": "x@nowhere.example"}, follow=True
    )
    assert "No company sign-in is set up for that address" in response.content.decode()
    assert client.get("/accounts/company/").status_code == 405


def test_the_admin_page_checks_its_input_and_shows_what_the_idp_needs(
    client, admin, contoso, user_factory
):
    client.force_login(user_factory(is_staff=True, roles=[roles.MENTORS]))
    assert client.get(f"/admin/single-sign-on/{contoso.pk}/").status_code in (302, 403)

    client.force_login(admin)
    page = client.get(f"/admin/single-sign-on/{contoso.pk}/").content.decode()
    assert (
        "/accounts/saml/contoso/acs/" in page
        and "/accounts/saml/contoso/metadata/" in page
    )
    bad = client.post(
        f"/admin/single-sign-on/{contoso.pk}/",
        {"enabled": "on", "entity_id": "x", "group_roles": "VIPs = Training admins"},
    )
    assert bad.status_code == 200
    assert "Line 1" in bad.content.decode()
    assert "sign-on URL and the certificate" in bad.content.decode()
    assert client.get("/admin/single-sign-on/999999/").status_code == 404


def test_metadata_that_cannot_be_read_is_refused_at_set_up(client, admin, contoso, idp):
    client.force_login(admin)
    idp.close()

    response = client.post(
        f"/admin/single-sign-on/{contoso.pk}/",
        {"enabled": "on", "metadata_url": f"{idp.base}/metadata"},
    )

    assert response.status_code == 200
    assert "Could not read the metadata" in response.content.decode()
    from allauth.socialaccount.models import SocialApp

    assert not SocialApp.objects.exists()


def test_the_entity_id_is_read_from_the_metadata(client, admin, contoso, idp):
    set_up(client, admin, contoso, idp, entity_id="")
    from people import saml

    assert saml.app_for(contoso).settings["idp"]["entity_id"] == idp.entity_id


def test_an_unreachable_identity_provider_gets_a_page_not_an_error(
    client, admin, contoso, idp
):
    from django.core.cache import cache

    set_up(client, admin, contoso, idp)
    idp.close()
    cache.clear()  # the metadata must be fetched again

    to_login = client.post("/accounts/company/", {"email": "x@contoso.com"})
    response = client.post(to_login["Location"])

    assert response.status_code == 502
    assert "Company sign-in unavailable" in response.content.decode()
    no_host = client.get("/accounts/saml/contoso/metadata/", HTTP_HOST="")
    assert no_host.status_code < 500
