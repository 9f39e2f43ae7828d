"""A course's part that is the same for every learner (its lessons, final exam and
prerequisites) is kept between requests and read again after any page changes;
the learner's part (enrolled, lessons done, locked) is always their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.models import ModulePage, ModuleProgress
from tests.factories import make_course, modules_of

pytestmark = pytest.mark.django_db


def page_reads(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    lessons = [q for q in queries if 'FROM "courses_modulepage"' in q["sql"]]
    return response.content.decode(), len(lessons)


def test_a_kept_course_reads_no_lessons_and_shows_each_learner_their_own(
    client, learner, user_factory
):
    course = make_course(title="Kept Course", modules=3)
    first = modules_of(course)[0]
    services.enroll(user=learner, course=course)
    enrollment = learner.enrollments.get(course=course)
    ModuleProgress.objects.create(
        enrollment=enrollment, module=first, completed_at=enrollment.enrolled_at
    )
    client.force_login(learner)
    page, lesson_reads = page_reads(client, course.url)
    assert "Kept Course: lesson 3" in page
    page, lesson_reads = page_reads(client, course.url)
    assert lesson_reads == 0
    assert page.count("✔ Done") == 1
    assert "Enroll in this course" not in page

    other = user_factory()
    client.force_login(other)
    page, lesson_reads = page_reads(client, course.url)
    assert lesson_reads == 0
    assert "✔ Done" not in page
    assert "Enroll in this course" in page


def test_a_lesson_published_or_unpublished_shows_at_once(client, learner):
    course = make_course(title="Changing Course", modules=1)
    client.force_login(learner)
    assert "Changing Course: new lesson" not in client.get(course.url).content.decode()
    lesson = course.add_child(
        instance=ModulePage(title="Changing Course: new lesson", slug="new-lesson")
    )
    page = client.get(course.url).content.decode()
    assert "Changing Course: new lesson" in page
    assert "2 lessons" in page
    lesson.unpublish()
    page = client.get(course.url).content.decode()
    assert "Changing Course: new lesson" not in page
    assert "1 lesson" in page
