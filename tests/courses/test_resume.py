"""One rule for "resume here": the course page, the dashboard and the enrolment
redirect send a learner to the same lesson, whatever they have opened and done."""

import pytest

from courses import dashboard as course_dashboard
from courses import selectors, services
from courses.models import Enrollment
from tests.factories import make_course, modules_of, site_tree, study_module

pytestmark = pytest.mark.django_db


def _everywhere(user, course):
    page = selectors.course_detail(course=course, user=user)["resume_module"]
    board = {
        card.course.pk: module
        for card, module in course_dashboard.dashboard(user=user)["in_progress"]
    }.get(course.pk)
    enrolled = Enrollment.objects.get(user=user, course=course).resume_module()
    return page, board, enrolled


def test_course_page_dashboard_and_enrolment_resume_at_the_same_lesson(learner):
    site_tree()
    course = make_course(modules=4)
    first, second, third, fourth = modules_of(course)
    services.enroll(user=learner, course=course)
    assert _everywhere(learner, course) == (first, first, first)

    services.open_module(user=learner, module=third)
    assert _everywhere(learner, course) == (third, third, third)

    study_module(user=learner, module=third)  # the last one opened is finished
    assert _everywhere(learner, course) == (first, first, first)

    study_module(user=learner, module=first)
    services.open_module(user=learner, module=fourth)
    assert _everywhere(learner, course) == (fourth, fourth, fourth)

    study_module(user=learner, module=fourth)
    assert _everywhere(learner, course) == (second, second, second)
