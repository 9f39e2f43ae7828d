"""Practical results: release, minimums, second marking and the lead examiner."""

from decimal import Decimal

import pytest
from django.core import mail

from accounts import roles
from exams import marking_services
from exams.models import (
    AttemptStatus,
    Marking,
    MarkingRole,
)
from tests.exams.marking.support import grade, sit
from tests.factories import (
    make_practical_exam,
    site_tree,
)

# --- results --------------------------------------------------------------------------------


def test_one_marking_releases_the_result_and_emails_the_candidate(
    learner, exam, examiner
):
    attempt = sit(learner, exam)
    mail.outbox.clear()
    attempt = grade(attempt, MarkingRole.FIRST, examiner, pick=0)
    assert attempt.status == AttemptStatus.GRADED
    assert (attempt.practical_percent, attempt.percent, attempt.passed) == (
        Decimal("100.00"),
        Decimal("100.00"),
        True,
    )
    assert [m.to for m in mail.outbox] == [[learner.email]]
    assert "is ready" in mail.outbox[0].subject
    assert str(attempt.public_id) in mail.outbox[0].body
    actions = list(attempt.marking_events.values_list("action", flat=True))
    assert actions == ["queued", "graded", "finalised"]


def test_a_practical_below_its_minimum_fails_despite_a_high_theory_score(
    user_factory, learner, examiner
):
    site_tree()
    exam = make_practical_exam(pass_mark=70, minimum_practical_percent=70)
    attempt = sit(learner, exam)
    attempt = grade(attempt, MarkingRole.FIRST, examiner, pick=1)  # 12 of 20 = 60%
    assert attempt.theory_percent == Decimal("100.00")
    assert attempt.percent == Decimal("80.00")
    assert attempt.passed is False


def test_a_result_near_the_pass_mark_gets_a_second_examiner(
    learner, exam, examiner, second_examiner
):
    attempt = sit(learner, exam)
    # Developing (4) + Partial (5) = 45% practical; with 100% theory: 72.5%,
    # within 5 points of the 70% pass mark.
    attempt = grade(
        attempt, MarkingRole.FIRST, examiner, pick=lambda c: 2 if c["id"] == "c0" else 1
    )
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.second_marking
    second = Marking.objects.get(attempt=attempt, role=MarkingRole.SECOND)
    assert second.submitted_at is None
    with pytest.raises(
        marking_services.GradingError, match="already graded this attempt"
    ):
        grade(attempt, MarkingRole.SECOND, examiner)
    attempt = grade(
        attempt, MarkingRole.SECOND, second_examiner, pick=lambda c: 1
    )  # 60%: 15 points apart from 45% -> lead
    assert attempt.status == AttemptStatus.SUBMITTED
    assert Marking.objects.filter(attempt=attempt, role=MarkingRole.LEAD).exists()


def test_a_result_far_from_the_pass_mark_is_final_after_one_marking(
    learner, exam, examiner
):
    attempt = grade(sit(learner, exam), MarkingRole.FIRST, examiner, pick=3)
    assert attempt.status == AttemptStatus.GRADED
    assert not attempt.second_marking
    assert attempt.markings.count() == 1


def test_the_sampled_share_gets_two_independent_markings_from_the_start(
    learner, examiner, second_examiner
):
    site_tree()
    exam = make_practical_exam(second_marking_percent=100)
    attempt = sit(learner, exam)
    assert attempt.second_marking
    assert sorted(attempt.markings.values_list("role", flat=True)) == [
        "first",
        "second",
    ]
    # Right fix, proficient diagnosis: 17 of 20 = 85%.
    grade(
        attempt,
        MarkingRole.SECOND,
        second_examiner,
        pick=lambda c: 1 if c["id"] == "c0" else 0,
    )
    assert Marking.objects.get(attempt=attempt, role="second").percent == Decimal(
        "85.00"
    )
    # Exemplary diagnosis, partial fix: 15 of 20 = 75%, exactly 10 points apart.
    attempt = grade(
        attempt, MarkingRole.FIRST, examiner, pick=lambda c: 0 if c["id"] == "c0" else 1
    )
    # Within the 10-point tolerance: the practical score is their mean.
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.practical_percent == Decimal("80.00")
    assert not Marking.objects.filter(attempt=attempt, role="lead").exists()


def test_two_examiners_far_apart_go_to_the_lead_whose_grade_decides(
    learner, examiner, second_examiner, lead, user_factory
):
    site_tree()
    exam = make_practical_exam(second_marking_percent=100)
    attempt = sit(learner, exam)
    grade(attempt, MarkingRole.FIRST, examiner, pick=0)  # 100%
    attempt = grade(attempt, MarkingRole.SECOND, second_examiner, pick=2)  # 20%
    lead_marking = Marking.objects.get(attempt=attempt, role=MarkingRole.LEAD)
    assert attempt.status == AttemptStatus.SUBMITTED
    third = user_factory(email="third@example.com", roles=[roles.EXAMINERS])
    with pytest.raises(marking_services.GradingError, match="lead examiner"):
        marking_services.claim_marking(marking_id=lead_marking.pk, examiner=third)
    attempt = grade(attempt, MarkingRole.LEAD, lead, pick=1)  # 60%
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.practical_percent == Decimal("60.00")
    assert attempt.percent == Decimal("80.00") and attempt.passed
    trail = list(attempt.marking_events.values_list("action", "actor__email"))
    assert ("lead_requested", None) in trail
    assert ("graded", "lead@example.com") in trail
    assert trail[-1] == ("finalised", "lead@example.com")
