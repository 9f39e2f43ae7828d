"""Practical tasks end to end through the services: hand-ins under the deadline,
examiners' markings, second marking, the lead examiner, appeals and certificates."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from accounts import roles
from certificates.models import Certificate
from exams import marking_services, services
from exams.models import (
    Appeal,
    AttemptFile,
    AttemptStatus,
    Marking,
    MarkingEvent,
    MarkingRole,
)
from onboarding.models import Cohort, CohortMember
from tests.factories import (
    correct_response,
    make_level,
    make_onboarding,
    make_practical_exam,
    rubric_levels,
    site_tree,
)

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def examiner(user_factory):
    return user_factory(email="examiner@example.com", roles=[roles.EXAMINERS])


@pytest.fixture
def second_examiner(user_factory):
    return user_factory(email="second@example.com", roles=[roles.EXAMINERS])


@pytest.fixture
def lead(user_factory):
    return user_factory(email="lead@example.com", roles=[roles.LEAD_EXAMINERS])


@pytest.fixture
def exam(db):
    site_tree()
    return make_practical_exam(theory=4, tasks=1, pass_mark=70)


def sit(user, exam, *, theory_right=True, now=T0, text="My diagnosis."):
    """Start, answer (theory right or blank), write the practical and submit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        attempt = services.start_attempt(user=user, exam=exam, now=now)
        answers = {}
        for q in attempt.questions.all():
            if q.qtype == "practical":
                answers[q.position] = {"text": text}
            elif theory_right:
                answers[q.position] = correct_response(q.snapshot)
        services.save_answers(attempt=attempt, sequence=1, answers=answers, now=now)
        attempt = services.submit_attempt(
            attempt=attempt, now=now + timedelta(minutes=5)
        )
    return attempt


def grade(attempt, role, examiner, pick=0, *, now=None, feedback="Clear and ordered."):
    marking = Marking.objects.get(attempt=attempt, role=role)
    with TestCase.captureOnCommitCallbacks(execute=True):
        marking_services.submit_marking(
            marking_id=marking.pk,
            examiner=examiner,
            levels=rubric_levels(attempt, pick),
            feedback=feedback,
            now=now or T0 + timedelta(hours=1),
        )
    attempt.refresh_from_db()
    return attempt


def practical_position(attempt):
    return attempt.questions.get(question__answer__icontains="rubric").position


def upload(name, content):
    return SimpleUploadedFile(name, content)


# --- submission ------------------------------------------------------------------------


def test_an_attempt_with_practical_work_waits_for_grading_with_its_theory_score(
    learner, exam
):
    attempt = sit(learner, exam)
    assert attempt.status == AttemptStatus.SUBMITTED
    assert attempt.has_practical
    assert attempt.theory_percent == Decimal("100.00")
    assert attempt.passed is None and attempt.percent is None
    assert list(attempt.markings.values_list("role", flat=True)) == ["first"]
    assert MarkingEvent.objects.filter(attempt=attempt, action="queued").count() == 1


def test_a_submit_twice_queues_one_marking(learner, exam):
    attempt = sit(learner, exam)
    again = services.submit_attempt(attempt=attempt, now=T0 + timedelta(minutes=6))
    assert again.status == AttemptStatus.SUBMITTED
    assert Marking.objects.filter(attempt=attempt).count() == 1


