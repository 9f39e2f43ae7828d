"""A practical task in a real browser: a written answer typed just before a hand-in
is saved first, the file is handed in, the result page says it awaits grading, and
once an examiner grades it the candidate reads the score and the feedback. Each of
those pages passes the WCAG 2.2 AA audit, and the whole task (written answer, file
chooser, hand-in) can be done with the keyboard alone."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from accounts import roles
from exams import marking_services
from exams.models import Attempt, AttemptFile, AttemptStatus
from tests.factories import PASSWORD, make_practical_exam, rubric_levels, site_tree

from .conftest import audit, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def exam(transactional_db):
    site_tree()
    return make_practical_exam(theory=1, tasks=1, questions_per_page=5)


def test_typing_then_handing_in_a_file_loses_nothing(
    live_server, browser, exam, user_factory, shoot, tmp_path
):
    learner = user_factory(email="practical.learner@example.org")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, learner.email, PASSWORD)
    page.goto(live_server.url + exam.url)
    page.click("text=Start the exam")
    page.wait_for_selector("#exam-form")
    attempt = Attempt.objects.get(user=learner)
    (task,) = [q for q in attempt.served_questions() if q.qtype == "practical"]

    notes = tmp_path / "timeline.txt"
    notes.write_text("14:05 alert\n14:15 war room opened\n")
    # Type and hand in at once: the answer must be saved before the page leaves.
    page.fill(f"#q{task.position}-practical", "Port 9443 was closed on Saturday.")
    page.set_input_files(f"#hand-in-file-{task.position}", str(notes))
    page.click(f"button[form=upload-{task.position}]")
    page.locator(".message", has_text="is handed in").wait_for(timeout=10_000)
    shoot(page, "handed-in")
    audit(page)  # the task, its hand-in controls and the file list: WCAG 2.2 AA

    assert page.input_value(f"#q{task.position}-practical") == (
        "Port 9443 was closed on Saturday."
    )
    record = AttemptFile.objects.get()
    assert record.original_name == "timeline.txt"
    assert page.get_by_role("link", name="timeline.txt").is_visible()

    page.click("button[value=submit]")
    page.click("text=Submit my answers")
    page.wait_for_url(re.compile(r"/result/$"))
    assert page.get_by_role("heading", name="Awaiting grading").is_visible()
    shoot(page, "awaiting-grading")
    audit(page)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED
    task = attempt.served_questions([task.position])[0]
    assert task.response == {"text": "Port 9443 was closed on Saturday."}

    examiner = user_factory(email="examiner.b@example.org", roles=[roles.EXAMINERS])
    marking_services.submit_marking(
        marking_id=attempt.markings.get().pk,
        examiner=examiner,
        levels=rubric_levels(attempt, 0),
        feedback="You checked the port before anything else.",
    )
    page.reload()
    expect(
        page.get_by_text("You checked the port before anything else.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Your score: 50%")).to_be_visible()
    shoot(page, "graded-with-feedback")
    audit(page)
    context.close()


def choose_file_with_the_keyboard(page, path) -> None:
    """Space on the focused file input opens the browser's file chooser. On a busy
    machine Chromium now and then drops that first activation, so a key press
    that opened nothing is repeated, a few times at most."""
    for _ in range(3):
        try:
            with page.expect_file_chooser(timeout=5_000) as chooser:
                page.keyboard.press("Space")
        except PlaywrightTimeoutError:
            continue
        chooser.value.set_files(str(path))
        return
    raise AssertionError("Space on the file input never opened the file chooser")


def test_a_practical_task_is_done_with_the_keyboard_alone(
    live_server, browser, exam, user_factory, tmp_path
):
    from .test_exam_journey import tab_to

    learner = user_factory(email="keyboard.practical@example.org")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, learner.email, PASSWORD)
    page.goto(live_server.url + exam.url)
    tab_to(page, "button:has-text('Start the exam')")
    page.keyboard.press("Enter")
    page.wait_for_selector("#exam-form")
    attempt = Attempt.objects.get(user=learner)
    (task,) = [q for q in attempt.served_questions() if q.qtype == "practical"]
    notes = tmp_path / "notes.txt"
    notes.write_text("Checked port 9443 first.\n")

    tab_to(page, f"#q{task.position}-practical", limit=60)
    page.keyboard.type("Handshake timeouts point at the firewall.")
    tab_to(page, f"#hand-in-file-{task.position}")
    choose_file_with_the_keyboard(page, notes)
    tab_to(page, f"button[form=upload-{task.position}]")
    page.keyboard.press("Enter")
    expect(page.locator(".message", has_text="is handed in")).to_be_visible()
    assert page.input_value(f"#q{task.position}-practical") == (
        "Handshake timeouts point at the firewall."
    )
    assert AttemptFile.objects.get().original_name == "notes.txt"
    context.close()
