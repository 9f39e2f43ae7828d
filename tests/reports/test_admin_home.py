"""The admin home says what needs doing, with the same figures as the reports and
queues it links to; the sidebar is grouped."""

import csv
import html
import io
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import roles
from lms.loading import load_content
from reports import home
from tests.factories import UserFactory, make_bank, make_exam

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BASE = "/admin/training-reports/"


def csv_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


def figure(page: str, label: str) -> tuple[str, str]:
    """The number and details the home shows on the line ``label``."""
    match = re.search(
        re.escape(html.escape(html.unescape(label)))
        + r"</a></td>\s*<td>(?:<strong>)?(\w+)(?:</strong>)?</td>"
        r"\s*<td>([^<]*)</td>",
        page,
    )
    assert match, label
    return match.group(1), match.group(2).strip()


def test_the_home_figures_are_the_reports_figures_on_the_demo(client, settings):
    settings.DEBUG = True
    load_content(ROOT / "content")
    call_command("seed_demo")
    from accounts.models import User

    admin = User.objects.get(email="admin@example.com")
    client.force_login(admin)
    page = client.get("/admin/").content.decode()
    assert "What needs doing" in page
    today = timezone.localdate()

    expiring = csv_rows(client, f"{BASE}expiring/?within=30&export=csv")
    assert figure(page, "Certificates expiring within 30 days")[0] == str(len(expiring))

    week = f"period_from={today}&period_to={today + timedelta(days=6)}"
    classes = csv_rows(client, f"{BASE}classes/?{week}&export=csv")
    count, detail = figure(page, "Classes in the next 7 days")
    assert count == (str(len(classes)) if classes else "none")
    if classes:
        seats = sum(max(int(r["Seats"]) - int(r["Booked"]), 0) for r in classes)
        waiting = sum(int(r["Waitlist"]) for r in classes)
        assert detail == f"{seats} seats left, {waiting} on waiting lists"

    hires = csv_rows(client, f"{BASE}onboarding/?export=csv")
    column = next(h for h in hires[0] if "sign" in h.lower())
    signoffs = sum(int(row[column]) for row in hires)
    assert figure(page, "Supervised work waiting for a mentor&#x27;s sign-off")[0] == (
        str(signoffs) if signoffs else "none"
    )

    analyses = csv_rows(client, f"{BASE}item-analysis/?export=csv")
    flagged = sum(1 for row in analyses if int(row["Flagged questions"] or 0) > 0)
    assert figure(page, "Exams with questions flagged by item analysis")[0] == (
        str(flagged) if flagged else "none"
    )

    queue = client.get("/admin/grading/").content.decode()
    waiting = re.search(r"(\d+) waiting", queue).group(1)
    assert figure(page, "Practical work waiting for you to grade")[0] == (
        waiting if waiting != "0" else "none"
    )
    # The demo has something waiting in most lines.
    shown = [figure(page, item.label)[0] for item in home.waiting_work(admin)]
    assert sum(1 for value in shown if value != "none") >= 4, shown


def test_each_person_sees_only_what_they_can_act_on(client):
    examiner = UserFactory(roles=[roles.EXAMINERS])
    labels = [item.label for item in home.waiting_work(examiner)]
    assert labels == [
        "Practical work waiting for you to grade",
        "Exams with questions flagged by item analysis",
    ]
    admin = UserFactory(roles=[roles.TRAINING_ADMINS])
    assert len(home.waiting_work(admin)) == len(home.LINES)
    learner = UserFactory()
    assert home.waiting_work(learner) == []


def test_a_live_exam_short_of_questions_is_named_on_the_home(client):
    bank = make_bank(questions=4)
    exam = make_exam(bank=bank, count=4, title="Associate exam")
    admin = UserFactory(roles=[roles.TRAINING_ADMINS])
    item = next(i for i in home.waiting_work(admin) if "can't be started" in i.label)
    assert item.count == 0
    bank.questions.filter(key="q0").delete()
    item = next(i for i in home.waiting_work(admin) if "can't be started" in i.label)
    assert (item.count, item.detail) == (1, "Associate exam")
    assert item.url == f"/admin/pages/{exam.pk}/edit/"


def test_the_home_costs_the_same_however_much_waits(client):
    admin = UserFactory(roles=[roles.TRAINING_ADMINS])
    make_exam(bank=make_bank(questions=2), count=2, title="First exam")

    def count():
        with CaptureQueriesContext(connection) as queries:
            home.waiting_work(admin)
        return len(queries)

    count()  # permissions and content types, read once per process
    before = count()
    for n in range(3):
        make_exam(bank=make_bank(questions=2), count=2, title=f"Exam {n}")
    assert count() == before


def test_the_sidebar_is_grouped(client):
    client.force_login(UserFactory(roles=[roles.TRAINING_ADMINS]))
    page = client.get("/admin/").content.decode()
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', page, re.S)
    menu = json.loads(props.group(1))
    main = next(m for m in menu["modules"] if m["_type"].endswith("MainMenuModule"))
    top = {item["_args"][0]["name"]: item for item in main["_args"][0]}
    for group in ("learning", "assessment", "certification", "people"):
        assert group in top, group
    assert "question-banks" not in top  # an entry sits in its group
    assessment = [item["_args"][0]["name"] for item in top["assessment"]["_args"][1]]
    assert assessment[0] == "question-banks" and "grading-queue" in assessment
    learning = [item["_args"][0]["name"] for item in top["learning"]["_args"][1]]
    assert "cohorts" in learning and "bookings" in learning  # submenus opened


def test_the_demo_has_a_review_workflow_with_a_change_waiting(client, settings):
    """Course and bank changes go to a training admin's review; the demo has one
    waiting, shown on the home and in Wagtail's review screens."""
    from wagtail.models import WorkflowState

    from courses.models import CatalogPage, CoursePage
    from exams.models import QuestionBank

    settings.DEBUG = True
    load_content(ROOT / "content")
    call_command("seed_demo")
    call_command("seed_demo")  # a second run adds nothing
    catalog = CatalogPage.objects.get()
    assert catalog.get_workflow().name == "Course and question review"
    assert QuestionBank.objects.first().get_workflow() == catalog.get_workflow()
    course = CoursePage.objects.get(slug="fundamentals")
    assert course.workflow_in_progress and course.live
    assert WorkflowState.objects.active().count() == 1
    from accounts.models import User

    admin = User.objects.get(email="admin@example.com")
    client.force_login(admin)
    page = client.get("/admin/").content.decode()
    count, detail = figure(page, "Changes waiting for review")
    assert count == "1"
    assert "Awaiting your review" in page or "awaiting your review" in page.lower()
    # The learner still sees the live course, not the draft in review.
    assert "six short lessons" not in client.get(course.url).content.decode()