def test_the_deadline_sweep_closes_a_practical_attempt_for_grading(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    services.save_answers(
        attempt=attempt,
        sequence=1,
        answers={practical_position(attempt): {"text": "Half done"}},
        now=T0,
    )
    assert services.close_overdue_attempts(now=T0 + timedelta(minutes=31)) == 1
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.auto_submitted
    assert attempt.questions.get(position=practical_position(attempt)).response == {
        "text": "Half done"
    }


# --- hand-ins ----------------------------------------------------------------------------


def test_a_hand_in_is_stored_privately_with_its_checksum(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    record = marking_services.upload_hand_in(
        attempt=attempt,
        position=practical_position(attempt),
        upload=upload("timeline.pdf", PDF),
        now=T0,
    )
    assert record.size == len(PDF)
    assert record.file.storage is storages["private"]
    assert record.file.read() == PDF
    assert len(record.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.exe", b"MZ...", "not an accepted file type"),
        ("notes", b"text", "not an accepted file type"),
        ("fake.pdf", b"GIF89a....", "does not contain what a .pdf file should"),
        ("notes.txt", b"\xff\xfe\x00bad", "does not contain what a .txt file should"),
        ("empty.txt", b"", "is empty"),
        ("huge.txt", b"a" * (1024 * 1024 + 1), "larger than the 1 MB limit"),
    ],
)
def test_bad_hand_ins_are_refused_and_leave_nothing(
    learner, exam, name, content, message
):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    with pytest.raises(marking_services.GradingError, match=message):
        marking_services.upload_hand_in(
            attempt=attempt,
            position=practical_position(attempt),
            upload=upload(name, content),
            now=T0,
        )
    assert AttemptFile.objects.count() == 0
    folder = f"hand-ins/{attempt.public_id}"
    storage = storages["private"]
    assert not storage.exists(folder) or storage.listdir(folder) == ([], [])


def test_a_file_exactly_at_the_size_limit_is_accepted(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    record = marking_services.upload_hand_in(
        attempt=attempt,
        position=practical_position(attempt),
        upload=upload("big.txt", b"a" * (1024 * 1024)),
        now=T0,
    )
    assert record.size == 1024 * 1024


def test_a_task_takes_at_most_its_number_of_files(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    position = practical_position(attempt)
    for n in range(2):
        marking_services.upload_hand_in(
            attempt=attempt,
            position=position,
            upload=upload(f"n{n}.txt", b"ok"),
            now=T0,
        )
    with pytest.raises(marking_services.GradingError, match="at most 2 files"):
        marking_services.upload_hand_in(
            attempt=attempt, position=position, upload=upload("n3.txt", b"ok"), now=T0
        )
    assert AttemptFile.objects.count() == 2


def test_files_cannot_go_to_a_theory_question(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    theory = attempt.questions.exclude(position=practical_position(attempt)).first()
    with pytest.raises(marking_services.GradingError, match="does not take files"):
        marking_services.upload_hand_in(
            attempt=attempt,
            position=theory.position,
            upload=upload("a.txt", b"x"),
            now=T0,
        )


def test_the_deadline_applies_to_hand_ins_to_the_second(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    position = practical_position(attempt)
    at_cutoff = marking_services.upload_hand_in(
        attempt=attempt,
        position=position,
        upload=upload("a.txt", b"x"),
        now=attempt.cutoff,
    )
    assert at_cutoff.pk
    with pytest.raises(marking_services.GradingError, match="Time is up"):
        marking_services.upload_hand_in(
            attempt=attempt,
            position=position,
            upload=upload("b.txt", b"x"),
            now=attempt.cutoff + timedelta(microseconds=1),
        )
    with pytest.raises(marking_services.GradingError, match="Time is up"):
        marking_services.remove_hand_in(
            attempt=attempt,
            file_id=at_cutoff.pk,
            now=attempt.cutoff + timedelta(seconds=1),
        )
    assert AttemptFile.objects.count() == 1


def test_no_hand_in_after_submitting(learner, exam):
    attempt = sit(learner, exam)
    with pytest.raises(marking_services.GradingError, match="Time is up"):
        marking_services.upload_hand_in(
            attempt=attempt,
            position=practical_position(attempt),
            upload=upload("late.txt", b"x"),
            now=T0 + timedelta(minutes=6),
        )


def test_a_hand_in_can_be_removed_while_the_attempt_is_open(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    record = marking_services.upload_hand_in(
        attempt=attempt,
        position=practical_position(attempt),
        upload=upload("a.txt", b"x"),
        now=T0,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        marking_services.remove_hand_in(attempt=attempt, file_id=record.pk, now=T0)
    assert AttemptFile.objects.count() == 0
    assert not storages["private"].exists(record.file.name)


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
    from exams.models import AttemptStatus

    candidate = user_factory()
    attempt = sit(candidate, exam, text="")
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.practical_percent == 0 and not attempt.passed
    assert not Marking.objects.filter(attempt=attempt).exists()
    # Any written work at all is queued for an examiner as before.
    other = sit(user_factory(), exam, text="Checked the gateway logs.")
    assert other.status == AttemptStatus.SUBMITTED
    assert Marking.objects.filter(attempt=other).exists()
