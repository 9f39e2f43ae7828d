import pytest

from courses import services as course_services
from tests.factories import (
    make_bank,
    make_course,
    make_exam,
    modules_of,
    site_tree,
    study_module,
)


@pytest.fixture
def exam(db):
    site_tree()
    return make_exam(count=5, time_limit_minutes=30)


@pytest.fixture
def course_with_exam(db, learner):
    """A course whose final exam requires its modules; the learner is enrolled."""
    course = make_course(modules=2, requires_final_exam=True)
    bank = make_bank(questions=8)
    final = make_exam(course, bank=bank, count=4, requires_course_modules=True)
    course_services.enroll(user=learner, course=course)
    return course, final


def finish_modules(user, course):
    for module in modules_of(course):
        study_module(user=user, module=module)
