"""Races in practical grading, with real threads and PostgreSQL row locks: examiners
taking the same marking, a double-clicked grade, and two lead examiners deciding one
appeal. Each checks what people would see: one examiner, one grade, one result
e-mail, one "passed" signal."""

from datetime import timedelta

import pytest
from django.db import connection

from accounts import roles
from accounts.models import OutboundEmail, User
from exams import marking_services, services
from exams.models import Attempt, Marking, MarkingEvent, MarkingRole
from tests.factories import (
    correct_response,
    make_practical_exam,
    rubric_levels,
    site_tree,
)
from tests.integration.test_exam_concurrency import ROUNDS, T0, THREADS, run_at_once

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent transactions need PostgreSQL",
    ),
]


def submitted_attempt(user, exam) -> Attempt:
    attempt = services.start_attempt(user=user, exam=exam, now=T0)
    services.save_answers(
        attempt=attempt,
        sequence=1,
        answers={
            q.position: correct_response(q.snapshot) for q in attempt.served_questions()
        },
        now=T0,
    )
    return services.submit_attempt(attempt=attempt, now=T0 + timedelta(minutes=1))


def attempt_outcome(prepared_call):
    try:
        prepared_call()
    except marking_services.GradingError as exc:
        return str(exc)
    return "ok"


def test_examiners_taking_the_same_marking_at_once_get_one_owner(user_factory):
    site_tree()
    exam = make_practical_exam()
    examiners = [
        user_factory(email=f"ex{i}@example.com", roles=[roles.EXAMINERS])
        for i in range(THREADS)
    ]
    for round_ in range(ROUNDS):
        attempt = submitted_attempt(user_factory(email=f"c{round_}@example.com"), exam)
        marking = attempt.markings.get()

        def prepare(index, marking_id=marking.pk):
            return marking_id, User.objects.get(pk=examiners[index].pk)

        def take(prepared):
            marking_id, examiner = prepared
            return attempt_outcome(
                lambda: marking_services.claim_marking(
                    marking_id=marking_id, examiner=examiner
                )
            )

        outcomes = run_at_once(THREADS, prepare, take)
        assert outcomes.count("ok") == 1, outcomes
        assert set(outcomes) - {"ok"} == {"Another examiner has taken this marking."}
        marking.refresh_from_db()
        assert marking.examiner_id == examiners[outcomes.index("ok")].pk
        assert MarkingEvent.objects.filter(marking=marking, action="taken").count() == 1


def test_a_grade_submitted_several_times_at_once_counts_once(user_factory):
    site_tree()
    exam = make_practical_exam()
    examiner = user_factory(email="examiner@example.com", roles=[roles.EXAMINERS])
    for round_ in range(ROUNDS):
        attempt = submitted_attempt(user_factory(email=f"d{round_}@example.com"), exam)
        marking = attempt.markings.get()
        levels = rubric_levels(attempt, 0)
        OutboundEmail.objects.all().delete()

        def prepare(index, marking_id=marking.pk):
            return marking_id, User.objects.get(pk=examiner.pk)

        def submit(prepared, levels=levels):
            marking_id, who = prepared
            return attempt_outcome(
                lambda: marking_services.submit_marking(
                    marking_id=marking_id, examiner=who, levels=levels, feedback="Good."
                )
            )

        outcomes = run_at_once(THREADS, prepare, submit)
        assert outcomes.count("ok") == 1, outcomes
        attempt.refresh_from_db()
        assert attempt.status == "graded" and attempt.passed
        assert (
            MarkingEvent.objects.filter(attempt=attempt, action="finalised").count()
            == 1
        )
        assert OutboundEmail.objects.filter(subject__contains="is ready").count() == 1


def test_two_lead_examiners_deciding_one_appeal_pass_it_once(user_factory, passes):
    site_tree()
    exam = make_practical_exam()
    examiner = user_factory(email="examiner@example.com", roles=[roles.EXAMINERS])
    leads = [
        user_factory(email=f"lead{i}@example.com", roles=[roles.LEAD_EXAMINERS])
        for i in range(THREADS)
    ]
    candidate = user_factory(email="candidate@example.com")
    attempt = submitted_attempt(candidate, exam)
    first = attempt.markings.get()
    marking_services.submit_marking(
        marking_id=first.pk,
        examiner=examiner,
        levels=rubric_levels(attempt, 3),
        feedback="Missing.",
    )
    marking_services.lodge_appeal(
        attempt=Attempt.objects.get(pk=attempt.pk), user=candidate, reason="Re-check"
    )
    appeal = Marking.objects.get(attempt=attempt, role=MarkingRole.APPEAL)
    levels = rubric_levels(attempt, 0)

    def prepare(index):
        return User.objects.get(pk=leads[index].pk)

    def decide(lead):
        return attempt_outcome(
            lambda: marking_services.submit_marking(
                marking_id=appeal.pk, examiner=lead, levels=levels, feedback="Upheld."
            )
        )

    outcomes = run_at_once(THREADS, prepare, decide)
    assert outcomes.count("ok") == 1, outcomes
    attempt.refresh_from_db()
    assert attempt.passed is True
    assert passes == [attempt.pk]
