"""Who may grade a practical attempt, and what a marking must hold."""

from decimal import Decimal

import pytest

from accounts import roles
from exams import marking_services
from exams.models import (
    Marking,
    MarkingRole,
)
from onboarding.models import Cohort, CohortMember
from tests.exams.marking.support import T0, grade, sit
from tests.factories import (
    make_onboarding,
    rubric_levels,
)

# --- who grades ---------------------------------------------------------------------------


def test_an_examiner_cannot_grade_their_own_attempt(exam, examiner):
    attempt = sit(examiner, exam)
    marking = attempt.markings.get()
    with pytest.raises(marking_services.GradingError, match="your own attempt"):
        marking_services.claim_marking(marking_id=marking.pk, examiner=examiner)
    with pytest.raises(marking_services.GradingError, match="your own attempt"):
        grade(attempt, MarkingRole.FIRST, examiner)
    assert not Marking.objects.filter(submitted_at__isnull=False).exists()


def test_a_mentor_cannot_grade_their_hire(user_factory, exam, examiner):
    hire = user_factory(email="hire@example.com", roles=[roles.SUPPORT_HIRES])
    program = make_onboarding()
    cohort = Cohort.objects.create(name="C1", program=program, start_date=T0.date())
    CohortMember.objects.create(cohort=cohort, hire=hire, mentor=examiner)
    attempt = sit(hire, exam)
    with pytest.raises(marking_services.GradingError, match="mentor"):
        grade(attempt, MarkingRole.FIRST, examiner)


def test_a_manager_cannot_grade_their_report(user_factory, exam, examiner):
    report = user_factory(email="report@example.com")
    report.manager = examiner
    report.save()
    attempt = sit(report, exam)
    with pytest.raises(marking_services.GradingError, match="mentor or manage"):
        marking_services.claim_marking(
            marking_id=attempt.markings.get().pk, examiner=examiner
        )


def test_a_learner_without_the_examiner_role_cannot_grade(learner, user_factory, exam):
    other = user_factory(email="other@example.com")
    attempt = sit(learner, exam)
    with pytest.raises(marking_services.GradingError, match="Only examiners"):
        grade(attempt, MarkingRole.FIRST, other)


def test_a_taken_marking_is_not_graded_by_another_examiner(
    learner, exam, examiner, second_examiner
):
    attempt = sit(learner, exam)
    marking = attempt.markings.get()
    marking_services.claim_marking(marking_id=marking.pk, examiner=examiner)
    with pytest.raises(marking_services.GradingError, match="Another examiner"):
        marking_services.claim_marking(marking_id=marking.pk, examiner=second_examiner)
    with pytest.raises(marking_services.GradingError, match="Another examiner"):
        grade(attempt, MarkingRole.FIRST, second_examiner)
    marking_services.release_marking(marking_id=marking.pk, examiner=examiner)
    assert grade(attempt, MarkingRole.FIRST, second_examiner).status == "graded"


def test_every_criterion_needs_a_level_and_feedback_is_required(
    learner, exam, examiner
):
    attempt = sit(learner, exam)
    marking = attempt.markings.get()
    levels = rubric_levels(attempt)
    position = next(iter(levels))
    levels[position].pop("c1")
    with pytest.raises(marking_services.GradingError, match="Fix"):
        marking_services.submit_marking(
            marking_id=marking.pk, examiner=examiner, levels=levels, feedback="Good"
        )
    with pytest.raises(marking_services.GradingError, match="feedback"):
        marking_services.submit_marking(
            marking_id=marking.pk,
            examiner=examiner,
            levels=rubric_levels(attempt),
            feedback="   ",
        )
    marking.refresh_from_db()
    assert marking.submitted_at is None and marking.percent is None


def test_a_submitted_grade_is_never_overwritten(learner, exam, examiner):
    attempt = sit(learner, exam)
    grade(attempt, MarkingRole.FIRST, examiner, pick=0)
    with pytest.raises(marking_services.GradingError, match="already graded"):
        grade(attempt, MarkingRole.FIRST, examiner, pick=3)
    assert attempt.markings.get().percent == Decimal("100.00")
