"""Importing people from real-world files: loose headers, Excel's CSV and XLSX,
bad rows with line and column, all or nothing, re-runs that change nothing."""

import io
from datetime import date

import openpyxl
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from accounts.models import Organization, User
from assignments.models import PersonAssignment
from onboarding.models import Cohort, CohortMember
from people.importing import ImportOptions, apply, preview
from people.importing.applying import ImportRefused
from tests.factories import make_course, make_onboarding, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(user_factory):
    return user_factory(email="admin@example.org", roles=[roles.TRAINING_ADMINS])


@pytest.fixture
def world(db):
    Organization.objects.create(name="Northwind Logistics", slug="northwind")
    for name in (roles.LEARNERS, roles.SUPPORT_HIRES):
        Group.objects.get_or_create(name=name)


def csv_bytes(text: str, *, bom=False, encoding="utf-8") -> bytes:
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def problems(plan) -> list[tuple[int, str]]:
    return [(p.line, p.column) for p in plan.problems]


def test_headers_match_loosely_and_unknown_ones_are_listed(world):
    plan = preview(
        csv_bytes(
            "E-mail,First name,last_name,ORGANISATION,Work phone\n"
            "ann@example.org,Ann,Lee,Northwind Logistics,555\n"
        ),
        "people.csv",
    )

    assert plan.ok and plan.created == 1
    assert plan.people[0].values["organization"] == "Northwind Logistics"
    assert plan.unknown_headers == ["Work phone"]


def test_an_unknown_header_can_be_mapped_by_hand(world):
    data = csv_bytes("Employee mail;Given\nann@example.org;Ann\n")

    without = preview(data, "people.csv")
    mapped = preview(
        data,
        "people.csv",
        ImportOptions(mapping={"Employee mail": "email", "Given": "first_name"}),
    )

    assert problems(without) == [(1, "E-mail")]
    assert mapped.ok and mapped.people[0].values["first_name"] == "Ann"


def test_excel_csv_with_bom_semicolons_quotes_line_breaks_and_blank_rows(world):
    data = csv_bytes(
        "Email;First Name;Last Name;Organization\r\n"
        '"ann@example.org";"Ann; Marie";"Lee\r\nSmith";Northwind Logistics\r\n'
        ";;;\r\n;;;\r\n",
        bom=True,
    )

    plan = preview(data, "people.csv")

    assert plan.ok and plan.created == 1
    assert plan.people[0].values["first_name"] == "Ann; Marie"
    assert plan.people[0].values["last_name"] == "Lee\r\nSmith"


def test_an_xlsx_file_with_a_date_cell(world, admin):
    from tests.factories import make_onboarding as onboarding

    Cohort.objects.create(
        name="January", program=onboarding(), start_date=date(2027, 1, 4)
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Email", "First name", "Cohort", "Start date", "Mentor"])
    sheet.append(["hire@example.org", "Hal", "January", date(2027, 1, 11), admin.email])
    buffer = io.BytesIO()
    book.save(buffer)

    apply(buffer.getvalue(), "people.xlsx", ImportOptions(), actor=admin)

    member = CohortMember.objects.get(hire__email="hire@example.org")
    assert member.start_date == date(2027, 1, 11) and member.mentor == admin


def test_capitals_and_spaces_in_e_mails_match_the_existing_person(world, user_factory):
    user_factory(email="Ann.Lee@Example.org", first_name="Ann", last_name="Lee")

    plan = preview(
        csv_bytes("email,first name,last name\n  ANN.LEE@example.ORG ,Ann,Lee\n"),
        "p.csv",
    )

    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 1)


def test_duplicate_rows_are_ignored_and_conflicting_ones_reported(world):
    plan = preview(
        csv_bytes(
            "email,first name\n"
            "ann@example.org,Ann\n"
            "ann@example.org,Ann\n"
            "bob@example.org,Bob\n"
            "BOB@example.org,Robert\n"
        ),
        "p.csv",
    )

    assert plan.duplicates == [(3, 2)]
    assert problems(plan) == [(5, "E-mail")]
    assert "line 4" in plan.problems[0].message


def test_every_problem_has_its_line_and_column(world):
    plan = preview(
        csv_bytes(
            "email,organisation,manager,roles,time zone,language,start date,assignments\n"
            "not-an-email,,,,,,,\n"
            "a@example.org,Globex,,,,,,\n"
            "b@example.org,,nobody@example.org,,,,,\n"
            "c@example.org,,,Wizards,,,,\n"
            "d@example.org,,,,Mars/Olympus,,,\n"
            "e@example.org,,,,,xx,,\n"
            "f@example.org,,,,,,31/31/2027,\n"
            "g@example.org,,,,,,,No such course\n"
            ",,,,,,,\n"
            "h@example.org,,h@example.org,,,,,\n"
        ),
        "p.csv",
    )

    assert problems(plan) == [
        (2, "E-mail"),
        (3, "Organisation"),
        (4, "Manager's e-mail"),
        (5, "Roles"),
        (6, "Time zone"),
        (7, "Language"),
        (8, "Start date"),
        (9, "Assignments"),
        (11, "Manager's e-mail"),
    ]
    assert "Create missing organisations" in plan.problems[1].message
    assert "Support hires" in plan.problems[3].message  # lists the real roles


def test_unknown_organisations_are_created_when_asked(world, admin):
    data = csv_bytes("email,company\nann@example.org,Globex Corporation\n")

    apply(data, "p.csv", ImportOptions(create_organizations=True), actor=admin)

    assert User.objects.get(email="ann@example.org").organization.name == (
        "Globex Corporation"
    )


