"""SCIM 2.0 provisioning, driven with the request sequences Okta and Microsoft
Entra ID send (their published SCIM guides), plus what an attacker would try:
no token, another organisation's people, bad bodies, out-of-range paging."""

import json

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from accounts.api import secret_digest
from accounts.models import AuditEvent, Organization, User
from certificates.models import Certificate
from people.models import ProvisioningConnection
from tests.factories import PASSWORD, make_exam, make_level, pass_exam, site_tree

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture
def contoso():
    return Organization.objects.create(name="Contoso", slug="contoso")


def _connect(organization=None, name="Okta"):
    connection = ProvisioningConnection(name=name, organization=organization)
    token = connection.issue_token()
    connection.save()
    return connection, token


@pytest.fixture
def okta(contoso):
    return _connect(contoso, "Okta – Contoso")


class Scim:
    def __init__(self, client, token):
        self.client, self.token = client, token

    def __call__(self, method, path, body=None, **extra):
        response = getattr(self.client, method)(
            "/scim/v2/" + path,
            data=json.dumps(body) if body is not None else None,
            content_type="application/scim+json",
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
            **extra,
        )
        assert response.status_code < 500, response.content
        return response


@pytest.fixture
def scim(client, okta):
    return Scim(client, okta[1])


def okta_user(email="Ada.Lovelace@Contoso.com", **extra):
    return {
        "schemas": [USER],
        "userName": email,
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"primary": True, "value": email, "type": "work"}],
        "displayName": "Ada Lovelace",
        "locale": "en-US",
        "externalId": "00u1abcd",
        "groups": [],
        "password": "ignored-Secret1",
        "active": True,
        **extra,
    }


# --- authentication -----------------------------------------------------------------


def test_no_wrong_or_revoked_token_is_refused_with_a_scim_error(client, okta):
    connection, token = okta
    for header in ({}, {"HTTP_AUTHORIZATION": "Bearer scim_nope"}):
        response = client.get("/scim/v2/Users", **header)
        assert response.status_code == 401
        assert response.json()["schemas"] == [ERROR]
        assert response.json()["status"] == "401"
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert Scim(client, token)("get", "Users").status_code == 200

    connection.revoke()

    assert Scim(client, token)("get", "Users").status_code == 401


def test_the_token_is_stored_only_as_a_digest(okta):
    connection, token = okta
    stored = ProvisioningConnection.objects.filter(pk=connection.pk).values().get()
    assert token not in json.dumps(stored, default=str)
    assert stored["token_digest"] == secret_digest(token)
    assert len(token) > 40 and token.startswith(stored["token_hint"])


# --- Okta ---------------------------------------------------------------------------


def test_okta_creates_finds_updates_and_deactivates_a_person(client, scim, contoso):
    empty = scim(
        "get",
        'Users?filter=userName eq "ada.lovelace@contoso.com"&startIndex=1&count=100',
    ).json()
    assert empty["totalResults"] == 0 and empty["Resources"] == []

    created = scim("post", "Users", okta_user())
    assert created.status_code == 201
    body = created.json()
    person = User.objects.get(pk=body["id"])
    assert person.email == "ada.lovelace@contoso.com"
    assert person.organization == contoso and person.external_id == "00u1abcd"
    assert not person.has_usable_password()  # signs in through the company's SSO
    assert created["Location"].endswith(f"/scim/v2/Users/{person.pk}")
    assert body["active"] is True and body["userName"] == person.email

    found = scim("get", 'Users?filter=userName eq "Ada.Lovelace@Contoso.com"').json()
    assert [r["id"] for r in found["Resources"]] == [str(person.pk)]

    replaced = scim(
        "put",
        f"Users/{person.pk}",
        okta_user(name={"givenName": "Augusta Ada", "familyName": "King"}),
    )
    assert replaced.json()["name"]["givenName"] == "Augusta Ada"
    assert User.objects.get(pk=person.pk).last_name == "King"

    person.set_password(PASSWORD)
    person.save()
    client.force_login(person)
    assert client.get("/dashboard/").status_code == 200
    deactivated = scim(
        "patch",
        f"Users/{person.pk}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "value": {"active": False}}],
        },
    )
    assert deactivated.json()["active"] is False
    assert client.get("/dashboard/").status_code == 302  # signed out everywhere
    refused = client.post(
        "/accounts/login/", {"login": person.email, "password": PASSWORD}
    )
    assert refused["Location"] == "/accounts/inactive/"
    event = AuditEvent.objects.get(action="person.deactivate", subject=person)
    assert event.actor is None and "Okta – Contoso" in event.reason

    scim(
        "patch",
        f"Users/{person.pk}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "value": {"active": True}}],
        },
    )
    assert User.objects.get(pk=person.pk).is_active


