"""A customer organization admin sees their own people's figures, and nothing of
another organization's or of internal staff, by any URL or filter."""

import csv
import io

import openpyxl
import pytest

from tests.factories import UserFactory

URL = "/organization/"


@pytest.fixture
def north_admin(world):
    return UserFactory(
        organization=world["north"], is_organization_admin=True, last_name="Boss"
    )


def test_org_admin_sees_own_figures(client, world, north_admin):
    client.force_login(north_admin)
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Gateway basics" in content and "75%" in content
    assert "<svg" in content
    assert "North0" in content
    assert "South" not in content and "Staff" not in content


def test_people_export_holds_only_own_people(client, world, north_admin):
    client.force_login(north_admin)
    text = b"".join(client.get(URL + "?export=csv").streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    emails = {row[1] for row in rows[1:]}
    assert emails == {p.email for p in world["north_people"]} | {north_admin.email}
    response = client.get(URL + "?export=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet_emails = {
        row[1] for row in book.active.iter_rows(min_row=2, values_only=True)
    }
    assert sheet_emails == emails


def test_another_organizations_person_is_not_found(client, world, north_admin):
    client.force_login(north_admin)
    own = world["north_people"][0]
    assert client.get(f"{URL}people/{own.pk}/").status_code == 200
    for other in [world["south_people"][0], world["staff"]]:
        response = client.get(f"{URL}people/{other.pk}/")
        assert response.status_code == 404
        assert other.last_name.encode() not in response.content


@pytest.mark.parametrize(
    "query",
    ["?organization={south}", "?user={south_person}", "?org={south}&export=csv"],
)
def test_tampered_filters_are_refused(client, world, north_admin, query):
    client.force_login(north_admin)
    url = URL + query.format(
        south=world["south"].pk, south_person=world["south_people"][0].pk
    )
    response = client.get(url)
    assert response.status_code == 403
    assert b"South" not in response.content


def test_unknown_course_filter_is_not_found(client, world, north_admin):
    client.force_login(north_admin)
    assert client.get(URL + "?course=999999").status_code == 404
    assert client.get(URL + f"?course={world['course'].pk}").status_code == 200


def test_people_who_are_not_organization_admins_are_refused(client, world):
    client.force_login(world["north_people"][0])
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


def test_dashboard_shows_the_learners_own_figures(client, world):
    client.force_login(world["north_people"][1])
    response = client.get("/dashboard/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Valid certificates" in content
    assert "Renew your certificate before" in content


def test_the_course_filter_offers_no_internal_staff_course(client, world, north_admin):
    from courses.models import Audience
    from tests.factories import make_course

    internal = make_course(title="Escalation desk internals", modules=1)
    internal.audience = Audience.INTERNAL
    internal.save_revision().publish()
    client.force_login(north_admin)
    html = client.get(URL).content.decode()
    assert "Gateway basics" in html
    assert "Escalation desk internals" not in html
    # Asking for it by id shows nothing of it either.
    response = client.get(f"{URL}?course={internal.pk}")
    assert response.status_code == 404
    assert "Escalation desk internals" not in response.content.decode()
