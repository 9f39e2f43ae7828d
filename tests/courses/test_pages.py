import pytest
from django.test import Client

from accounts import roles
from courses import services
from courses.models import Audience, Enrollment, ModuleProgress
from tests.factories import make_course, modules_of, site_tree, study_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return site_tree()


def test_catalog_lists_public_courses_and_hides_internal_ones(
    client, tree, user_factory
):
    make_course(title="Public Course")
    make_course(title="Staff Only Course", audience=Audience.INTERNAL)
    for viewer in (None, user_factory()):
        if viewer:
            client.force_login(viewer)
        html = client.get("/catalog/").content.decode()
        assert "Public Course" in html
        assert "Staff Only Course" not in html
    client.force_login(user_factory(roles=[roles.SUPPORT_HIRES]))
    assert "Staff Only Course" in client.get("/catalog/").content.decode()


def test_internal_course_and_its_lessons_are_404_for_customers(client, tree, learner):
    internal = make_course(audience=Audience.INTERNAL)
    module = modules_of(internal)[0]
    for viewer in (None, learner):
        if viewer:
            client.force_login(viewer)
        assert client.get(internal.url).status_code == 404
        assert client.get(module.url).status_code == 404
        assert client.post(internal.url + "enroll/").status_code == 404


def test_locked_course_says_what_is_missing_with_links(client, tree, learner):
    basics = make_course(title="Fundamentals Course")
    advanced = make_course(title="Advanced Course", prerequisites=[basics])
    client.force_login(learner)
    html = client.get(advanced.url).content.decode()
    assert "Locked" in html
    assert f'<a href="{basics.url}">Fundamentals Course</a>' in html
    assert "Enroll in this course" not in html


def test_enrolling_through_the_page_and_completing_moves_the_progress_bar(
    client, tree, learner
):
    course = make_course(modules=2)
    first, second = modules_of(course)
    client.force_login(learner)
    response = client.post(course.url + "enroll/")
    assert response.status_code == 302
    assert response["Location"] == first.url
    assert 'max="100" value="0"' in client.get(first.url).content.decode()
    response = client.post(first.url + "complete/")
    assert response["Location"] == second.url
    assert 'max="100" value="50"' in client.get(second.url).content.decode()
    client.post(second.url + "complete/")
    html = client.get(course.url).content.decode()
    assert "Completed" in html
    assert Enrollment.objects.get().completed_at is not None


