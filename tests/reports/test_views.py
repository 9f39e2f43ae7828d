"""The admin reports: who reaches them, what they show, what they export, and
that their query counts do not grow with the number of learners."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import roles
from accounts.models import User
from certificates.models import Certificate
from courses.models import Enrollment
from exams.models import Attempt
from reports import services
from tests.factories import UserFactory

from .conftest import NOW, REPORTS, TODAY

BASE = "/admin/training-reports/"


@pytest.fixture
def training_admin(db):
    return UserFactory(roles=[roles.TRAINING_ADMINS])


@pytest.fixture
def admin_client(client, training_admin):
    client.force_login(training_admin)
    return client


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(response) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.mark.parametrize("report", REPORTS)
def test_each_report_shows_figures_and_a_chart(admin_client, world, report):
    response = admin_client.get(f"{BASE}{report}/")
    assert response.status_code == 200
    assert b"<svg" in response.content
    assert b"Data table" in response.content
    assert admin_client.get(f"{BASE}{report}/results/").status_code == 200


def test_completion_page_and_exports_hold_the_same_rows(admin_client, world):
    url = f"{BASE}completion/?by=organization"
    page = admin_client.get(url)
    assert b"North" in page.content and b"75%" in page.content
    rows = read_csv(admin_client.get(url + "&export=csv"))
    assert rows[0][:2] == ["Name", "Enrolled"]
    assert [r[0] for r in rows[1:]] == ["North", "South"]
    assert rows[1][1:6] == ["4", "0", "1", "3", "0.75"]
    sheet = read_xlsx(admin_client.get(url + "&export=xlsx"))
    assert [r[0] for r in sheet[1:]] == ["North", "South"]
    assert sheet[1][5] == 0.75 and sheet[1][6] == 4


def test_exam_report_filters_by_organization(admin_client, world):
    url = f"{BASE}exams/?organization={world['north'].pk}&export=csv"
    rows = read_csv(admin_client.get(url))
    header, exam = rows[0], rows[1]
    assert exam[header.index("Graded")] == "4"
    assert exam[header.index("Pass rate")] == "0.5"
    assert exam[header.index("Awaiting grading")] == "0"


def test_expiring_certificates_export_names_the_reminders(admin_client, world):
    page = admin_client.get(f"{BASE}expiring/?within=90")
    assert world["expiring"].serial.encode() in page.content
    rows = read_csv(admin_client.get(f"{BASE}expiring/?within=90&export=csv"))
    assert len(rows) == 2
    assert rows[1][0] == world["expiring"].serial
    assert rows[1][-1].startswith("90 d")
    sheet = read_xlsx(admin_client.get(f"{BASE}expiring/?within=90&export=xlsx"))
    assert sheet[1][0] == world["expiring"].serial


def test_certification_export(admin_client, world):
    rows = read_csv(admin_client.get(f"{BASE}certification/?export=csv"))
    assert rows[1][0] == "Certified Associate"
    assert rows[1][1] == "3"  # current holders


@pytest.mark.parametrize(
    "role, allowed",
    [
        (roles.TRAINING_ADMINS, True),
        (roles.EXAMINERS, False),
        (roles.MENTORS, False),
        (roles.LEARNERS, False),
    ],
)
def test_only_training_admins_reach_the_reports(client, world, role, allowed):
    client.force_login(UserFactory(roles=[role]))
    for report in REPORTS:
        response = client.get(f"{BASE}{report}/")
        if allowed:
            assert response.status_code == 200
        else:
            assert response.status_code in (302, 403), report
            assert b"North" not in response.content


def test_an_organization_admin_cannot_open_the_admin_reports(client, world):
    client.force_login(
        UserFactory(organization=world["north"], is_organization_admin=True)
    )
    response = client.get(f"{BASE}completion/?organization={world['south'].pk}")
    assert response.status_code == 302
    assert client.get(f"{BASE}completion/?export=csv").status_code == 302


def test_superuser_reaches_the_reports(client, world):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(f"{BASE}completion/").status_code == 200


# --- item analysis -------------------------------------------------------------------


@pytest.fixture
def analysed_exam(world):
    from exams import services as exam_services
    from tests.factories import choice_id, correct_response, make_bank, make_exam

    exam = make_exam(title="Analysed exam", bank=make_bank(questions=3), count=3)
    for index, person in enumerate(world["north_people"] + world["south_people"]):
        attempt = exam_services.start_attempt(user=person, exam=exam)
        answers = {
            q.position: correct_response(q.snapshot)
            if q.position <= index % 4
            else {"choice": choice_id(q.snapshot, "b")}
            for q in attempt.served_questions()
        }
        exam_services.save_answers(attempt=attempt, sequence=1, answers=answers)
        exam_services.submit_attempt(attempt=attempt)
    services.refresh_item_analysis(exam_id=exam.pk)
    return exam


def test_examiners_see_item_analysis_with_links_to_edit(client, analysed_exam):
    client.force_login(UserFactory(roles=[roles.EXAMINERS]))
    index = client.get(f"{BASE}item-analysis/")
    assert index.status_code == 200 and b"Analysed exam" in index.content
    detail = client.get(f"{BASE}item-analysis/{analysed_exam.pk}/")
    assert detail.status_code == 200
    assert b"<svg" in detail.content
    assert b"/admin/snippets/exams/questionbank/edit/" in detail.content
    rows = read_csv(client.get(f"{BASE}item-analysis/{analysed_exam.pk}/?export=csv"))
    assert len(rows) == 4  # heading and three questions
    sheet = read_xlsx(
        client.get(f"{BASE}item-analysis/{analysed_exam.pk}/?export=xlsx")
    )
    assert [r[0] for r in sheet[1:]] == [r[0] for r in rows[1:]]
    assert client.get(f"{BASE}item-analysis/999999/").status_code == 404


def test_learners_do_not_see_item_analysis(client, analysed_exam):
    client.force_login(UserFactory(roles=[roles.LEARNERS]))
    response = client.get(f"{BASE}item-analysis/{analysed_exam.pk}/")
    assert response.status_code in (302, 403)


def test_refresh_is_queued_after_commit(
    client, analysed_exam, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(roles=[roles.EXAMINERS]))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            f"{BASE}item-analysis/refresh/", {"exam": analysed_exam.pk}
        )
    assert response.status_code == 302
    assert len(callbacks) == 1


def test_item_analysis_stores_the_figures(analysed_exam):
    from reports.models import ExamAnalysis

    analysis = ExamAnalysis.objects.get(exam=analysed_exam)
    assert analysis.attempts == 6
    questions = list(analysis.questions.order_by("label"))
    assert len(questions) == 3
    # Attempt i answers questions 1..(i % 4) right: six attempts, i = 0..5.
    # Question 1 is right in attempts 1, 2, 3, 5: facility 4/6.
    assert questions[0].facility == pytest.approx(4 / 6)
    assert questions[0].exposure == 6
    picked = {o["id"]: o["count"] for o in questions[0].options}
    assert picked == {"a": 4, "b": 2, "c": 0}


# --- query counts --------------------------------------------------------------------


def grow(world, count: int) -> None:
    """Add ``count`` learners of North with an enrolment, a graded attempt and a
    certificate each, in bulk."""
    start = User.objects.count()
    people = User.objects.bulk_create(
        [
            User(
                email=f"bulk{start + i}@example.org",
                last_name=f"Bulk{i}",
                organization=world["north"],
            )
            for i in range(count)
        ]
    )
    # Completed an hour after enrolling (enrolment is stamped on insert).
    completed = timezone.now() + timedelta(hours=1)
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                user=p,
                course=world["course"],
                completed_at=completed if i % 2 else None,
                last_activity_at=NOW,
            )
            for i, p in enumerate(people)
        ]
    )
    Attempt.objects.bulk_create(
        [
            Attempt(
                user=p,
                exam=world["exam"],
                number=1,
                status="graded",
                started_at=NOW - timedelta(minutes=30),
                deadline=NOW,
                cutoff=NOW,
                deadline_policy="auto_submit",
                pass_mark=Decimal(70),
                submitted_at=NOW,
                graded_at=NOW,
                percent=Decimal(i % 100),
                passed=i % 100 >= 70,
            )
            for i, p in enumerate(people)
        ]
    )
    Certificate.objects.bulk_create(
        [
            Certificate(
                serial=f"B-{start + i}",
                holder=p,
                holder_name="x",
                kind="certification",
                level=world["level"],
                title="x",
                issued_on=TODAY,
                expires_on=TODAY + timedelta(days=i % 120),
            )
            for i, p in enumerate(people)
        ]
    )


def query_counts(client, urls) -> dict[str, int]:
    counts = {}
    for url in urls:
        client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_learners(admin_client, world):
    urls = [f"{BASE}{report}/" for report in REPORTS]
    urls += [f"{BASE}{report}/?export=csv" for report in REPORTS]
    urls += [f"{BASE}completion/?by={by}" for by in ("path", "organization", "cohort")]
    urls += [f"{BASE}expiring/?within=365&export=xlsx", f"{BASE}item-analysis/"]
    grow(world, 10)
    small = query_counts(admin_client, urls)
    grow(world, 990)
    large = query_counts(admin_client, urls)
    assert large == small


def test_the_certification_rate_counts_the_same_people_above_and_below(
    admin_client, world
):
    from certificates.models import Certificate
    from reports import selectors as report_selectors
    from reports.selectors import Scope

    # Ten holders who never sat the exam here (imported or renewed elsewhere).
    for person in UserFactory.create_batch(10):
        Certificate.objects.create(
            holder=person,
            level=world["level"],
            serial=f"MWR-IMP-{person.pk}",
            holder_name=person.get_full_name(),
            title="Certified Associate",
            issued_on=TODAY,
        )
    (row,) = report_selectors.certification_rows(scope=Scope())
    assert row.certified <= row.candidates
    assert 0 <= row.certification_rate <= 1
    html = admin_client.get(f"{BASE}certification/").content.decode()
    assert "the share who hold or held its certificate" in html