def test_an_organisation_with_domains_gets_only_addresses_of_them(
    scim, contoso, user_factory
):
    contoso.email_domains = "contoso.com, contoso.co.uk"
    contoso.save()
    outside = user_factory(email="old@legacy.example", organization=contoso)

    refused = scim("post", "Users", okta_user("ceo@our-academy.example"))
    moved = scim(
        "patch",
        f"Users/{outside.pk}",
        {
            "Operations": [
                {"op": "replace", "path": "userName", "value": "x@evil.example"}
            ]
        },
    )
    renamed = scim(
        "patch",
        f"Users/{outside.pk}",
        {"Operations": [{"op": "replace", "path": "name.givenName", "value": "Olga"}]},
    )

    assert refused.status_code == 400 and "e-mail domains" in refused.json()["detail"]
    assert not User.objects.filter(email="ceo@our-academy.example").exists()
    assert moved.status_code == 400
    assert renamed.status_code == 200  # an existing address may stay as it is
    assert scim("post", "Users", okta_user("ada@contoso.co.uk")).status_code == 201


def test_creating_someone_who_exists_is_a_uniqueness_conflict(
    scim, user_factory, contoso
):
    user_factory(email="taken@contoso.com", organization=contoso)

    response = scim("post", "Users", okta_user("TAKEN@contoso.com"))

    assert response.status_code == 409
    assert response.json()["scimType"] == "uniqueness"
    assert User.objects.filter(email__iexact="taken@contoso.com").count() == 1


# --- Microsoft Entra ID ---------------------------------------------------------------


def entra_user(email, external, **extra):
    return {
        "schemas": [USER, ENTERPRISE],
        "externalId": external,
        "userName": email,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": email}],
        "meta": {"resourceType": "User"},
        "name": {
            "formatted": "givenName familyName",
            "familyName": "Bern",
            "givenName": "Alex",
        },
        "roles": [],
        **extra,
    }


def test_entra_provisions_patches_and_deletes_in_its_own_shapes(client, scim, contoso):
    # Entra first checks that a random user does not exist, then creates.
    probe = scim("get", 'Users?filter=userName eq "7a1b0c3e-probe@contoso.com"')
    assert probe.json()["totalResults"] == 0
    boss = scim("post", "Users", entra_user("boss@contoso.com", "e-boss")).json()
    alex = scim(
        "post",
        "Users",
        entra_user(
            "alex@contoso.com",
            "e-alex",
            **{ENTERPRISE: {"manager": {"value": boss["id"]}}},
        ),
    ).json()
    assert alex[ENTERPRISE]["manager"]["value"] == boss["id"]

    ops = [
        {
            "op": "Replace",
            "path": 'emails[type eq "work"].value',
            "value": "alex.b@contoso.com",
        },
        {"op": "Replace", "path": "name.givenName", "value": "Alexandra"},
        {"op": "Add", "path": "displayName", "value": "Alexandra Bern"},
        {
            "op": "Add",
            "path": "title",
            "value": "Support engineer",
        },  # not kept: ignored
        {"op": "Remove", "path": f"{ENTERPRISE}:manager"},
        {
            "op": "Replace",
            "path": "active",
            "value": "False",
        },  # a string, as Entra sends
    ]
    patched = scim(
        "patch", f"Users/{alex['id']}", {"schemas": [PATCH], "Operations": ops}
    )
    assert patched.status_code == 200
    person = User.objects.get(pk=alex["id"])
    assert person.email == "alex.b@contoso.com" and person.first_name == "Alexandra"
    assert person.manager is None and not person.is_active

    assert scim("delete", f"Users/{alex['id']}").status_code == 204
    assert scim("get", f"Users/{alex['id']}").status_code == 404
    assert (
        scim("get", 'Users?filter=externalId eq "e-alex"').json()["totalResults"] == 0
    )
    assert User.objects.filter(pk=alex["id"]).exists()  # kept, with their history

    # Re-hired: the same address comes back as the same person, active again.
    again = scim("post", "Users", entra_user("alex.b@contoso.com", "e-alex-2"))
    assert again.status_code == 201 and again.json()["id"] == alex["id"]
    assert User.objects.get(pk=alex["id"]).is_active


