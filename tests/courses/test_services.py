import pytest
from django.core.exceptions import PermissionDenied

from accounts import roles
from courses import services
from courses.models import Audience, Enrollment, ModuleProgress, PrerequisiteExemption
from courses.prerequisites import (
    register_credential_provider,
    unregister_credential_provider,
)
from courses.signals import course_completed
from tests.factories import make_course, modules_of, study_module

pytestmark = pytest.mark.django_db


def complete_all(user, course):
    result = None
    for module in modules_of(course):
        result = study_module(user=user, module=module)
    return result


def test_enrolling_twice_is_a_no_op(learner):
    course = make_course()
    first, created = services.enroll(user=learner, course=course)
    second, created_again = services.enroll(user=learner, course=course)
    assert created and not created_again
    assert first.pk == second.pk
    assert Enrollment.objects.count() == 1


def test_prerequisite_is_enforced_in_the_service_and_says_what_is_missing(learner):
    basics = make_course(title="Basics")
    advanced = make_course(title="Advanced", prerequisites=[basics])
    with pytest.raises(services.PrerequisitesNotMet) as caught:
        services.enroll(user=learner, course=advanced)
    assert "Advanced is locked until you complete: Basics." == str(caught.value)
    assert [item.course.pk for item in caught.value.missing] == [basics.pk]
    assert not Enrollment.objects.filter(course=advanced).exists()


def test_completing_the_prerequisite_unlocks_the_course(learner):
    basics = make_course(modules=3)
    advanced = make_course(prerequisites=[basics])
    services.enroll(user=learner, course=basics)
    result = complete_all(learner, basics)
    assert result.course_completed
    enrollment, created = services.enroll(user=learner, course=advanced)
    assert created


def test_completing_a_module_without_enrollment_is_refused_and_changes_nothing(learner):
    course = make_course()
    with pytest.raises(services.NotEnrolled, match="Enroll in"):
        study_module(user=learner, module=modules_of(course)[0])
    assert not ModuleProgress.objects.exists()
    assert not Enrollment.objects.exists()


def test_completing_a_module_of_a_locked_course_is_refused(learner, user_factory):
    basics = make_course()
    advanced = make_course(prerequisites=[basics])
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    exemption = services.grant_exemption(
        user=learner, course=advanced, granted_by=admin, reason="Transfer credit"
    )
    services.enroll(user=learner, course=advanced)
    exemption.delete()  # the exemption is withdrawn: the course locks again
    with pytest.raises(services.PrerequisitesNotMet):
        study_module(user=learner, module=modules_of(advanced)[0])
    assert not ModuleProgress.objects.filter(completed_at__isnull=False).exists()


def test_course_completes_when_every_module_is_done_and_signal_fires_once(
    learner, django_capture_on_commit_callbacks
):
    course = make_course(modules=2)
    services.enroll(user=learner, course=course)
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs["course"].pk)

    course_completed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first, second = modules_of(course)
            assert not study_module(user=learner, module=first).course_completed
            assert study_module(user=learner, module=second).course_completed
            study_module(user=learner, module=second)
    finally:
        course_completed.disconnect(receiver)
    assert received == [course.pk]
    assert Enrollment.objects.get().completed_at is not None


def test_completing_twice_keeps_the_first_time(learner):
    course = make_course(modules=2)
    services.enroll(user=learner, course=course)
    module = modules_of(course)[0]
    first = study_module(user=learner, module=module).progress.completed_at
    again = study_module(user=learner, module=module).progress.completed_at
    assert first == again
    assert ModuleProgress.objects.count() == 1


def test_a_required_final_exam_holds_completion_until_passed(learner):
    course = make_course(modules=1, requires_final_exam=True)
    services.enroll(user=learner, course=course)
    assert not complete_all(learner, course).course_completed
    assert Enrollment.objects.get().completed_at is None
    services.record_final_exam_passed(user=learner, course=course)
    assert Enrollment.objects.get().completed_at is not None


