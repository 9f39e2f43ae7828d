"""With JavaScript off, every learner page still reads and works as plain HTML
(the exam's own fallback is tested in test_exam_journey)."""

import pytest

from certificates.models import Certificate
from tests.factories import (
    PASSWORD,
    make_course,
    make_exam,
    make_level,
    modules_of,
    pass_exam,
    site_tree,
)

from .conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_learner_pages_read_without_javascript(live_server, browse, user_factory):
    site_tree()
    course = make_course(title="Fundamentals")
    exam = make_exam(title="Associate exam")
    make_level(exams=[exam], title="Certified Associate")
    learner = user_factory(first_name="Noor", last_name="Script")
    pass_exam(learner, exam)
    certificate = Certificate.objects.get(holder=learner)

    _context, page = browse(java_script_enabled=False)
    sign_in(page, live_server.url, learner.email, PASSWORD)
    pages = {
        "/": "Academy",
        "/catalog/": "Catalog",
        course.url: "Fundamentals",
        modules_of(course)[0].url: "Fundamentals: lesson 1",
        exam.url: "Associate exam",
        "/classes/": "Instructor-led classes",
        "/dashboard/": "Welcome, Noor Script",
        f"/verify/{certificate.verification_code}/": "Certificate verification",
    }
    for url, heading in pages.items():
        page.goto(url)
        assert page.locator("main h1").inner_text() == heading, url
        assert page.locator("main").inner_text().strip() != heading, url
    page.goto(course.url)
    page.click("text=Enroll in this course")
    assert page.locator("main h1").inner_text() == "Fundamentals: lesson 1"