def test_deactivation_keeps_certificates_verifiable(
    client, scim, contoso, settings, tmp_path
):
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    person = User.objects.get(pk=scim("post", "Users", okta_user()).json()["id"])
    site_tree()
    level = make_level(exams=[make_exam(count=4)], code="associate", title="Associate")
    pass_exam(person, level.required_exams.get().exam)
    certificate = Certificate.objects.get(holder=person)

    scim("delete", f"Users/{person.pk}")

    page = client.get(f"/verify/{certificate.verification_code}/")
    assert page.status_code == 200 and "Ada Lovelace" in page.content.decode()
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is None


# --- groups are roles -----------------------------------------------------------------


def test_groups_are_roles_and_an_organisation_sees_only_learners(scim):
    listed = scim("get", "Groups").json()
    assert [g["displayName"] for g in listed["Resources"]] == [roles.LEARNERS]
    from django.contrib.auth.models import Group

    admins = Group.objects.get(name=roles.TRAINING_ADMINS)
    assert scim("get", f"Groups/{admins.pk}").status_code == 404
    pushed = scim("post", "Groups", {"schemas": [GROUP], "displayName": "Learners"})
    assert pushed.status_code == 409
    unknown = scim("post", "Groups", {"schemas": [GROUP], "displayName": "VPs"})
    assert unknown.status_code == 400 and "Learners" in unknown.json()["detail"]


def test_group_membership_as_okta_and_entra_change_it(client, user_factory):
    from django.contrib.auth.models import Group

    _staff, token = _connect(None, "Entra – staff")
    scim = Scim(client, token)
    one = scim("post", "Users", entra_user("one@corp.example", "1")).json()["id"]
    two = scim("post", "Users", entra_user("two@corp.example", "2")).json()["id"]
    group = scim("get", 'Groups?filter=displayName eq "Training admins"').json()
    role_id = group["Resources"][0]["id"]

    scim(
        "patch",
        f"Groups/{role_id}",
        {
            "schemas": [PATCH],
            "Operations": [
                {
                    "op": "add",
                    "path": "members",
                    "value": [{"value": one}, {"value": two}],
                }
            ],
        },
    )
    assert sorted(
        m["value"] for m in scim("get", f"Groups/{role_id}").json()["members"]
    ) == sorted([one, two])
    client.force_login(User.objects.get(pk=one))
    assert client.get("/admin/").status_code == 200  # the role grants the admin

    scim(
        "patch",
        f"Groups/{role_id}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "remove", "path": f'members[value eq "{one}"]'}],
        },
    )  # Okta
    scim(
        "patch",
        f"Groups/{role_id}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Remove", "path": "members", "value": [{"value": two}]}
            ],
        },
    )  # Entra
    assert scim("get", f"Groups/{role_id}").json()["members"] == []
    assert (
        not Group.objects.get(name=roles.TRAINING_ADMINS)
        .user_set.filter(pk__in=[one, two])
        .exists()
    )

    scim(
        "put",
        f"Groups/{role_id}",
        {
            "schemas": [GROUP],
            "displayName": "Training admins",
            "members": [{"value": two}],
        },
    )
    assert [m["value"] for m in scim("get", f"Groups/{role_id}").json()["members"]] == [
        two
    ]
    renamed = scim(
        "patch",
        f"Groups/{role_id}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "replace", "value": {"id": role_id, "displayName": "Admins"}}
            ],
        },
    )
    assert renamed.status_code == 400 and renamed.json()["scimType"] == "mutability"
    assert AuditEvent.objects.filter(action="person.role.add").count() == 3


# --- scope: no one outside the connection's people -----------------------------------


