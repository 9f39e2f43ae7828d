"""An exam in a real browser: autosave survives closing it, and the sweep grades
what was saved once the deadline passes with no browser open."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exams import services
from exams.models import Attempt, AttemptStatus
from tests.factories import PASSWORD, make_bank, make_exam, site_tree

from .conftest import sign_in

SAVED = re.compile(r"^Saved$")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def exam(transactional_db):
    site_tree()
    bank = make_bank(questions=6, types=("single", "short_answer"))
    return make_exam(bank=bank, count=4, questions_per_page=4, time_limit_minutes=30)


def test_answers_survive_closing_the_browser_and_the_sweep_grades_them(
    live_server, browser, exam, user_factory, shoot
):
    learner = user_factory(email="browser.learner@example.org")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, learner.email, PASSWORD)
    page.goto(live_server.url + exam.url)
    page.click("text=Start the exam")
    page.wait_for_selector("#exam-form")
    # The deferred script replaces the server-rendered "30 min" with a clock.
    # Polled by Playwright from outside the page: the site's CSP forbids eval.
    expect(page.locator("#timer")).to_contain_text(":")
    assert page.locator("#timer").inner_text().startswith(("29:", "30:"))

    attempt = Attempt.objects.get(user=learner)
    served = attempt.served_questions()
    single = next(q for q in served if q.qtype == "single")
    short = next(q for q in served if q.qtype == "short_answer")
    right_choice = single.snapshot["key"]["correct"][0]
    assert page.locator("#answered-count").inner_text() == "0"
    page.check(f"#q{single.position}-{right_choice}")
    page.locator("#save-status", has_text=SAVED).wait_for(timeout=10_000)
    # The counter follows the saved answers, without a reload.
    expect(page.locator("#answered-count")).to_have_text("1")
    page.fill(f"#q{short.position}-text", "QT-001")
    expect(page.locator("#answered-count")).to_have_text("2", timeout=10_000)
    page.locator("#save-status", has_text=SAVED).wait_for(timeout=10_000)
    shoot(page, "saved")
    context.close()  # the learner's browser is gone

    again = browser.new_context()
    page = again.new_page()
    sign_in(page, live_server.url, learner.email, PASSWORD)
    page.goto(live_server.url + f"/exams/attempts/{attempt.public_id}/")
    assert page.is_checked(f"#q{single.position}-{right_choice}")
    assert page.input_value(f"#q{short.position}-text") == "QT-001"
    shoot(page, "after-sign-in-again")
    again.close()

    # The deadline passes with nobody watching; the minute-by-minute sweep runs.
    past = timezone.now() - timedelta(seconds=1)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=past, cutoff=past)
    assert services.close_overdue_attempts() == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.auto_submitted
    assert attempt.points == 2


def test_the_count_adds_this_page_to_the_answers_on_other_pages(
    live_server, browser, user_factory
):
    site_tree()
    bank = make_bank(questions=4, types=("short_answer",))
    exam = make_exam(bank=bank, count=4, questions_per_page=2)
    learner = user_factory(email="two.pages@example.org")
    attempt = services.start_attempt(user=learner, exam=exam)
    services.save_answers(attempt=attempt, sequence=1, answers={3: {"text": "p2"}})
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server.url, learner.email, PASSWORD)
    page.goto(live_server.url + f"/exams/attempts/{attempt.public_id}/?page=1")
    expect(page.locator("#answered-count")).to_have_text("1")  # on page 2
    page.fill("#q1-text", "first")
    expect(page.locator("#answered-count")).to_have_text("2", timeout=10_000)
    page.fill("#q2-text", "second")
    expect(page.locator("#answered-count")).to_have_text("3", timeout=10_000)
    page.fill("#q1-text", "")
    expect(page.locator("#answered-count")).to_have_text("2", timeout=10_000)
    page.locator("#save-status", has_text=SAVED).wait_for(timeout=10_000)
    context.close()