def test_anonymous_visitor_sees_summaries_and_must_sign_in(client, tree):
    course = make_course()
    module = modules_of(course)[0]
    html = client.get(module.url).content.decode()
    assert "Lesson 1 summary." in html
    assert "Secret lesson body" not in html
    assert "Sign in to enroll" in html
    response = client.post(course.url + "enroll/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Enrollment.objects.exists()


def test_signed_in_but_not_enrolled_sees_no_lesson_body(client, tree, learner):
    module = modules_of(make_course())[0]
    client.force_login(learner)
    html = client.get(module.url).content.decode()
    assert "Secret lesson body" not in html
    assert "Enroll in" in html


def test_changes_need_post_and_csrf(tree, learner):
    course = make_course()
    module = modules_of(course)[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.get(course.url + "enroll/").status_code == 405
    assert client.post(course.url + "enroll/").status_code == 403
    assert client.get(module.url + "complete/").status_code == 405
    assert client.post(module.url + "complete/").status_code == 403
    assert not Enrollment.objects.exists()


def test_completing_without_enrollment_via_url_shows_a_message(client, tree, learner):
    module = modules_of(make_course())[0]
    client.force_login(learner)
    response = client.post(module.url + "complete/", follow=True)
    assert "Enroll in" in response.content.decode()
    assert not ModuleProgress.objects.exists()


def test_tampered_urls_are_404(client, tree, learner):
    course = make_course()
    client.force_login(learner)
    assert client.post(course.url + "no-such-module/complete/").status_code == 404
    assert client.post(course.url + "lesson-1/check/not-a-block/").status_code == 404
    assert client.get("/catalog/no-such-course/").status_code == 404


def test_knowledge_check_gives_feedback_without_javascript(client, tree, learner):
    course = make_course()
    module = modules_of(course)[0]
    services.enroll(user=learner, course=course)
    client.force_login(learner)
    block = next(b for b in module.body if b.block_type == "knowledge_check")
    url = f"{module.url}check/{block.id}/"
    response = client.post(url, {"choice": "2"}, follow=True)
    assert "Not quite" in response.content.decode()
    response = client.post(url, {"choice": "1"}, follow=True)
    assert "Correct." in response.content.decode()
    assert "The gateway listens on 9443." in response.content.decode()
    response = client.post(url, {"choice": "abc"}, follow=True)
    assert "Choose one answer first." in response.content.decode()


def test_catalog_filters_search_pagination_and_empty_state(client, tree):
    make_course(title="Gateway Deep Dive", level="expert", duration_hours=30)
    for n in range(13):
        make_course(title=f"Everyday Topic {n}", level="fundamentals", duration_hours=2)
    html = client.get("/catalog/?level=expert").content.decode()
    assert "Gateway Deep Dive" in html and "Everyday Topic" not in html
    html = client.get("/catalog/?duration=short").content.decode()
    assert "Gateway Deep Dive" not in html and "13 courses" in html
    html = client.get("/catalog/?q=gateway").content.decode()
    assert "Gateway Deep Dive" in html and "Everyday Topic 1" not in html
    first_page = client.get("/catalog/").content.decode()
    assert "Page 1 of 2" in first_page
    second = client.get("/catalog/?page=2").content.decode()
    assert "Page 2 of 2" in second
    assert client.get("/catalog/?page=999").status_code == 200
    empty = client.get("/catalog/?q=zzzznothing").content.decode()
    assert "No courses found" in empty and "clear the filters" in empty
    for odd in ("'\"<script>", "gateway)(", "NOT OR AND", "*", "-gateway"):
        assert client.get("/catalog/", {"q": odd}).status_code == 200
    assert (
        "Gateway Deep Dive"
        in client.get("/catalog/", {"q": "(gateway"}).content.decode()
    )
    bad = client.get("/catalog/?level=bogus")
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


def test_catalog_role_filter_uses_learning_paths(client, tree):
    from courses.models import LearningPathPage, LearningPathStep

    _home, _catalog, paths = tree
    api = make_course(title="API Course")
    make_course(title="Unrelated Course")
    path = paths.add_child(
        instance=LearningPathPage(
            title="Developer", role="developer", summary="s", slug="developer"
        )
    )
    LearningPathStep.objects.create(path=path, course=api, required=True)
    html = client.get("/catalog/?role=developer").content.decode()
    assert "API Course" in html and "Unrelated Course" not in html


def test_path_page_shows_progress_per_course(client, tree, learner):
    from courses.models import LearningPathPage, LearningPathStep

    _home, _catalog, paths = tree
    basics = make_course(title="Path Basics", modules=2)
    extra = make_course(title="Path Extra", prerequisites=[basics])
    path = paths.add_child(
        instance=LearningPathPage(
            title="Administrator", role="administrator", summary="Admins", slug="admin"
        )
    )
    LearningPathStep.objects.create(
        path=path, course=basics, required=True, sort_order=0
    )
    LearningPathStep.objects.create(
        path=path, course=extra, required=True, sort_order=1
    )
    services.enroll(user=learner, course=basics)
    study_module(user=learner, module=modules_of(basics)[0])
    client.force_login(learner)
    html = client.get(path.url).content.decode()
    assert 'max="100" value="25"' in html  # (50% + 0%) / 2 required courses
    assert "Path Extra" in html and "Locked" in html
    overview = client.get(paths.url).content.decode()
    assert "Administrator" in overview


def test_dashboard_shows_resume_completed_paths_and_locked(client, tree, learner):
    done = make_course(title="Done Course", modules=1)
    going = make_course(title="Going Course", modules=3)
    make_course(title="Locked Course", prerequisites=[going])
    services.enroll(user=learner, course=done)
    study_module(user=learner, module=modules_of(done)[0])
    services.enroll(user=learner, course=going)
    study_module(user=learner, module=modules_of(going)[0])
    client.force_login(learner)
    html = client.get("/dashboard/").content.decode()
    assert "Done Course" in html and "completed" in html
    assert f"Resume: {going.title}: lesson 2" in html
    assert "Locked Course" in html and "needs" in html


def test_a_lesson_never_opened_cannot_be_marked_complete(client, tree, learner):
    course = make_course(modules=3)
    client.force_login(learner)
    client.post(course.url + "enroll/")
    # A script posting "complete" for every lesson, without reading any.
    for module in modules_of(course):
        response = client.post(module.url + "complete/", follow=True)
        assert "work through it before marking it complete" in (
            response.content.decode()
        )
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()
    assert Enrollment.objects.get().completed_at is None
    # Opening the first lesson lets that one, and only that one, be completed.
    first = modules_of(course)[0]
    client.get(first.url)
    client.post(first.url + "complete/")
    assert ModuleProgress.objects.filter(completed_at__isnull=False).count() == 1


def test_the_catalog_lists_courses_in_learning_order(client, tree):
    from courses.models import LearningPathPage, LearningPathStep

    _home, _catalog, paths = tree
    # Created (and so placed in the tree) in the wrong order.
    advanced = make_course(title="Course Advanced")
    make_course(title="Course Unlisted")
    fundamentals = make_course(title="Course Fundamentals")
    intermediate = make_course(
        title="Course Intermediate", prerequisites=[fundamentals]
    )
    path = paths.add_child(
        instance=LearningPathPage(
            title="Administrator", role="administrator", summary="s", slug="admins"
        )
    )
    for order, course in enumerate([fundamentals, intermediate, advanced]):
        LearningPathStep.objects.create(path=path, course=course, sort_order=order)
    html = client.get("/catalog/").content.decode()
    positions = [
        html.index(title)
        for title in (
            "Course Fundamentals",
            "Course Intermediate",
            "Course Advanced",
            "Course Unlisted",
        )
    ]
    assert positions == sorted(positions)


def test_a_knowledge_check_needs_exactly_one_ticked_choice():
    from django.core.exceptions import ValidationError

    from courses.blocks import KnowledgeCheckBlock

    block = KnowledgeCheckBlock()

    def value(*ticks):
        return block.to_python(
            {
                "question": "Which?",
                "choices": [
                    {"text": str(n), "correct": t} for n, t in enumerate(ticks)
                ],
                "explanation": "",
            }
        )

    block.clean(value(False, True))
    for ticks in ((False, False), (True, True)):
        with pytest.raises(ValidationError):
            block.clean(value(*ticks))
