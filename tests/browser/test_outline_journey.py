"""A training admin builds a course with two lessons and a three-question exam from
the course outline alone: no page tree, no question-bank menu. Then publishing a
new bank while the editor's autosave is busy makes exactly one bank."""

import re

import pytest
from django.db import connection
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from accounts import roles
from exams.models import Attempt
from tests.factories import PASSWORD, site_tree

from .conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OUTLINE = re.compile(r"/admin/courses/\d+/outline/(#.*)?$")


def press_publish(page, where=None) -> None:
    """Wagtail's footer: open the action menu, press Publish (``where``: the
    frame the editor is in, if not the page itself)."""
    where = where or page
    where.locator(
        "footer .dropdown-toggle, footer [data-w-dropdown-target=toggle]"
    ).first.click()
    where.locator("button[name=action-publish]").click()


def write_question(page, index: int, text: str, true: bool, where=None) -> None:
    """Add a true/false question to the bank's editor (the Nth question)."""
    where = where or page
    where.get_by_role("button", name=re.compile(r"^Add question", re.I)).last.click()
    stem = where.locator(
        f"#panel-child-question-{index}-child-stem-wrapper [contenteditable=true]"
    ).first
    stem.click()
    expect(stem).to_be_focused()
    page.keyboard.type(text)
    expect(stem).to_contain_text(text)
    # The editor copies its text into the form 250 ms after the last keystroke: a
    # Publish pressed sooner (a script is that quick) would send the stem empty.
    expect(where.locator(f"input[name=questions-{index}-stem]")).to_have_value(
        re.compile(re.escape(text))
    )
    where.locator(f"#questions-{index}-answer-root button.c-sf-add-button").click()
    where.get_by_role("option", name="True / false").first.click()
    box = where.locator(f"#questions-{index}-answer-root input[type=checkbox]").first
    expect(box).to_be_visible()
    expect(box).not_to_be_checked()
    if true:
        # The new block's scripts may still be setting it up as the first click
        # lands (Playwright then reports the box unchanged): tick it again, as a
        # person would, and check that it took.
        for _attempt in range(3):
            try:
                box.check(timeout=3000)
                break
            except PlaywrightError:
                page.wait_for_timeout(250)
        expect(box).to_be_checked()


STATEMENTS = {
    "Contain before you eradicate.": True,
    "Evidence may be wiped before it is copied.": False,
    "Lessons learned come after recovery.": True,
    "Scope the incident before containing it.": True,
}


