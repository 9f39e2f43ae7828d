"""xAPI statements sent to a real LRS (Ralph's, on 127.0.0.1) and read back
over its own API: a learner's journey arrives as registered, experienced,
completed, passed/failed with the score, attended and earned; a store that is
down or refuses the credentials is retried; a statement it rejects is given up
with its reason; nothing leaves for a rolled-back change; an organisation's
store hears only about its people."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.models import Organization
from classes import services as class_services
from courses import services as course_services
from exams import services as exam_services
from tests.factories import (
    make_course,
    make_exam,
    make_level,
    modules_of,
    pass_exam,
    study_module,
)
from tests.xapi.lrs import PASSWORD, USERNAME, Lrs
from webhooks.api import retry
from xapi import sending, statements, tasks
from xapi.models import RecordStore, Statement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _short_timeout(settings):
    settings.XAPI_TIMEOUT_SECONDS = 2


def store_for(server, **fields) -> RecordStore:
    defaults = {
        "name": "Company LRS",
        "endpoint": server.endpoint,
        "username": USERNAME,
        "password": PASSWORD,
    }
    return RecordStore.objects.create(**{**defaults, **fields})


def verbs(stored) -> list[str]:
    return sorted(s["verb"]["display"]["en-US"] for s in stored)


def later(**delta):
    return time_machine.travel(timezone.now() + timedelta(**delta), tick=True)


def test_a_learners_journey_arrives_in_the_lrs(
    lrs, user_factory, make_session, instructor, django_capture_on_commit_callbacks
):
    store_for(lrs)
    learner = user_factory(email="ana@example.com", first_name="Ana", last_name="Lee")
    course = make_course(title="Gateway basics")
    exam = make_exam(count=2, title="Associate exam")
    make_level(exams=[exam], title="Certified Associate")
    hard = make_exam(count=2, title="Expert theory")
    session = make_session()
    booking, _created = class_services.book_session(session=session, user=learner)
    session.starts_at = timezone.now() - timedelta(hours=1)  # the class took place
    session.save()

    with django_capture_on_commit_callbacks(execute=True):
        course_services.enroll(user=learner, course=course)
    for module in modules_of(course):
        with django_capture_on_commit_callbacks(execute=True):
            study_module(user=learner, module=module)
    pass_exam(learner, exam)
    with django_capture_on_commit_callbacks(execute=True):
        failed = exam_services.start_attempt(user=learner, exam=hard)
        exam_services.submit_attempt(attempt=failed)
    with django_capture_on_commit_callbacks(execute=True):
        class_services.mark_attendance(
            session=session, marks={booking.pk: "attended"}, acting_user=instructor
        )

    stored = lrs.statements("ana@example.com")
    assert verbs(stored) == [
        "attended",
        "completed",
        "earned",
        "experienced",
        "experienced",
        "failed",
        "passed",
        "registered",
    ]
    assert set(Statement.objects.values_list("status", flat=True)) == {"delivered"}
    assert {s["id"] for s in stored} == {
        str(i) for i in Statement.objects.values_list("statement_id", flat=True)
    }
    by_verb = {s["verb"]["display"]["en-US"]: s for s in stored}
    assert by_verb["passed"]["result"]["score"]["scaled"] == 1.0
    assert by_verb["passed"]["result"]["success"] is True
    assert (
        by_verb["passed"]["object"]["definition"]["name"]["en-US"] == "Associate exam"
    )
    assert by_verb["failed"]["result"]["score"]["raw"] == 0
    assert by_verb["failed"]["result"]["success"] is False
    assert by_verb["registered"]["object"]["definition"]["name"]["en-US"] == (
        "Gateway basics"
    )
    experienced = by_verb["experienced"]
    assert (
        experienced["context"]["contextActivities"]["parent"][0]["id"]
        == (by_verb["registered"]["object"]["id"])
    )
    earned = by_verb["earned"]
    assert earned["object"]["id"].endswith("/")
    assert "/verify/" in earned["object"]["id"]
    assert stored[0]["actor"]["name"] == "Ana Lee"
    # The answers of an exam never travel.
    assert "answers" not in str(by_verb["passed"]) and "choices" not in str(stored)


def test_a_lesson_is_experienced_once_however_often_it_is_completed(
    lrs, learner, django_capture_on_commit_callbacks
):
    store_for(lrs)
    course = make_course(modules=1)
    [module] = modules_of(course)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.enroll(user=learner, course=course)
        course_services.enroll(user=learner, course=course)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            study_module(user=learner, module=module)

    assert verbs(lrs.statements(learner.email)) == [
        "completed",
        "experienced",
        "registered",
    ]


def test_an_organisations_store_hears_only_about_its_people(
    lrs, user_factory, django_capture_on_commit_callbacks
):
    northwind = Organization.objects.create(name="Northwind", slug="northwind")
    other = Organization.objects.create(name="Contoso", slug="contoso")
    store_for(lrs, organization=northwind)
    ours = user_factory(email="ours@northwind.example", organization=northwind)
    theirs = user_factory(email="theirs@contoso.example", organization=other)
    staff = user_factory(email="staff@example.com")
    course = make_course()

    for person in (ours, theirs, staff):
        with django_capture_on_commit_callbacks(execute=True):
            course_services.enroll(user=person, course=course)

    assert Statement.objects.get().person == ours
    assert len(lrs.statements(ours.email)) == 1
    assert lrs.statements(theirs.email) == [] and lrs.statements(staff.email) == []


def test_a_rolled_back_change_sends_nothing(
    lrs, learner, django_capture_on_commit_callbacks
):
    store_for(lrs)
    course = make_course()

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            course_services.enroll(user=learner, course=course)
            raise RuntimeError("the rest of the change failed")

    assert not Statement.objects.exists()
    assert lrs.statements(learner.email) == []


def test_a_store_that_is_down_is_retried_until_it_takes_the_statement_once(
    tmp_path, learner, django_capture_on_commit_callbacks
):
    server = Lrs(tmp_path / "lrs")  # not started yet: connection refused
    store_for(server)
    course = make_course()

    with django_capture_on_commit_callbacks(execute=True):
        course_services.enroll(user=learner, course=course)
    row = Statement.objects.get()
    assert row.status == retry.DeliveryStatus.RETRYING
    assert row.last_status_code is None and "ConnectionError" in row.last_error
    assert tasks.send_due() == 0  # not due for another 5 seconds

    server.start()
    try:
        with later(seconds=6):
            assert tasks.send_due() == 1
        row.refresh_from_db()
        assert row.status == retry.DeliveryStatus.DELIVERED and row.attempts == 2
        assert row.last_status_code == 204

        # Sent again (the admin's "send again", or a worker that lost the answer):
        # the same statement id, stored once.
        with django_capture_on_commit_callbacks(execute=True):
            sending.resend(row)
        row.refresh_from_db()
        assert row.status == retry.DeliveryStatus.DELIVERED and row.attempts == 3
        [stored] = server.statements(learner.email)
        assert stored["id"] == str(row.statement_id)
    finally:
        server.stop()


def test_wrong_credentials_are_retried_and_a_rejected_statement_is_given_up(
    lrs, learner, django_capture_on_commit_callbacks
):
    store = store_for(lrs, password="not-the-secret")
    course = make_course()
    with django_capture_on_commit_callbacks(execute=True):
        course_services.enroll(user=learner, course=course)
    row = Statement.objects.get()
    assert row.status == retry.DeliveryStatus.RETRYING
    assert row.last_status_code in (401, 403)

    store.password = PASSWORD
    store.save()
    with later(seconds=6):
        tasks.send_due()
    row.refresh_from_db()
    assert row.status == retry.DeliveryStatus.DELIVERED

    # A statement the LRS cannot accept (no actor): no retry can change that.
    broken = {k: v for k, v in row.body.items() if k != "actor"}
    broken["id"] = "6f1c1d55-25c4-4d6a-9f43-1c0f1b3f0b7e"
    rejected = Statement.objects.create(
        store=store,
        statement_id=broken["id"],
        verb="registered",
        person=learner,
        body=broken,
        next_attempt_at=timezone.now(),
        retry_until=timezone.now() + timedelta(hours=24),
    )
    sending.attempt(rejected.pk)
    rejected.refresh_from_db()
    assert rejected.status == retry.DeliveryStatus.GAVE_UP
    assert rejected.last_status_code in (400, 422) and rejected.attempts == 1
    assert rejected.last_error  # the LRS's reason, for the log
    assert len(lrs.statements(learner.email)) == 1


def test_statements_are_given_up_after_24_hours(
    tmp_path, learner, django_capture_on_commit_callbacks
):
    store_for(Lrs(tmp_path / "lrs"))  # never started
    with django_capture_on_commit_callbacks(execute=True):
        course_services.enroll(user=learner, course=make_course())
    for hours in (1, 3, 6, 12, 20, 25):
        with later(hours=hours):
            tasks.send_due()
    row = Statement.objects.get()
    assert row.status == retry.DeliveryStatus.GAVE_UP and row.next_attempt_at is None


def queue_once(learner) -> list[int]:
    return sending.queue(
        verb="registered",
        user=learner,
        about=lambda: sending.About(
            activity=statements.Activity(
                iri="https://academy.example/c/", kind="course", title="C"
            ),
            timestamp=timezone.now(),
        ),
    )


def test_without_a_store_nothing_is_queued(learner, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert queue_once(learner) == []
    assert not Statement.objects.exists()


def test_queueing_costs_the_same_for_one_store_or_five(
    learner, django_assert_max_num_queries
):
    RecordStore.objects.create(
        name="one", endpoint="http://127.0.0.1:9/xAPI/", username="u", password="p"
    )
    with django_assert_max_num_queries(2):
        queue_once(learner)
    for n in range(4):
        RecordStore.objects.create(
            name=f"more {n}",
            endpoint="http://127.0.0.1:9/xAPI/",
            username="u",
            password="p",
        )
    with django_assert_max_num_queries(2):
        queue_once(learner)
    assert Statement.objects.count() == 6


# --- the statement itself (pure) ------------------------------------------------------


def test_a_score_is_scaled_and_kept_within_0_and_100():
    body = statements.statement(
        verb="passed",
        person=statements.Person(email="a@example.com", name="A"),
        activity=statements.Activity(
            iri="https://academy.example/exams/a/", kind="assessment", title="A"
        ),
        timestamp=timezone.now(),
        score=statements.Score(percent=82.5, passed=True),
    )
    assert body["result"]["score"] == {
        "scaled": 0.825,
        "raw": 82.5,
        "min": 0,
        "max": 100,
    }
    assert body["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert body["object"]["definition"]["type"] == (
        "http://adlnet.gov/expapi/activities/assessment"
    )
    assert (
        body["version"] == "1.0.3" and body["actor"]["mbox"] == "mailto:a@example.com"
    )
    over = statements.Score(percent=120, passed=True).as_result()
    assert over["score"]["scaled"] == 1.0


# --- the admin's screens --------------------------------------------------------------


@pytest.fixture
def admin(user_factory):
    return user_factory(roles=[roles.TRAINING_ADMINS])


def test_the_secret_is_write_only_and_kept_when_left_empty(client, admin):
    client.force_login(admin)
    response = client.post(
        "/admin/xapi_stores/new/",
        {
            "name": "Our LRS",
            "endpoint": "http://127.0.0.1:8100/xAPI/",
            "username": "academy",
            "password": "s3cret-value",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    store = RecordStore.objects.get()
    assert store.password == "s3cret-value"

    edit = client.get(f"/admin/xapi_stores/edit/{store.pk}/")
    assert edit.status_code == 200 and "s3cret-value" not in edit.content.decode()

    client.post(
        f"/admin/xapi_stores/edit/{store.pk}/",
        {
            "name": "Our LRS (renamed)",
            "endpoint": "http://127.0.0.1:8100/xAPI/",
            "username": "academy",
            "password": "",
            "active": "on",
        },
    )
    store.refresh_from_db()
    assert store.name == "Our LRS (renamed)" and store.password == "s3cret-value"


def test_a_store_needs_https_outside_development(client, admin, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    client.force_login(admin)
    response = client.post(
        "/admin/xapi_stores/new/",
        {
            "name": "Plain",
            "endpoint": "http://lrs.example/xAPI/",
            "username": "u",
            "password": "p",
            "active": "on",
        },
    )
    assert response.status_code == 200 and "HTTPS" in response.content.decode()
    assert not RecordStore.objects.exists()


def test_the_statement_log_lists_and_sends_again_for_training_admins_only(
    client, admin, learner, django_capture_on_commit_callbacks
):
    store = RecordStore.objects.create(
        name="Down", endpoint="http://127.0.0.1:9/xAPI/", username="u", password="p"
    )
    with django_capture_on_commit_callbacks(execute=True):
        course_services.enroll(user=learner, course=make_course(title="Basics"))
    row = Statement.objects.get(store=store)

    client.force_login(learner)
    assert client.get("/admin/xapi-statements/").status_code in (302, 403)
    assert client.post(f"/admin/xapi-statements/{row.pk}/resend/").status_code in (
        302,
        403,
    )
    row.refresh_from_db()
    assert row.attempts == 1

    client.force_login(admin)
    page = client.get("/admin/xapi-statements/").content.decode()
    assert learner.email in page and "registered" in page and "Basics" in page
    assert "Retrying" in page
    delivered = client.get("/admin/xapi-statements/?status=delivered")
    assert learner.email not in delivered.content.decode()
    assert client.get(f"/admin/xapi-statements/{row.pk}/resend/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/xapi-statements/{row.pk}/resend/")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.attempts == 2
    assert client.post("/admin/xapi-statements/999999/resend/").status_code == 404