def test_a_connection_never_reaches_another_organisations_people(
    client, scim, user_factory, contoso
):
    other = Organization.objects.create(name="Fabrikam", slug="fabrikam")
    stranger = user_factory(email="eve@fabrikam.com", organization=other)
    staff = user_factory(email="staff@corp.example")
    root = user_factory(
        email="root@contoso.com", organization=contoso, is_superuser=True
    )
    mine = user_factory(email="mine@contoso.com", organization=contoso)

    for person in (stranger, staff, root):
        assert scim("get", f"Users/{person.pk}").status_code == 404
        assert (
            scim(
                "patch",
                f"Users/{person.pk}",
                {"Operations": [{"op": "replace", "path": "active", "value": False}]},
            ).status_code
            == 404
        )
        assert scim("delete", f"Users/{person.pk}").status_code == 404
        assert User.objects.get(pk=person.pk).is_active
    listed = scim("get", "Users").json()
    assert [r["id"] for r in listed["Resources"]] == [str(mine.pk)]
    assert (
        scim(
            "get",
            'Users?filter=userName eq "eve@fabrikam.com" or userName eq "mine@contoso.com"',
        ).json()["totalResults"]
        == 1
    )
    # A manager from elsewhere is refused, not linked.
    bad = scim(
        "patch",
        f"Users/{mine.pk}",
        {
            "Operations": [
                {
                    "op": "add",
                    "path": f"{ENTERPRISE}:manager",
                    "value": str(stranger.pk),
                }
            ]
        },
    )
    assert bad.status_code == 400 and User.objects.get(pk=mine.pk).manager is None
    # And group membership cannot pull them in.
    learners = scim("get", "Groups").json()["Resources"][0]["id"]
    pulled = scim(
        "patch",
        f"Groups/{learners}",
        {
            "Operations": [
                {"op": "add", "path": "members", "value": [{"value": str(stranger.pk)}]}
            ]
        },
    )
    assert pulled.status_code == 400
    assert not stranger.groups.filter(name=roles.LEARNERS).exists()


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "scim_type"),
    [
        ("post", "Users", {"userName": "not-an-address"}, 400, "invalidValue"),
        ("post", "Users", {"name": {"givenName": "No user name"}}, 400, "invalidValue"),
        ("post", "Users", ["a", "list"], 400, "invalidSyntax"),
        (
            "patch",
            "Users/{id}",
            {"Operations": [{"op": "move", "path": "active"}]},
            400,
            "invalidSyntax",
        ),
        (
            "patch",
            "Users/{id}",
            {"Operations": [{"op": "replace", "path": "active", "value": "maybe"}]},
            400,
            "invalidValue",
        ),
        (
            "patch",
            "Users/{id}",
            {
                "Operations": [
                    {"op": "replace", "path": "name.givenName", "value": {"x": 1}}
                ]
            },
            400,
            "invalidValue",
        ),
        (
            "patch",
            "Users/{id}",
            {"Operations": [{"op": "replace", "value": "flat"}]},
            400,
            "invalidValue",
        ),
        ("patch", "Users/{id}", {"Operations": "all"}, 400, "invalidSyntax"),
        ("patch", "Users/{id}", {}, 400, "invalidSyntax"),
        ("get", 'Users?filter=userName zz "x"', None, 400, "invalidFilter"),
        ("get", 'Users?filter=title eq "x"', None, 400, "invalidFilter"),
        ("get", "Users?startIndex=abc", None, 400, "invalidValue"),
        ("get", "Users/abc", None, 404, None),
        ("get", "Users/99999999999999999999999", None, 404, None),
        ("delete", "Groups/{learners}", None, 400, "mutability"),
        ("get", "Nothing/here", None, 404, None),
    ],
)
def test_bad_requests_get_scim_errors_and_change_nothing(
    scim, method, path, body, status, scim_type
):
    person = scim("post", "Users", okta_user()).json()
    from django.contrib.auth.models import Group

    learners = Group.objects.get(name=roles.LEARNERS).pk
    before = list(User.objects.values().order_by("pk"))

    response = scim(method, path.format(id=person["id"], learners=learners), body)

    assert response.status_code == status
    assert response.json()["schemas"] == [ERROR]
    assert response.json().get("scimType") == scim_type
    assert list(User.objects.values().order_by("pk")) == before


def test_a_body_that_is_not_json_is_refused(client, okta):
    response = client.post(
        "/scim/v2/Users",
        data=b"\xff{",
        content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {okta[1]}",
    )
    assert (
        response.status_code == 400 and response.json()["scimType"] == "invalidSyntax"
    )


