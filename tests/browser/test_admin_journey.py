"""Journey 6: a training admin builds a course with two lessons and an exam in the
Wagtail admin, publishes it, and a learner finds it in the catalog. The admin's
pages are Wagtail's own and are not audited; the learner's are."""

import re

import pytest
from playwright.sync_api import expect

from accounts import roles
from tests.factories import PASSWORD, make_bank, site_tree

from .conftest import audit, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def publish(page, slug: str) -> None:
    """Set the address on the Promote tab, then Wagtail's footer: open the action
    menu, press Publish, wait for the page list."""
    page.get_by_role("tab", name="Promote").click()
    page.fill("input[name=slug]", slug)
    page.get_by_role("tab", name="Content").click()
    page.locator(
        "footer .dropdown-toggle, footer [data-w-dropdown-target=toggle]"
    ).first.click()
    page.click("button[name=action-publish]")
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    expect(page.get_by_text("published", exact=False).first).to_be_visible()


def save_draft(page, slug: str) -> None:
    """Set the address, then "Save draft" (the footer's main button)."""
    page.get_by_role("tab", name="Promote").click()
    page.fill("input[name=slug]", slug)
    page.get_by_role("tab", name="Content").click()
    page.locator("footer button[type=submit]:not([name])").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))


def add_child(page, parent_id: int, page_type: str | None) -> None:
    page.goto(f"/admin/pages/{parent_id}/")
    page.get_by_role("link", name=re.compile("Add child page")).first.click()
    if page_type:
        page.locator("main").get_by_role(
            "link", name=re.compile(rf"^\s*{page_type}\b", re.I)
        ).first.click()
    page.wait_for_selector("input[name=title]")


def test_an_admin_builds_and_publishes_a_course_and_a_learner_finds_it(
    live_server, browse, user_factory, shoot
):
    _home, catalog, _paths = site_tree()
    bank = make_bank(questions=3)
    admin = user_factory(
        email="course.author@example.org", roles=[roles.TRAINING_ADMINS]
    )
    learner = user_factory(email="curious.learner@example.org")

    _context, page = browse()
    # Wagtail autosaves a page being written every half second; while the form is
    # still incomplete its answer is a 400 listing the missing fields (shown in the
    # form, not an error). Publishing below must still succeed.
    browse.guard.allow(r"status of 400 .*/admin/pages/(add/[\w/]+|\d+/edit)/\)")
    sign_in(page, live_server.url, admin.email, PASSWORD)

    add_child(page, catalog.pk, None)
    page.fill("input[name=title]", "Incident Response Basics")
    page.fill("input[name=code]", "MW-150")
    page.fill("input[name=duration_hours]", "3")
    page.fill("input[name=summary]", "Detect, contain and resolve an incident.")
    shoot(page, "1-new-course")
    # A course is published once it has a published lesson: a draft first.
    save_draft(page, "incident-response")
    from courses.models import CoursePage

    course = CoursePage.objects.get(title="Incident Response Basics")

    for number in (1, 2):
        add_child(page, course.pk, "lesson")
        page.fill("input[name=title]", f"Incident step {number}")
        page.fill("input[name=summary]", f"Step {number} of handling an incident.")
        publish(page, f"step-{number}")
    page.goto(f"/admin/pages/{course.pk}/edit/")
    page.wait_for_selector("input[name=title]")
    publish(page, "incident-response")

    add_child(page, course.pk, "exam")
    page.fill("input[name=title]", "Incident Response final quiz")
    page.fill("input[name=sections-0-title]", "Everything")
    page.fill("input[name=sections-0-count]", "3")
    page.click("#id_sections-0-bank-chooser .chooser__choose-button")
    page.locator(".modal").get_by_role("link", name=bank.title).click()
    page.locator("#id_sections-0-bank-title", has_text=bank.title).wait_for()
    shoot(page, "2-new-exam")
    publish(page, "final-quiz")

    _learner_context, learner_page = browse()
    sign_in(learner_page, live_server.url, learner.email, PASSWORD)
    learner_page.goto("/catalog/")
    learner_page.click("h3 >> text=Incident Response Basics")
    learner_page.wait_for_url("**/incident-response/")
    expect(learner_page.get_by_text("2 lessons")).to_be_visible()
    expect(learner_page.get_by_role("link", name="Incident step 2")).to_be_visible()
    expect(
        learner_page.get_by_role("link", name="Incident Response final quiz")
    ).to_be_visible()
    audit(learner_page)
    shoot(learner_page, "3-learner-sees-it")
