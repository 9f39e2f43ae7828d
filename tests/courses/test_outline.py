"""The course outline: a course's lessons and exams in order, changed in place."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from courses.models import CoursePage, Enrollment, ModulePage
from exams.models import ExamPage, ExamSection, QuestionBank
from tests.factories import make_bank, make_course, make_exam, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(client, user_factory):
    client.force_login(user_factory(roles=[roles.TRAINING_ADMINS]))
    return client


def titles_in_order(course):
    return list(
        CoursePage.objects.get(pk=course.pk)
        .get_children()
        .order_by("path")
        .values_list("title", flat=True)
    )


def outline_text(response):
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def test_the_outline_shows_the_course_in_order_with_status_and_blueprint(
    author, learner
):
    site_tree()
    basics = make_course(title="Basics")
    course = make_course(title="Networking", modules=2, prerequisites=[basics])
    make_exam(course, bank=make_bank(questions=10), count=5, title="Final quiz")
    draft = course.add_child(instance=ModulePage(title="Draft lesson", live=False))
    draft.save_revision()
    Enrollment.objects.create(user=learner, course=course)

    response = author.get(f"/admin/courses/{course.pk}/outline/")
    assert response.status_code == 200
    text = outline_text(response)
    order = [text.index(title) for title in ("Final quiz", "Draft lesson")]
    assert order == sorted(order)
    assert "1 section, draws 5 of 10 eligible questions" in text
    assert "Basics" in text  # the prerequisite
    assert "1 learner enrolled" in text
    assert "2 published lessons" in text
    assert re.search(r"Draft lesson</a>\s*</td>\s*<td>Lesson</td>", text)
    assert "draft" in text


def test_up_down_and_drag_change_the_order_learners_see(author):
    site_tree()
    course = make_course(modules=3)
    first, second, third = titles_in_order(course)
    pages = {p.title: p for p in ModulePage.objects.child_of(course)}
    url = f"/admin/courses/{course.pk}/outline/move/{pages[third].pk}/"
    response = author.post(url, {"direction": "up"})
    assert response.status_code == 302
    assert titles_in_order(course) == [first, third, second]
    # Dragged to the top (the script posts the new position).
    response = author.post(
        url, {"position": "0"}, headers={"Accept": "application/json"}
    )
    assert response.json() == {"moved": True}
    assert titles_in_order(course) == [third, first, second]
    # Already first: nothing moves.
    author.post(url, {"direction": "up"})
    assert titles_in_order(course) == [third, first, second]
    # The admin's page listing follows the same order.
    listing = author.get(f"/admin/pages/{course.pk}/").content.decode()
    assert [listing.index(t) for t in (third, first, second)] == sorted(
        listing.index(t) for t in (third, first, second)
    )


def test_bad_moves_and_adds_change_nothing(author):
    site_tree()
    course = make_course(modules=2)
    other = make_course(modules=1)
    stranger = ModulePage.objects.child_of(other).get()
    before = titles_in_order(course)
    base = f"/admin/courses/{course.pk}/outline"
    response = author.post(f"{base}/move/{stranger.pk}/", {"direction": "up"})
    assert response.status_code == 302
    assert titles_in_order(course) == before
    assert author.post(f"{base}/move/999999999999999/", {}).status_code == 403
    for data in ({"kind": "courses.modulepage", "title": "  "}, {"kind": "x.y"}):
        response = author.post(f"{base}/add/", {"title": "New", **data}, follow=True)
        assert response.status_code == 200
    assert titles_in_order(course) == before
    assert author.get(f"{base}/add/").status_code == 405
    assert author.get("/admin/courses/not-a-number/outline/").status_code == 404
    assert author.get("/admin/courses/99999999/outline/").status_code == 404


def test_people_who_cannot_edit_the_course_are_refused(client, user_factory):
    site_tree()
    course = make_course(modules=1)
    url = f"/admin/courses/{course.pk}/outline/"
    client.force_login(user_factory(roles=[roles.EXAMINERS]))
    assert client.get(url).status_code == 403
    assert client.post(f"{url}add/", {"kind": "courses.modulepage"}).status_code == 403
    client.force_login(user_factory())
    assert client.get(url).status_code in (302, 403)


def test_a_lesson_and_an_exam_are_added_inline_as_drafts(author):
    site_tree()
    course = make_course(modules=1)
    base = f"/admin/courses/{course.pk}/outline"
    response = author.post(
        f"{base}/add/", {"kind": "courses.modulepage", "title": "Routing tables"}
    )
    lesson = ModulePage.objects.get(title="Routing tables")
    assert response.status_code == 302
    assert response["Location"] == (
        f"/admin/pages/{lesson.pk}/edit/?next=/admin/courses/{course.pk}/outline/"
    )
    assert not lesson.live and lesson.slug == "routing-tables"
    author.post(
        f"{base}/add/", {"kind": "courses.modulepage", "title": "Routing tables"}
    )
    assert ModulePage.objects.get(title="Routing tables", slug="routing-tables-2")

    author.post(f"{base}/add/", {"kind": "exams.exampage", "title": "Final quiz"})
    exam = ExamPage.objects.get(title="Final quiz")
    outline = outline_text(author.get(f"{base}/"))
    assert "The exam draws no questions" in outline
    # A bank for it, in one step; the exam's draft draws from it.
    response = author.post(f"/admin/exams/{exam.pk}/new-bank/", {"next": f"{base}/"})
    bank = QuestionBank.objects.get(title="Final quiz questions")
    assert response["Location"].startswith(
        f"/admin/snippets/exams/questionbank/edit/{bank.pk}/?next="
    )
    draft = ExamPage.objects.get(pk=exam.pk).get_latest_revision_as_object()
    assert [(s.bank_id, s.count) for s in draft.sections.all()] == [(bank.pk, 0)]
    outline = outline_text(author.get(f"{base}/"))
    assert "Add a question to “Final quiz questions”" in outline
    page = author.get(f"{base}/").content.decode()
    edit = f"/admin/snippets/exams/questionbank/edit/{bank.pk}/"
    # Opened over the outline in a dialog; without script, the editor itself.
    assert (
        f'href="{edit}?next=/admin/courses/{course.pk}/outline/" '
        f'data-edit-in-dialog="{edit}?next=/admin/exams/question-bank-saved/"'
    ) in page.replace("%2F", "/")
    # A second press makes no second bank.
    author.post(f"/admin/exams/{exam.pk}/new-bank/", {"next": f"{base}/"})
    assert QuestionBank.objects.filter(title="Final quiz questions").count() == 1
    assert titles_in_order(course)[-3:] == [
        "Routing tables",
        "Routing tables",
        "Final quiz",
    ]


def test_the_outline_costs_the_same_for_a_small_and_a_large_course(author):
    site_tree()
    small = make_course(modules=2)
    make_exam(small, count=3)
    large = make_course(modules=12, prerequisites=[small])
    for _ in range(3):
        make_exam(large, count=3)

    def count(course):
        with CaptureQueriesContext(connection) as queries:
            assert author.get(f"/admin/courses/{course.pk}/outline/").status_code == 200
        return len(queries)

    count(small)  # warm caches shared by every admin page
    assert count(small) == count(large)


def test_the_outline_is_linked_from_the_course_editor_and_listing(author):
    _home, catalog, _paths = site_tree()
    course = make_course(modules=1)
    outline = f"/admin/courses/{course.pk}/outline/"
    assert outline in author.get(f"/admin/pages/{course.pk}/edit/").content.decode()
    assert outline in author.get(f"/admin/pages/{catalog.pk}/").content.decode()


def test_an_exam_short_of_questions_shows_why_in_the_outline(author):
    site_tree()
    course = make_course(modules=1)
    bank = make_bank(questions=3)
    exam = make_exam(course, bank=bank, count=3)
    ExamSection.objects.filter(exam=exam).update(count=9)
    exam.save_revision()  # the outline reads the latest revision
    text = outline_text(author.get(f"/admin/courses/{course.pk}/outline/"))
    assert "draws 9 questions, but only 3 live questions" in text


def test_a_new_course_opens_on_its_outline(author):
    site_tree()
    make_course(title="Existing course")
    listing = author.get("/admin/courses/")
    assert "Existing course" in listing.content.decode()
    response = author.post("/admin/courses/", {"title": "Incident response"})
    course = CoursePage.objects.get(title="Incident response")
    assert response["Location"] == f"/admin/courses/{course.pk}/outline/"
    assert not course.live and course.slug == "incident-response"
    response = author.post("/admin/courses/", {"title": "   "}, follow=True)
    assert "Give the new course a title." in response.content.decode()
    assert CoursePage.objects.count() == 2


def test_only_authors_see_the_course_list(client, user_factory):
    site_tree()
    client.force_login(user_factory(roles=[roles.EXAMINERS]))
    assert client.get("/admin/courses/").status_code == 403
    assert client.post("/admin/courses/", {"title": "Sneaky"}).status_code == 403
    assert not CoursePage.objects.filter(title="Sneaky").exists()


def test_only_the_bank_editor_and_its_saved_page_may_be_framed_by_the_admin(author):
    bank = make_bank(questions=1)
    editor = author.get(f"/admin/snippets/exams/questionbank/edit/{bank.pk}/")
    assert editor["X-Frame-Options"] == "SAMEORIGIN"
    saved = author.get("/admin/exams/question-bank-saved/?next=/admin/courses/")
    assert saved["X-Frame-Options"] == "SAMEORIGIN"
    assert 'href="/admin/courses/"' in saved.content.decode()
    assert author.get("/admin/courses/")["X-Frame-Options"] == "DENY"
    assert author.get("/")["X-Frame-Options"] == "DENY"
    # A return address elsewhere is not followed.
    evil = author.get("/admin/exams/question-bank-saved/?next=https://evil.example/")
    assert "evil.example" not in evil.content.decode()
