"""Appeals on practical results, and empty hand-ins."""

from datetime import timedelta
from decimal import Decimal

import pytest

from accounts import roles
from certificates.models import Certificate
from exams import marking_services
from exams.models import (
    Appeal,
    AttemptStatus,
    Marking,
    MarkingRole,
)
from tests.exams.marking.support import grade, sit
from tests.factories import (
    make_level,
)

# --- appeals -------------------------------------------------------------------------------


@pytest.fixture
def failed(learner, exam, examiner):
    """A graded attempt that did not pass: 100% theory, 0% practical -> 50%."""
    return grade(sit(learner, exam), MarkingRole.FIRST, examiner, pick=3)


def test_an_appeal_that_flips_the_result_issues_the_certificate_once(
    learner, exam, failed, lead
):
    level = make_level(exams=[exam])
    assert failed.passed is False
    graded_at = failed.graded_at
    marking_services.lodge_appeal(
        attempt=failed, user=learner, reason="Task 1 covered port 9443.", now=graded_at
    )
    attempt = grade(
        failed, MarkingRole.APPEAL, lead, pick=0, now=graded_at + timedelta(days=2)
    )
    assert attempt.passed is True
    assert attempt.percent == Decimal("100.00")
    appeal = Appeal.objects.get(attempt=attempt)
    assert appeal.changed_result
    assert (appeal.previous_percent, appeal.new_percent) == (
        Decimal("50.00"),
        Decimal("100.00"),
    )
    assert Certificate.objects.filter(holder=learner, level=level).count() == 1
    # A duplicate delivery of the pass issues nothing more.
    from certificates.services import issue_for_passed_attempt

    issue_for_passed_attempt(attempt=attempt)
    assert Certificate.objects.filter(holder=learner, level=level).count() == 1


def test_an_appeal_that_confirms_the_result_changes_nothing(learner, failed, lead):
    marking_services.lodge_appeal(
        attempt=failed, user=learner, reason="Please re-check."
    )
    attempt = grade(failed, MarkingRole.APPEAL, lead, pick=3)
    assert attempt.passed is False
    assert not Appeal.objects.get(attempt=attempt).changed_result
    assert not Certificate.objects.exists()


def test_only_one_appeal_and_only_by_the_candidate(learner, user_factory, failed):
    other = user_factory(email="someone@example.com")
    with pytest.raises(marking_services.GradingError, match="Only the candidate"):
        marking_services.lodge_appeal(attempt=failed, user=other, reason="x")
    with pytest.raises(marking_services.GradingError, match="Say why"):
        marking_services.lodge_appeal(attempt=failed, user=learner, reason="  ")
    marking_services.lodge_appeal(attempt=failed, user=learner, reason="Re-check")
    with pytest.raises(marking_services.GradingError, match="have appealed"):
        marking_services.lodge_appeal(attempt=failed, user=learner, reason="Again")
    assert Appeal.objects.count() == 1
    assert Marking.objects.filter(role=MarkingRole.APPEAL).count() == 1


def test_the_appeal_window_closes_after_its_days(learner, failed):
    closes = failed.graded_at + timedelta(days=14)
    with pytest.raises(marking_services.GradingError, match="has passed"):
        marking_services.lodge_appeal(
            attempt=failed,
            user=learner,
            reason="Late",
            now=closes + timedelta(seconds=1),
        )
    marking_services.lodge_appeal(
        attempt=failed, user=learner, reason="Just in time", now=closes
    )
    assert Appeal.objects.count() == 1


def test_a_passed_result_is_not_appealed(learner, exam, examiner):
    attempt = grade(sit(learner, exam), MarkingRole.FIRST, examiner, pick=0)
    with pytest.raises(marking_services.GradingError):
        marking_services.lodge_appeal(attempt=attempt, user=learner, reason="More!")


def test_the_first_examiner_cannot_decide_the_appeal_of_their_own_grading(
    learner, exam, user_factory
):
    lead_first = user_factory(email="lf@example.com", roles=[roles.LEAD_EXAMINERS])
    attempt = grade(sit(learner, exam), MarkingRole.FIRST, lead_first, pick=3)
    marking_services.lodge_appeal(attempt=attempt, user=learner, reason="Re-check")
    with pytest.raises(marking_services.GradingError, match="independent"):
        grade(attempt, MarkingRole.APPEAL, lead_first, pick=0)


def test_an_empty_practical_hand_in_is_closed_not_queued(exam, user_factory):

    candidate = user_factory()
    attempt = sit(candidate, exam, text="")
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.practical_percent == 0 and not attempt.passed
    assert not Marking.objects.filter(attempt=attempt).exists()
    # Any written work at all is queued for an examiner as before.
    other = sit(user_factory(), exam, text="Checked the gateway logs.")
    assert other.status == AttemptStatus.SUBMITTED
    assert Marking.objects.filter(attempt=other).exists()
