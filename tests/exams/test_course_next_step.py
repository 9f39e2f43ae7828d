"""The course page's main button follows the learner: resume a lesson, then the
final exam once every lesson is done, then the certificates and the next course."""

import re

import pytest

from exams import services
from tests.factories import correct_response

from .conftest import finish_modules

pytestmark = pytest.mark.django_db


def main_buttons(html: str) -> list[str]:
    return re.findall(r'<a class="button"[^>]*>([^<]+)</a>', html)


def test_the_main_button_moves_from_lessons_to_the_exam_to_what_is_next(
    client, learner, course_with_exam
):
    course, final = course_with_exam
    client.force_login(learner)
    html = client.get(course.url).content.decode()
    assert any(b.startswith("Resume:") for b in main_buttons(html))

    finish_modules(learner, course)
    html = client.get(course.url).content.decode()
    assert main_buttons(html) == [f"Go to {final.title}"]
    assert "Resume:" not in html
    dashboard = client.get("/dashboard/").content.decode()
    assert "Go to the final exam" in dashboard and "Resume:" not in dashboard

    attempt = services.start_attempt(user=learner, exam=final)
    services.save_answers(
        attempt=attempt,
        sequence=1,
        answers={
            q.position: correct_response(q.snapshot) for q in attempt.served_questions()
        },
    )
    services.submit_attempt(attempt=attempt)
    html = client.get(course.url).content.decode()
    assert "Completed" in html
    assert main_buttons(html) == ["Your certificates"]
    assert "Choose your next course" in html
