"""Assigned training in a real browser: a manager assigns a course with a due date
from the team view, the learner finds it on top of the dashboard and completes it,
and the team view turns green. Every page on the way is audited."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_course, modules_of, site_tree

from .conftest import audit, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_manager_assigns_a_course_and_the_team_view_turns_green(
    live_server, browse, user_factory, shoot
):
    site_tree()
    course = make_course(title="Data handling", modules=2)
    manager = user_factory(email="team.manager@example.org", first_name="Mona")
    learner = user_factory(
        email="team.learner@example.org",
        first_name="Lena",
        last_name="Lindgren",
        manager=manager,
    )

    _context, page = browse()
    sign_in(page, live_server.url, manager.email, PASSWORD)
    page.goto("/dashboard/")
    page.click("text=Your team's assigned training")
    expect(page.get_by_role("heading", name="Your team's training")).to_be_visible()
    audit(page)
    page.check(f"#pick-{learner.pk}")
    page.click("text=Assign training to the people ticked")
    expect(page.get_by_text("Lena Lindgren")).to_be_visible()
    page.select_option("#id_item", label="Data handling")
    page.fill("#id_due_days", "10")
    audit(page)
    shoot(page, "1-assign")
    page.click("main form button[type=submit]")
    expect(page.get_by_text("Data handling assigned to 1 person.")).to_be_visible()
    cell = page.locator("td", has_text="due in 10 days")
    expect(cell).to_be_visible()
    audit(page)
    shoot(page, "2-team-due")

    _context, learner_page = browse()
    sign_in(learner_page, live_server.url, learner.email, PASSWORD)
    learner_page.goto("/dashboard/")
    first_section = learner_page.locator("main section").first
    expect(first_section).to_contain_text("Assigned to you")
    expect(first_section).to_contain_text("Data handling")
    expect(first_section).to_contain_text("Due in 10 days")
    audit(learner_page)
    shoot(learner_page, "3-dashboard")
    for module in modules_of(course):
        learner_page.goto(module.url)
        learner_page.check("text=9443")
        learner_page.click("text=Check my answer")
        learner_page.click("button:has-text('Mark this lesson complete')")
        learner_page.wait_for_load_state()
    learner_page.goto("/dashboard/")
    expect(learner_page.get_by_text("Assigned to you")).to_have_count(0)

    page.goto("/team/")
    done = page.locator("td .badge--ok", has_text="Done")
    expect(done).to_be_visible()
    audit(page)
    shoot(page, "4-team-done")