def test_a_manager_later_in_the_file_is_fine_and_a_loop_is_refused(world, admin):
    apply(
        csv_bytes(
            "email,manager\nann@example.org,boss@example.org\nboss@example.org,\n"
        ),
        "p.csv",
        ImportOptions(),
        actor=admin,
    )
    assert User.objects.get(email="ann@example.org").manager.email == "boss@example.org"

    looped = preview(
        csv_bytes("email,manager\nboss@example.org,ann@example.org\n"), "p.csv"
    )
    assert problems(looped) == [(2, "Manager's e-mail")]
    assert "loop" in looped.problems[0].message


def test_a_problem_anywhere_writes_nothing(world, admin):
    data = csv_bytes("email,first name\nann@example.org,Ann\nbroken,Bob\n")

    with pytest.raises(ImportRefused):
        apply(data, "p.csv", ImportOptions(), actor=admin)

    assert not User.objects.filter(email="ann@example.org").exists()


def test_preview_writes_nothing_and_a_second_run_changes_nothing(world, admin):
    site_tree()
    make_course(title="Security awareness", slug="security-awareness")
    data = csv_bytes(
        "email,first name,last name,organisation,roles,assignments,time zone\n"
        "ann@example.org,Ann,Lee,Northwind Logistics,Learners,security-awareness,"
        "Europe/Berlin\n"
        "bob@example.org,Bob,Ray,,learners;support hires,Security Awareness,\n"
    )

    first_preview = preview(data, "p.csv")
    assert (
        first_preview.created == 2
        and not User.objects.filter(
            email__in=["ann@example.org", "bob@example.org"]
        ).exists()
    )

    apply(data, "p.csv", ImportOptions(), actor=admin)
    second = preview(data, "p.csv")

    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    ann = User.objects.get(email="ann@example.org")
    assert ann.time_zone == "Europe/Berlin" and ann.organization.name.startswith(
        "North"
    )
    assert set(
        User.objects.get(email="bob@example.org").groups.values_list("name", flat=True)
    ) == {
        roles.LEARNERS,
        roles.SUPPORT_HIRES,
    }
    assert PersonAssignment.objects.count() == 2
    assert EmailAddress.objects.filter(email="ann@example.org", verified=True).exists()
    apply(data, "p.csv", ImportOptions(), actor=admin)
    assert PersonAssignment.objects.count() == 2


def test_an_update_changes_only_what_the_file_says(world, admin, user_factory):
    user_factory(
        email="ann@example.org", first_name="Ann", last_name="Lee", time_zone="UTC"
    )

    plan = apply(
        csv_bytes(
            "email,first name,last name,time zone\nann@example.org,Anne,,Asia/Tokyo\n"
        ),
        "p.csv",
        ImportOptions(),
        actor=admin,
    )

    ann = User.objects.get(email="ann@example.org")
    assert plan.updated == 1 and plan.people[0].changes == ["first_name", "time_zone"]
    assert (ann.first_name, ann.last_name, ann.time_zone) == (
        "Anne",
        "Lee",
        "Asia/Tokyo",
    )


def test_a_hire_in_a_cohort_needs_a_mentor(world):
    Cohort.objects.create(
        name="March", program=make_onboarding(), start_date=date(2027, 3, 1)
    )

    plan = preview(csv_bytes("email,cohort\nhal@example.org,March\n"), "p.csv")

    assert problems(plan) == [(2, "Cohort")]


def test_new_people_are_invited_with_a_working_set_password_link(
    world, admin, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        apply(
            csv_bytes("email,first name\nann@example.org,Ann\n"),
            "p.csv",
            ImportOptions(send_invitations=True),
            actor=admin,
        )

    [invitation] = [m for m in mail.outbox if m.to == ["ann@example.org"]]
    link = next(
        word for word in invitation.body.split() if "/password/reset/key/" in word
    )
    response = client.get(link.replace("http://testserver", ""), follow=True)
    assert response.status_code == 200
    assert b'name="password1"' in response.content


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "p.csv", "empty"),
        (b"\x00\x01\x02", "p.csv", "not a CSV"),
        (b"PK\x03\x04garbage", "p.xlsx", "not an Excel workbook"),
        (b"email\nann@example.org\n", "p.pdf", ".csv or .xlsx"),
        (b"email\n\xff\xfe\x00", "p.csv", "not a CSV"),
    ],
)
def test_unreadable_files_get_a_clear_message(world, data, name, message):
    plan = preview(data, name)

    assert not plan.ok and message in plan.problems[0].message


def test_preview_reads_in_a_fixed_number_of_queries(world, user_factory):
    def rows(n):
        lines = "".join(
            f"p{i}@example.org,P{i},Northwind Logistics,learners,p{i + 1}@example.org\n"
            for i in range(n)
        )
        return csv_bytes("email,first name,organisation,roles,manager\n" + lines)

    for i in range(60):
        user_factory(email=f"p{i}@example.org")
    preview(rows(1), "p.csv")  # warms the per-process caches (content types)
    with CaptureQueriesContext(connection) as few:
        preview(rows(5), "p.csv")
    with CaptureQueriesContext(connection) as many:
        preview(rows(50), "p.csv")

    assert len(many) == len(few)


def test_the_command_previews_and_applies_as_a_training_admin(world, admin, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("email,first name\nann@example.org,Ann\n")

    call_command("import_people", str(path), "--as", admin.email)
    assert not User.objects.filter(email="ann@example.org").exists()
    call_command("import_people", str(path), "--as", admin.email, "--apply")
    assert User.objects.filter(email="ann@example.org").exists()
    with pytest.raises(CommandError, match="not an active training admin"):
        call_command("import_people", str(path), "--as", "ann@example.org")