def test_a_course_two_lessons_and_an_exam_from_the_outline_alone(
    live_server, browse, user_factory, shoot, settings
):
    # The test server shares one SQLite connection between its threads, so an
    # autosave still running when Publish is pressed can interleave the two
    # requests' transactions (a test-server artefact, not the application's).
    # On PostgreSQL each request has its own connection: the editors autosave
    # there, as they do for a real author. Autosave's race has its own test.
    if connection.vendor == "sqlite":
        settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    site_tree()
    admin = user_factory(
        email="outline.author@example.org", roles=[roles.TRAINING_ADMINS]
    )
    learner = user_factory(email="outline.learner@example.org")
    _context, page = browse()
    browse.guard.allow(r"status of 400 .*/admin/(pages|snippets)/")
    sign_in(page, live_server.url, admin.email, PASSWORD)

    page.goto("/admin/courses/")
    page.fill("#id_course_title", "Incident Response Basics")
    page.get_by_role("button", name="Create the course").click()
    page.wait_for_url(OUTLINE)
    outline = page.url
    expect(page.get_by_text("This course has no lessons yet")).to_be_visible()

    for number in (1, 2):
        page.fill("#id_new_title", f"Incident step {number}")
        page.get_by_role("button", name="Add lesson").click()
        page.wait_for_selector("input[name=summary]")
        page.fill("input[name=summary]", f"Step {number} of handling an incident.")
        press_publish(page)
        page.wait_for_url(OUTLINE)

    page.fill("#id_new_title", "Incident Response final quiz")
    page.get_by_role("button", name=re.compile("Add exam", re.I)).click()
    page.wait_for_selector("input[name=title]")
    page.goto(outline)
    expect(page.get_by_text("The exam draws no questions")).to_be_visible()
    page.get_by_role("button", name="Create a question bank for this exam").click()
    page.wait_for_url(re.compile(r"/admin/snippets/exams/questionbank/edit/\d+/"))
    for index, (text, true) in enumerate(list(STATEMENTS.items())[:3]):
        write_question(page, index, text, true)
    # Each rich-text editor is named after its field (screen readers say which).
    expect(page.get_by_role("textbox", name=re.compile(r"^Question"))).to_have_count(3)
    expect(page.get_by_role("textbox", name="Explanation")).to_have_count(3)
    press_publish(page)
    page.wait_for_url(OUTLINE)

    # The exam still draws 0: set 3 in its editor, opened from the outline.
    page.get_by_role("link", name="Incident Response final quiz", exact=True).click()
    page.fill("input[name=sections-0-count]", "4")
    press_publish(page)
    expect(page.get_by_text("draws 4 questions, but only 3")).to_be_visible()
    page.fill("input[name=sections-0-count]", "3")
    press_publish(page)
    page.wait_for_url(OUTLINE)
    expect(
        page.get_by_text("1 section, draws 3 of 3 eligible questions")
    ).to_be_visible()

    page.get_by_role("link", name="Edit the course").click()
    page.wait_for_selector("input[name=summary]")
    press_publish(page)
    page.wait_for_url(OUTLINE)
    expect(page.get_by_text("2 published lessons")).to_be_visible()
    shoot(page, "outline-built")

    # A fourth question, written in a dialog over the outline.
    page.get_by_role(
        "link", name="Add a question to “Incident Response final quiz questions”"
    ).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    frame = page.frame_locator("#outline-dialog iframe")
    write_question(page, 3, "Scope the incident before containing it.", True, frame)
    shoot(page, "outline-dialog")
    press_publish(page, frame)
    expect(dialog).to_be_hidden()
    expect(
        page.get_by_text("1 section, draws 3 of 4 eligible questions")
    ).to_be_visible()

    # Tried as a learner would take it: graded, and no attempt is kept.
    page.get_by_role("link", name="Try this exam").click()
    expect(page.get_by_text("does not count as an attempt")).to_be_visible()
    questions = page.locator("fieldset.question")
    expect(questions).to_have_count(3)
    for index in range(3):
        question = questions.nth(index)
        stem = question.locator(".question__stem").inner_text().strip()
        answer = "True" if STATEMENTS[stem] else "False"
        question.get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Grade my answers").click()
    expect(page.get_by_role("heading", name="Score: 100%")).to_be_visible()
    expect(page.get_by_text("✔ A pass")).to_be_visible()
    shoot(page, "exam-tried")
    assert not Attempt.objects.exists()
    page.get_by_role("link", name="← Back to editing").click()
    page.wait_for_url(OUTLINE)

    _learner_context, learner_page = browse()
    sign_in(learner_page, live_server.url, learner.email, PASSWORD)
    learner_page.goto("/catalog/")
    learner_page.click("h3 >> text=Incident Response Basics")
    expect(learner_page.get_by_role("link", name="Incident step 2")).to_be_visible()
    expect(
        learner_page.get_by_role("link", name="Incident Response final quiz")
    ).to_be_visible()


def test_a_new_bank_publishes_once_whatever_the_autosave_does(
    live_server, browse, user_factory
):
    """The cause: an autosave of the create form creates the bank, and a Publish
    pressed before its answer comes back posts to the create address again. A
    new bank's editor does not autosave, and an autosave-style request to the
    create address (an editor loaded before, a script) is refused: here one
    reaches the server just after Publish."""
    from exams.models import QuestionBank

    admin = user_factory(email="bank.author@example.org", roles=[roles.TRAINING_ADMINS])
    _context, page = browse()
    browse.guard.allow(r"status of 400 .*/admin/snippets/")
    autosaves = []
    page.on(
        "request",
        lambda r: (
            "json" in (r.headers.get("accept") or "")
            and r.method == "POST"
            and autosaves.append(r.url)
        ),
    )
    sign_in(page, live_server.url, admin.email, PASSWORD)
    page.goto("/admin/snippets/exams/questionbank/add/")
    page.fill("input[name=title]", "Networking basics")
    write_question(page, 0, "Port 443 carries HTTPS by default.", True)
    page.wait_for_timeout(1500)  # three times the editor's autosave interval
    assert autosaves == []  # the create form sent none
    # What the autosave would have sent, taken from the form as it stands...
    fields = page.evaluate(
        """() => Object.fromEntries(
            new FormData(document.querySelector("form[data-edit-form]"))
        )"""
    )
    press_publish(page)
    page.wait_for_url(re.compile(r"/admin/snippets/exams/questionbank/(\?.*)?$"))
    # ...arriving after the Publish (the order that made the twin).
    late = page.context.request.post(
        f"{live_server.url}/admin/snippets/exams/questionbank/add/",
        form=fields,
        headers={"Accept": "application/json"},
    )
    assert late.status == 400
    assert late.json()["error_code"] == "not_saved_until_created"
    assert list(QuestionBank.objects.values_list("title", "live")) == [
        ("Networking basics", True)
    ]
    assert QuestionBank.objects.get().questions.count() == 1
