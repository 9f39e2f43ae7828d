"""Who may grade whom, asked in one place: the queue never offers an examiner the
work of their own attempt, their report or their mentee, and the service refuses
the same people when a marking is forced by id."""

import pytest

from accounts import roles
from exams import marking_services
from exams.marking_selectors import grading_queue
from exams.models import MarkingRole
from onboarding.models import Cohort, CohortMember
from tests.exams.marking.support import T0, grade, sit
from tests.factories import make_onboarding

pytestmark = pytest.mark.django_db


def test_the_queue_and_the_service_leave_out_the_same_candidates(
    user_factory,
    exam,  # noqa: F811
    examiner,  # noqa: F811
):
    mentee = user_factory(email="mentee@example.com", roles=[roles.SUPPORT_HIRES])
    report = user_factory(email="report@example.com")
    report.manager = examiner
    report.save()
    stranger = user_factory(email="stranger@example.com")
    cohort = Cohort.objects.create(
        name="C1", program=make_onboarding(), start_date=T0.date()
    )
    CohortMember.objects.create(cohort=cohort, hire=mentee, mentor=examiner)
    attempts = {
        who: sit(user, exam)
        for who, user in {
            "own": examiner,
            "mentee": mentee,
            "report": report,
            "stranger": stranger,
        }.items()
    }
    offered = {m.attempt_id for m in grading_queue(examiner=examiner)["waiting"]}
    assert offered == {attempts["stranger"].pk}
    for who in ("own", "mentee", "report"):
        with pytest.raises(marking_services.GradingError):
            grade(attempts[who], MarkingRole.FIRST, examiner)
    other = user_factory(email="other.examiner@example.com", roles=[roles.EXAMINERS])
    offered = {m.attempt_id for m in grading_queue(examiner=other)["waiting"]}
    assert offered == {a.pk for a in attempts.values()}