def test_paging_is_bounded_and_counts_everyone(scim, user_factory, contoso):
    for n in range(7):
        user_factory(email=f"p{n}@contoso.com", organization=contoso)

    first = scim("get", "Users?startIndex=1&count=3").json()
    last = scim("get", "Users?startIndex=7&count=3").json()
    huge = scim("get", "Users?startIndex=-5&count=100000").json()
    none = scim("get", "Users?count=0").json()

    assert (first["totalResults"], first["itemsPerPage"], first["startIndex"]) == (
        7,
        3,
        1,
    )
    assert last["itemsPerPage"] == 1
    assert huge["startIndex"] == 1 and huge["itemsPerPage"] == 7
    assert none["totalResults"] == 7 and none["Resources"] == []


def test_listing_runs_a_fixed_number_of_queries(scim, user_factory, contoso):
    from django.contrib.auth.models import Group

    learners = Group.objects.get(name=roles.LEARNERS)

    def count_queries():
        with CaptureQueriesContext(db_connection) as queries:
            assert scim("get", "Users?count=200").status_code == 200
            assert scim("get", "Groups").status_code == 200
        return len(queries)

    def grow(n, start):
        for i in range(start, start + n):
            person = user_factory(email=f"q{i}@contoso.com", organization=contoso)
            person.groups.add(learners)

    grow(3, 0)
    scim("get", "ServiceProviderConfig")  # notes the connection's last use
    small = count_queries()
    grow(30, 3)
    assert count_queries() == small


def test_discovery_endpoints_describe_the_service(scim):
    config = scim("get", "ServiceProviderConfig").json()
    assert config["patch"]["supported"] and config["filter"]["supported"]
    assert not config["bulk"]["supported"]
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    types = scim("get", "ResourceTypes").json()["Resources"]
    assert {t["id"] for t in types} == {"User", "Group"}
    schemas = {s["id"] for s in scim("get", "Schemas").json()["Resources"]}
    assert {USER, GROUP, ENTERPRISE} <= schemas


# --- the admin screen -------------------------------------------------------------------


def test_a_training_admin_creates_a_connection_sees_its_token_once_and_revokes_it(
    client, user_factory, contoso
):
    admin = user_factory(roles=[roles.TRAINING_ADMINS], is_staff=True)
    client.force_login(admin)

    page = client.post(
        "/admin/identity-providers/",
        {"name": "Entra – Contoso", "organization": contoso.pk},
    ).content.decode()

    connection = ProvisioningConnection.objects.get(name="Entra – Contoso")
    token = page.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert secret_digest(token) == connection.token_digest
    assert token not in client.get("/admin/identity-providers/").content.decode()
    client.logout()
    assert Scim(client, token)("get", "Users").status_code == 200

    client.force_login(admin)
    url = f"/admin/identity-providers/{connection.pk}/revoke/"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 404
    client.logout()
    assert Scim(client, token)("get", "Users").status_code == 401
    assert (
        AuditEvent.objects.filter(action__startswith="provisioning.connection").count()
        == 2
    )


def test_only_training_admins_manage_connections(client, user_factory):
    client.force_login(user_factory(is_staff=True, roles=[roles.MENTORS]))

    assert client.get("/admin/identity-providers/").status_code in (302, 403)
    assert client.post("/admin/identity-providers/", {"name": "x"}).status_code in (
        302,
        403,
    )
    assert not ProvisioningConnection.objects.exists()


def test_two_creations_of_one_address_racing_end_in_one_person_and_a_conflict(
    scim, contoso, monkeypatch
):
    """The other request writes between this one's check and its insert."""
    from people import services

    real = services.address_fits

    def the_other_request_wins(organization, email):
        User.objects.create_user(email=email, organization=organization)
        return real(organization, email)

    monkeypatch.setattr(services, "address_fits", the_other_request_wins)

    response = scim("post", "Users", okta_user("race@contoso.com"))

    assert response.status_code == 409
    assert response.json()["scimType"] == "uniqueness"
    assert User.objects.filter(email="race@contoso.com").count() == 1
    assert not AuditEvent.objects.filter(action="person.provision").exists()