def test_exam_pass_before_modules_waits_for_the_modules(learner):
    course = make_course(modules=1, requires_final_exam=True)
    services.enroll(user=learner, course=course)
    services.record_final_exam_passed(user=learner, course=course)
    assert Enrollment.objects.get().completed_at is None
    assert complete_all(learner, course).course_completed


def test_a_valid_certification_stands_in_for_a_prerequisite(learner):
    basics = make_course(equivalent_certifications="associate")
    advanced = make_course(prerequisites=[basics])

    def provider(user):
        return {"associate"} if user.pk == learner.pk else set()

    with pytest.raises(services.PrerequisitesNotMet):
        services.enroll(user=learner, course=advanced)
    register_credential_provider(provider)
    try:
        _enrollment, created = services.enroll(user=learner, course=advanced)
    finally:
        unregister_credential_provider(provider)
    assert created


def test_an_unrelated_certification_does_not_stand_in(learner):
    basics = make_course(equivalent_certifications="associate")
    advanced = make_course(prerequisites=[basics])

    def provider(user):
        return {"expert"}

    register_credential_provider(provider)
    try:
        with pytest.raises(services.PrerequisitesNotMet):
            services.enroll(user=learner, course=advanced)
    finally:
        unregister_credential_provider(provider)


def test_exemption_is_recorded_with_who_when_why(learner, user_factory):
    basics = make_course()
    advanced = make_course(prerequisites=[basics])
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    exemption = services.grant_exemption(
        user=learner, course=advanced, granted_by=admin, reason="  Passed vendor exam  "
    )
    assert (exemption.granted_by, exemption.reason) == (admin, "Passed vendor exam")
    assert exemption.granted_at is not None
    assert services.enroll(user=learner, course=advanced)[1]


def test_only_training_admins_grant_exemptions_and_a_reason_is_required(
    learner, user_factory
):
    course = make_course()
    mentor = user_factory(roles=[roles.MENTORS])
    admin = user_factory(roles=[roles.TRAINING_ADMINS])
    with pytest.raises(PermissionDenied):
        services.grant_exemption(
            user=learner, course=course, granted_by=mentor, reason="x"
        )
    with pytest.raises(ValueError, match="reason"):
        services.grant_exemption(
            user=learner, course=course, granted_by=admin, reason=" "
        )
    assert not PrerequisiteExemption.objects.exists()


def test_internal_courses_are_for_staff_only(learner, user_factory):
    internal = make_course(audience=Audience.INTERNAL)
    with pytest.raises(services.CourseNotAvailable):
        services.enroll(user=learner, course=internal)
    hire = user_factory(roles=[roles.SUPPORT_HIRES])
    assert services.enroll(user=hire, course=internal)[1]


def test_unpublished_course_and_module_are_refused(learner):
    course = make_course(modules=2)
    services.enroll(user=learner, course=course)
    module = modules_of(course)[1]
    module.unpublish()
    module.refresh_from_db()
    with pytest.raises(services.CourseNotAvailable):
        study_module(user=learner, module=module)
    draft = make_course()
    draft.unpublish()
    draft.refresh_from_db()
    with pytest.raises(services.CourseNotAvailable):
        services.enroll(user=learner, course=draft)


def test_unpublished_modules_do_not_block_completion(learner):
    course = make_course(modules=2)
    services.enroll(user=learner, course=course)
    first, second = modules_of(course)
    second.unpublish()
    assert study_module(user=learner, module=first).course_completed


def test_open_module_remembers_where_to_resume(learner):
    course = make_course(modules=3)
    enrollment, _ = services.enroll(user=learner, course=course)
    third = modules_of(course)[2]
    services.open_module(user=learner, module=third)
    enrollment.refresh_from_db()
    assert enrollment.last_module_id == third.pk
    assert enrollment.resume_module().pk == third.pk
