"""Journeys 2, 4 and 5 in a real browser: a customer completes Fundamentals and
unlocks Advanced Administration; a hire works through onboarding week 1 and a
mentor signs off; a class fills, a waitlisted customer is promoted on a
cancellation. Every page on the way is audited for accessibility."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import roles
from classes.models import ClassSession
from exams.models import Attempt, AttemptStatus
from onboarding import services as onboarding_services
from tests.factories import (
    PASSWORD,
    choice_id,
    make_bank,
    make_course,
    make_exam,
    make_onboarding,
    site_tree,
)

from .conftest import audit, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_customer_completes_fundamentals_and_unlocks_advanced_administration(
    live_server, browse, user_factory, shoot
):
    _home, catalog, _paths = site_tree()
    fundamentals = make_course(
        catalog,
        title="Fundamentals",
        slug="fundamentals",
        code="MW-101",
        modules=2,
        requires_final_exam=True,
    )
    make_exam(
        fundamentals,
        bank=make_bank(questions=2, types=("single", "true_false")),
        count=2,
        questions_per_page=2,
        title="Fundamentals final quiz",
        slug="fundamentals-final",
    )
    make_course(
        catalog,
        title="Advanced Administration",
        slug="advanced-administration",
        code="MW-201",
        prerequisites=[fundamentals],
    )
    customer = user_factory(email="path.customer@example.org")

    _context, page = browse()
    sign_in(page, live_server.url, customer.email, PASSWORD)
    page.goto("/catalog/")
    audit(page)
    shoot(page, "1-catalog")
    advanced_card = page.locator("article", has_text="Advanced Administration")
    assert "Locked" in advanced_card.inner_text()
    assert "Requires Fundamentals" in advanced_card.inner_text()

    page.fill("input[type=search], input[name=q]", "Fundamentals")
    page.click("text=Show courses")
    page.click("h3 >> text=Fundamentals")
    page.wait_for_url("**/fundamentals/")
    audit(page)
    page.click("text=Enroll in this course")  # and on to the first module

    for step in (1, 2):
        page.wait_for_selector("h1")
        assert page.locator("h1").inner_text().endswith(f"lesson {step}")
        page.check("text=9443")
        page.click("text=Check my answer")
        expect(page.get_by_text("Correct.")).to_be_visible()
        audit(page)
        if step == 1:
            shoot(page, "2-module")
        page.click("button:has-text('Mark this lesson complete')")
    page.goto(fundamentals.url)
    expect(page.get_by_text("All lessons are done")).to_be_visible()
    audit(page)
    shoot(page, "3-awaiting-final-quiz")

    page.click("a.button:has-text('Go to Fundamentals final quiz')")
    page.click("text=Start the exam")
    page.wait_for_selector("#exam-form")
    served = Attempt.objects.get(status=AttemptStatus.IN_PROGRESS)
    page.check(f"#q1-{choice_id(served.served_questions([1])[0].snapshot, 'a')}")
    page.check("#q2-true")
    page.click("text=Review and submit")
    page.click("text=Submit my answers")
    expect(page.get_by_text("Passed")).to_be_visible()

    page.goto("/catalog/")
    advanced_card = page.locator("article", has_text="Advanced Administration")
    assert "Locked" not in advanced_card.inner_text()
    assert "Completed" in page.locator("article", has_text="MW-101").inner_text()
    shoot(page, "4-unlocked")
    page.click("h3 >> text=Advanced Administration")
    page.wait_for_url("**/advanced-administration/")
    expect(page.get_by_role("button", name="Enroll in this course")).to_be_visible()
    page.goto("/dashboard/")
    audit(page)


def test_a_hire_works_through_week_one_and_a_mentor_signs_off(
    live_server, browse, user_factory, shoot
):
    program = make_onboarding()
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    mentor = user_factory(
        email="mentor.browser@example.org", roles=[roles.MENTORS], first_name="Mia"
    )
    hire = user_factory(
        email="hire.browser@example.org",
        roles=[roles.SUPPORT_HIRES],
        first_name="Hal",
        last_name="Newman",
    )
    cohort = onboarding_services.create_cohort(
        name="This week's hires",
        program=program,
        start_date=timezone.localdate(),
        created_by=admin,
    )
    onboarding_services.add_hire(cohort=cohort, hire=hire, mentor=mentor)

    _context, page = browse()
    sign_in(page, live_server.url, hire.email, PASSWORD)
    page.click("nav >> text=Onboarding")
    week1 = page.locator("#week-1")
    assert "Open" in week1.inner_text()
    assert "opens on" in page.locator("#week-2").inner_text()
    audit(page)
    shoot(page, "1-week-one")
    week1.locator("li", has_text="Read week 1").get_by_role(
        "button", name="Mark done"
    ).click()
    expect(page.get_by_text("“Read week 1” is done.")).to_be_visible()
    week1 = page.locator("#week-1")
    week1.locator("li", has_text="Practice week 1").get_by_role(
        "button", name="Hand in for sign-off"
    ).click()
    expect(page.get_by_text("is with your mentor for sign-off")).to_be_visible()
    assert "Waiting for sign-off" in page.locator("#week-1").inner_text()
    audit(page)
    shoot(page, "2-handed-in")

    _mentor_context, mentor_page = browse()
    sign_in(mentor_page, live_server.url, mentor.email, PASSWORD)
    mentor_page.goto("/onboarding-tasks/mentor/")
    item = mentor_page.locator("article", has_text="Practice week 1")
    assert "Hal Newman" in item.inner_text()
    audit(mentor_page)
    shoot(mentor_page, "3-mentor-queue")
    item.get_by_role("button", name="Approve").click()
    expect(mentor_page.get_by_text("Signed off.")).to_be_visible()
    expect(mentor_page.get_by_text("Nothing is waiting for you.")).to_be_visible()
    audit(mentor_page)

    page.reload()
    assert "Signed off" in page.locator("#week-1").inner_text()
    shoot(page, "4-signed-off")


def test_a_full_class_waitlists_and_promotes_on_a_cancellation(
    live_server, browse, user_factory, shoot
):
    instructor = user_factory(roles=[roles.MENTORS])
    starts_at = timezone.now() + timedelta(days=10)
    session = ClassSession.objects.create(
        title="Fundamentals live class",
        topic="Fundamentals",
        instructor=instructor,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        time_zone="Europe/Berlin",
        capacity=1,
        meeting_url="https://meet.example.com/room",
        published=True,
    )
    first = user_factory(email="first.booker@example.org")
    second = user_factory(email="second.booker@example.org")

    _first_context, first_page = browse()
    sign_in(first_page, live_server.url, first.email, PASSWORD)
    first_page.goto("/classes/")
    audit(first_page)
    shoot(first_page, "1-classes")
    assert "1 seat left" in first_page.locator("li.card").inner_text()
    first_page.click("text=Fundamentals live class")
    first_page.click("button:has-text('Book a seat')")
    expect(first_page.get_by_text("You are booked on this class.")).to_be_visible()
    audit(first_page)
    shoot(first_page, "2-booked")

    _second_context, second_page = browse()
    sign_in(second_page, live_server.url, second.email, PASSWORD)
    second_page.goto(f"/classes/{session.pk}/")
    expect(second_page.get_by_text("Full", exact=True)).to_be_visible()
    second_page.click("button:has-text('Join the waitlist')")
    expect(
        second_page.get_by_text("You are number 1 on the waitlist.", exact=True)
    ).to_be_visible()
    audit(second_page)
    shoot(second_page, "3-waitlisted")

    first_page.click("button:has-text('Cancel my booking')")
    # The freed seat went straight to the waitlist: the class is full again.
    expect(first_page.get_by_role("button", name="Join the waitlist")).to_be_visible()

    second_page.reload()
    expect(second_page.get_by_text("You are booked on this class.")).to_be_visible()
    second_page.goto("/classes/")
    assert re.search(r"You are booked", second_page.locator("li.card").inner_text())
    shoot(second_page, "4-promoted")
