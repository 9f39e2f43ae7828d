"""The demo `make run` serves has something true to show for the newer tours:
assigned training (a manager with one report overdue and escalated, a hire with
assigned items, compliance figures) and the people import's sample file, whose
deliberate problems the preview reports."""

import base64
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import OutboundEmail, User
from lms.loading import load_content
from people.importing import preview

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_demo_shows_a_team_an_overdue_person_and_assigned_items(client, settings):
    settings.DEBUG = True
    load_content(ROOT / "content")
    call_command("seed_demo")
    out = io.StringIO()
    call_command("seed_demo", stdout=out)  # idempotent: nothing assigned twice

    # The printed SCIM token provisions Northwind Logistics' people, as in the README.
    token = re.search(r"shown this once: (scim_\S+)", out.getvalue()).group(1)
    people = client.get(
        '/scim/v2/Users?filter=userName eq "customer@example.com"',
        HTTP_AUTHORIZATION=f"Bearer {token}",
    ).json()
    assert people["totalResults"] == 1
    assert people["Resources"][0]["userName"] == "customer@example.com"

    # The README's three curl lines: a token, then "is this customer certified?".
    client_id, secret = re.search(
        r"CLIENT_ID=(\S+) CLIENT_SECRET=(\S+)", out.getvalue()
    ).groups()
    token = client.post(
        "/api/oauth/token/",
        {"grant_type": "client_credentials", "scope": "certificates:read"},
        HTTP_AUTHORIZATION="Basic "
        + base64.b64encode(f"{client_id}:{secret}".encode()).decode(),
    ).json()["access_token"]
    from certificates.models import Certificate

    def valid_for(email):
        return client.get(
            "/api/v1/certificates/",
            {"holder_email": email, "state": "valid"},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        ).json()["results"]

    customer_holds = Certificate.objects.valid_on().filter(
        holder__email="customer@example.com"
    )
    assert sorted(c["serial"] for c in valid_for("customer@example.com")) == sorted(
        customer_holds.values_list("serial", flat=True)
    )  # the demo customer is still on the way to Associate: none yet
    holder = Certificate.objects.valid_on().filter(kind="certification").first().holder
    [held] = [c for c in valid_for(holder.email) if c["kind"] == "certification"]
    assert held["state"] == "valid" and held["expires_on"]

    manager = User.objects.get(email="manager@example.com")
    client.force_login(manager)
    team = text(client.get("/team/"))
    assert "Harper Lee" in team and "Goran Petrovic" in team
    assert team.count("overdue by") == 1
    assert "overdue by 10 days" in team
    digest = OutboundEmail.objects.get(to=[manager.email])
    assert "Overdue training: 1 person" in digest.subject
    assert "Goran Petrovic" in digest.body_text

    client.force_login(User.objects.get(email="hire@example.com"))
    dashboard = text(client.get("/dashboard/"))
    assert "Assigned to you" in dashboard
    assert "Support Engineer Foundations" in dashboard
    assert re.search(r"Due in \d+ days", dashboard)

    client.force_login(User.objects.get(email="admin@example.com"))
    report = client.get("/admin/training-reports/compliance/")
    assert report.status_code == 200
    assert b"<svg" in report.content and b" %" in report.content

    sample = (ROOT / "content" / "demo" / "people.csv").read_bytes()
    plan = preview(sample, "people.csv")
    assert [(p.line, p.column) for p in plan.problems] == [
        (6, "E-mail"),  # a name with an unquoted semicolon: the row does not match
        (7, "Organisation"),  # Initech is not a customer here
        (8, "Manager's e-mail"),  # nobody@example.com
        (9, "Start date"),  # 31/02/2027
    ]
    # The demo customer is matched by e-mail and gets his time zone and language.
    assert plan.created == 5 and plan.updated == 1
