"""The REST API: OAuth2 client credentials and personal access tokens, scopes,
an organisation's client seeing only its organisation, certificates (list,
filters, revoke through the service), public verification, cursor pages, ETags,
problem details, idempotency keys, rate limits and fixed query counts."""

import base64
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import Application

from accounts import roles
from accounts.models import AuditEvent, Organization
from api.models import ApiClient, PersonalAccessToken
from certificates.models import Certificate
from tests.factories import make_certificate, make_exam, make_level, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def northwind():
    return Organization.objects.create(name="Northwind", slug="northwind")


@pytest.fixture
def fabrikam():
    return Organization.objects.create(name="Fabrikam", slug="fabrikam")


@pytest.fixture
def admin(user_factory):
    return user_factory(roles=[roles.TRAINING_ADMINS], email="admin@academy.example")


@pytest.fixture
def level(db):
    site_tree()
    return make_level(exams=[make_exam(count=2)], code="associate", title="Associate")


def certify(holder, level, *, expires_on, cycle=1):
    return make_certificate(holder, level, expires_on=expires_on, cycle=cycle)


def make_client(owner, organization=None, scopes="certificates:read people:read"):
    application = Application.objects.create(
        name="Support desk",
        user=owner,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret="s3cret-s3cret-s3cret",
        hash_client_secret=True,
    )
    ApiClient.objects.create(
        application=application, organization=organization, scopes=scopes
    )
    return application.client_id, "s3cret-s3cret-s3cret"


