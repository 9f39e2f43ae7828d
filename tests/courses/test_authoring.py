"""Authoring in the Wagtail admin: cycle refusal, exemptions, progress kept on edit."""

import html

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from accounts import roles
from courses import services
from courses.models import CoursePage, CoursePrerequisite, PrerequisiteExemption
from tests.factories import (
    course_form,
    make_course,
    modules_of,
    site_tree,
    study_module,
)

pytestmark = pytest.mark.django_db


def test_a_prerequisite_cycle_fails_validation():
    _home, catalog, _paths = site_tree()
    first = make_course(title="First")
    second = make_course(title="Second", prerequisites=[first])
    third = make_course(title="Third", prerequisites=[second])
    first = CoursePage.objects.get(pk=first.pk)
    first.prerequisite_links = [CoursePrerequisite(required_course=third)]
    with pytest.raises(ValidationError, match="would form a cycle"):
        first.full_clean()
    first.prerequisite_links = [CoursePrerequisite(required_course=first)]
    with pytest.raises(ValidationError, match="its own prerequisite"):
        first.full_clean()


def test_publishing_a_cycle_in_the_admin_is_refused_with_a_message(
    client, user_factory
):
    _home, catalog, _paths = site_tree()
    first = make_course(title="First")
    second = make_course(title="Second", prerequisites=[first])
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    client.force_login(admin)
    response = client.post(
        f"/admin/pages/{first.pk}/edit/", course_form(first, [second.pk])
    )
    assert response.status_code == 200
    assert "would form a cycle" in response.content.decode()
    assert not CoursePrerequisite.objects.filter(course=first).exists()
    # A valid edit publishes.
    third = make_course(title="Third")
    response = client.post(
        f"/admin/pages/{first.pk}/edit/", course_form(first, [third.pk])
    )
    assert response.status_code == 302
    assert list(
        CoursePrerequisite.objects.filter(course=first).values_list(
            "required_course", flat=True
        )
    ) == [third.pk]


def test_editing_and_moving_a_course_keeps_learner_progress(
    client, learner, user_factory
):
    _home, catalog, _paths = site_tree()
    course = make_course(modules=2)
    services.enroll(user=learner, course=course)
    study_module(user=learner, module=modules_of(course)[0])
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    client.force_login(admin)
    form = course_form(course, [])
    form["title"] = "Renamed Course"
    form["slug"] = "renamed-course"
    assert client.post(f"/admin/pages/{course.pk}/edit/", form).status_code == 302
    client.force_login(learner)
    renamed = CoursePage.objects.get(pk=course.pk)
    assert renamed.url == "/catalog/renamed-course/"
    assert 'max="100" value="50"' in client.get(renamed.url).content.decode()


def test_training_admin_grants_an_exemption_in_the_admin(client, learner, user_factory):
    _home, catalog, _paths = site_tree()
    basics = make_course()
    advanced = make_course(prerequisites=[basics])
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    client.force_login(admin)
    response = client.post(
        "/admin/prerequisite_exemptions/new/",
        {"user": learner.pk, "course": advanced.pk, "reason": "Certified elsewhere"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    exemption = PrerequisiteExemption.objects.get()
    assert (exemption.granted_by, exemption.reason) == (admin, "Certified elsewhere")
    assert services.enroll(user=learner, course=advanced)[1]


def test_examiners_cannot_grant_exemptions(client, learner, user_factory):
    _home, catalog, _paths = site_tree()
    course = make_course()
    client.force_login(user_factory(roles=[roles.EXAMINERS]))
    response = client.post(
        "/admin/prerequisite_exemptions/new/",
        {"user": learner.pk, "course": course.pk, "reason": "x"},
    )
    assert response.status_code in (302, 403)
    assert not PrerequisiteExemption.objects.exists()


def test_a_course_without_a_published_lesson_is_not_published(client, user_factory):
    _home, catalog, _paths = site_tree()
    client.force_login(user_factory(roles=[roles.TRAINING_ADMINS]))
    empty = CoursePage(title="Empty", slug="empty", code="E-1", summary="Nothing yet")
    form = course_form(empty, [])
    response = client.post(f"/admin/pages/add/courses/coursepage/{catalog.pk}/", form)
    assert response.status_code == 200
    assert "needs at least one published lesson" in response.content.decode()
    assert not CoursePage.objects.filter(slug="empty").exists()
    # As a draft it is kept; once a lesson is published, the course publishes.
    del form["action-publish"]
    response = client.post(f"/admin/pages/add/courses/coursepage/{catalog.pk}/", form)
    assert response.status_code == 302
    course = CoursePage.objects.get(slug="empty")
    assert not course.live
    from courses.models import ModulePage

    lesson = course.add_child(instance=ModulePage(title="One", slug="one", live=False))
    response = client.post(f"/admin/pages/{course.pk}/edit/", course_form(course, []))
    assert response.status_code == 200  # a draft lesson is not enough
    lesson.save_revision().publish()
    response = client.post(f"/admin/pages/{course.pk}/edit/", course_form(course, []))
    assert response.status_code == 302
    assert CoursePage.objects.get(pk=course.pk).live


def path_form(title, course_ids):
    return nested_form_data(
        {
            "title": title,
            "slug": "checked-path",
            "role": "administrator",
            "summary": "Steps",
            "description": rich_text(""),
            "steps": inline_formset(
                [{"course": pk, "required": "on"} for pk in course_ids]
            ),
            "action-publish": "publish",
        }
    )


def test_a_path_that_goes_round_in_a_circle_is_refused(client, user_factory):
    from courses.models import LearningPathPage

    _home, _catalog, paths = site_tree()
    basics = make_course(title="Basics")
    middle = make_course(title="Middle", prerequisites=[basics])
    advanced = make_course(title="Advanced", prerequisites=[middle])
    client.force_login(user_factory(roles=[roles.TRAINING_ADMINS]))
    url = f"/admin/pages/add/courses/learningpathpage/{paths.pk}/"
    response = client.post(url, path_form("Backwards", [advanced.pk, basics.pk]))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    # Advanced needs Middle, which needs Basics: Basics must come first.
    assert (
        "“Advanced” comes before “Basics”, which it requires: move “Basics” earlier."
        in page
    )
    response = client.post(url, path_form("Twice", [basics.pk, basics.pk]))
    assert "“Basics” is listed twice" in html.unescape(response.content.decode())
    assert not LearningPathPage.objects.exists()
    response = client.post(url, path_form("Forwards", [basics.pk, advanced.pk]))
    assert response.status_code == 302
    assert LearningPathPage.objects.get().live