def token_for(client, client_id, secret, scope="certificates:read"):
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    response = client.post(
        "/api/oauth/token/",
        {"grant_type": "client_credentials", "scope": scope},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    return response


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def get_token(client, *args, **kwargs):
    response = token_for(client, *args, **kwargs)
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def test_a_support_tool_asks_whether_a_customer_is_certified_and_until_when(
    client, admin, northwind, level, user_factory
):
    customer = user_factory(email="customer@example.com", organization=northwind)
    valid = certify(customer, level, expires_on=date.today() + timedelta(days=200))
    token = get_token(client, *make_client(admin))

    response = client.get(
        "/api/v1/certificates/?holder_email=Customer@Example.com&state=valid",
        **bearer(token),
    )

    assert response.status_code == 200
    [item] = response.json()["results"]
    assert item["serial"] == valid.serial and item["state"] == "valid"
    assert item["expires_on"] == valid.expires_on.isoformat()
    assert item["holder"]["email"] == "customer@example.com"
    assert item["verification_url"].endswith(f"/verify/{valid.verification_code}/")


def test_states_filter_as_the_verify_page_counts_them(
    client, admin, northwind, level, user_factory
):
    people = [user_factory(organization=northwind) for _ in range(3)]
    certify(people[0], level, expires_on=date.today() + timedelta(days=30))  # expiring
    certify(people[1], level, expires_on=date.today() - timedelta(days=1))  # expired
    revoked = certify(people[2], level, expires_on=None)
    revoked.revoked_at = timezone.now()
    revoked.save()
    token = get_token(client, *make_client(admin))

    def states(query):
        response = client.get(f"/api/v1/certificates/?{query}", **bearer(token))
        return sorted(c["state"] for c in response.json()["results"])

    assert states("") == ["expired", "revoked", "valid"]
    assert states("state=expiring") == ["valid"]
    assert states("state=expired") == ["expired"]
    assert states("state=revoked") == ["revoked"]
    bad = client.get("/api/v1/certificates/?state=shiny", **bearer(token))
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert bad.json()["errors"]["state"]


def test_an_organisations_client_never_sees_another_organisation(
    client, admin, northwind, fabrikam, level, user_factory
):
    ours = user_factory(organization=northwind)
    theirs = user_factory(organization=fabrikam)
    certify(ours, level, expires_on=None)
    foreign = certify(theirs, level, expires_on=None)
    token = get_token(
        client,
        *make_client(admin, northwind, "certificates:read people:read"),
        scope="certificates:read people:read",
    )

    people = client.get("/api/v1/people/", **bearer(token)).json()["results"]
    certificates = client.get("/api/v1/certificates/", **bearer(token)).json()[
        "results"
    ]
    organizations = client.get("/api/v1/organizations/", **bearer(token)).json()[
        "results"
    ]

    assert [p["id"] for p in people] == [ours.pk]
    assert [c["holder"]["id"] for c in certificates] == [ours.pk]
    assert [o["id"] for o in organizations] == [northwind.pk]
    for url in (
        f"/api/v1/people/{theirs.pk}/",
        f"/api/v1/certificates/{foreign.serial}/",
        f"/api/v1/organizations/{fabrikam.pk}/",
        "/api/v1/people/999999/",
        "/api/v1/people/abc/",
    ):
        response = client.get(url, **bearer(token))
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"


def test_scopes_are_enforced_for_the_token_and_the_client(client, admin, northwind):
    client_id, secret = make_client(admin, scopes="certificates:read")

    refused = token_for(client, client_id, secret, scope="people:read")
    assert refused.status_code in (400, 401)
    token = get_token(client, client_id, secret, scope="certificates:read")
    response = client.get("/api/v1/people/", **bearer(token))
    assert response.status_code == 403
    assert response.json()["title"] == "Forbidden"


def test_no_token_a_bad_one_or_a_revoked_client_is_refused(client, admin):
    from oauth2_provider.models import AccessToken

    client_id, secret = make_client(admin)
    token = get_token(client, client_id, secret)
    stored = AccessToken.objects.get()
    assert token not in (stored.token, getattr(stored, "token_checksum", ""))
    assert client.get("/api/v1/certificates/").status_code == 401
    assert client.get("/api/v1/certificates/", **bearer("nope")).status_code == 401
    assert (
        client.get("/api/v1/certificates/", **bearer("lmspat_nope")).status_code == 401
    )

    ApiClient.objects.update(revoked_at=timezone.now())

    assert client.get("/api/v1/certificates/", **bearer(token)).status_code == 401
    assert token_for(client, client_id, secret).status_code in (400, 401)


def test_revoking_goes_through_the_service_with_its_rules_and_audit(
    client, admin, northwind, level, user_factory
):
    holder = user_factory(organization=northwind)
    certificate = certify(holder, level, expires_on=None)
    token = get_token(
        client,
        *make_client(admin, scopes="certificates:read certificates:write"),
        scope="certificates:read certificates:write",
    )
    url = f"/api/v1/certificates/{certificate.serial}/revoke/"

    assert (
        client.post(
            url, {}, content_type="application/json", **bearer(token)
        ).status_code
        == 400
    )
    first = client.post(
        url,
        {"reason": "Exam leaked"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
        **bearer(token),
    )
    again = client.post(
        url,
        {"reason": "Exam leaked"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
        **bearer(token),
    )
    other = client.post(
        url,
        {"reason": "Something else"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
        **bearer(token),
    )

    assert first.status_code == 200 and first.json()["state"] == "revoked"
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert other.status_code == 422
    event = AuditEvent.objects.get(action="certificates.certificate.revoke")
    assert event.actor == admin and event.reason == "Exam leaked"

    # A client made by someone who may not revoke cannot either.
    mentor = user_factory(roles=[roles.MENTORS])
    weak = get_token(
        client,
        *make_client(mentor, scopes="certificates:write"),
        scope="certificates:write",
    )
    fresh = certify(user_factory(), level, expires_on=None, cycle=2)
    refused = client.post(
        f"/api/v1/certificates/{fresh.serial}/revoke/",
        {"reason": "x"},
        content_type="application/json",
        **bearer(weak),
    )
    assert refused.status_code == 403
    assert Certificate.objects.get(pk=fresh.pk).revoked_at is None


def test_personal_access_tokens_act_as_their_person(
    client, user_factory, northwind, level
):
    learner = user_factory(organization=northwind)
    someone = user_factory(organization=northwind)
    certify(learner, level, expires_on=None)
    certify(someone, level, expires_on=None)
    token = PersonalAccessToken(
        user=learner,
        name="script",
        scopes="certificates:read",
        expires_at=timezone.now() + timedelta(days=30),
    )
    secret = token.issue()
    token.save()

    mine = client.get("/api/v1/certificates/", **bearer(secret)).json()["results"]
    assert [c["holder"]["id"] for c in mine] == [learner.pk]

    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    assert client.get("/api/v1/certificates/", **bearer(secret)).status_code == 401


def test_the_token_page_shows_a_new_token_once_and_revokes(client, learner):
    client.force_login(learner)
    page = client.post(
        "/api/tokens/",
        {"name": "My script", "scopes": ["certificates:read"], "days": 30},
    ).content.decode()
    secret = page.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("lmspat_")
    assert secret not in client.get("/api/tokens/").content.decode()
    client.logout()
    assert client.get("/api/v1/certificates/", **bearer(secret)).status_code == 200

    client.force_login(learner)
    token = PersonalAccessToken.objects.get()
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    client.logout()
    assert client.get("/api/v1/certificates/", **bearer(secret)).status_code == 401


def test_an_organisation_admin_makes_clients_for_their_organisation_only(
    client, user_factory, northwind, fabrikam
):
    boss = user_factory(organization=northwind, is_organization_admin=True)
    client.force_login(boss)

    page = client.post(
        "/api/clients/",
        {"name": "CRM", "organization": fabrikam.pk, "scopes": ["people:read"]},
    )
    assert page.status_code == 200 and not ApiClient.objects.exists()  # not offered
    page = client.post(
        "/api/clients/",
        {"name": "CRM", "organization": northwind.pk, "scopes": ["people:read"]},
    ).content.decode()
    assert "Copy the secret now" in page
    assert ApiClient.objects.get().organization == northwind

    client.force_login(user_factory())
    assert client.get("/api/clients/").status_code == 403


def test_verification_is_public_and_rate_limited(client, level, user_factory):
    certificate = certify(user_factory(), level, expires_on=None)

    response = client.get(f"/api/v1/verify/{certificate.verification_code}/")
    assert response.status_code == 200 and response.json()["valid"] is True
    assert client.get("/api/v1/verify/unknown-code-123/").status_code == 404
    for _ in range(70):
        last = client.get(f"/api/v1/verify/{certificate.verification_code}/")
    assert last.status_code == 429 and int(last["Retry-After"]) > 0


def test_etags_answer_304_when_nothing_changed(client, admin, level, user_factory):
    certify(user_factory(), level, expires_on=None)
    token = get_token(client, *make_client(admin))

    first = client.get("/api/v1/certificates/", **bearer(token))
    again = client.get(
        "/api/v1/certificates/", HTTP_IF_NONE_MATCH=first["ETag"], **bearer(token)
    )

    assert first["ETag"] and again.status_code == 304


def test_cursor_pages_and_updated_since(client, admin, level, user_factory):
    for _n in range(5):
        certify(user_factory(), level, expires_on=None)
    token = get_token(client, *make_client(admin))

    page = client.get("/api/v1/certificates/?page_size=2", **bearer(token)).json()
    seen = [c["serial"] for c in page["results"]]
    while page["next"]:
        page = client.get(
            page["next"].replace("http://testserver", ""), **bearer(token)
        ).json()
        seen += [c["serial"] for c in page["results"]]
    assert len(seen) == 5 == len(set(seen))

    future = (timezone.now() + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    later = client.get(
        "/api/v1/certificates/", {"updated_since": future}, **bearer(token)
    )
    assert later.json()["results"] == []
    bad = client.get(
        "/api/v1/certificates/", {"updated_since": "yesterday"}, **bearer(token)
    )
    assert bad.status_code == 400
    # An offset PostgreSQL cannot store is read in UTC, not passed on.
    odd = client.get(
        "/api/v1/certificates/",
        {"updated_since": "2026-12-01T09:10:49-20:56"},
        **bearer(token),
    )
    assert odd.status_code == 200 and len(odd.json()["results"]) == 5
    edge = client.get(
        "/api/v1/certificates/",
        {"updated_since": "9999-12-31T23:59:59-23:59"},
        **bearer(token),
    )
    assert edge.status_code == 400


def test_list_query_counts_do_not_grow(client, admin, level, user_factory):
    token = get_token(
        client,
        *make_client(admin, scopes="certificates:read people:read"),
        scope="certificates:read people:read",
    )

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get("/api/v1/certificates/", **bearer(token)).status_code == 200
            )
            assert client.get("/api/v1/people/", **bearer(token)).status_code == 200
        return len(queries)

    certify(user_factory(), level, expires_on=None)
    small = count()
    for _n in range(20):
        certify(user_factory(), level, expires_on=None)
    assert count() == small


def test_the_schema_and_the_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/certificates/" in document["paths"]
    flows = document["components"]["securitySchemes"]["oauth2"]["flows"]
    assert "certificates:read" in flows["clientCredentials"]["scopes"]
    docs = client.get("/api/docs/").content.decode()
    assert "swagger" in docs.lower() and "cdn" not in docs.lower()
    assert "//" not in "".join(
        src
        for src in __import__("re").findall(r'src="([^"]+)"', docs)
        if src.startswith("http")
    )
