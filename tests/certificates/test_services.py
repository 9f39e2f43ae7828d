from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import roles
from certificates import services
from certificates.models import (
    Certificate,
    CertificateStatus,
    ExternalCertification,
    ReminderSent,
)
from tests.factories import make_exam, make_level, pass_exam, site_tree, study_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def level(db):
    site_tree()
    return make_level(
        exams=[make_exam(count=4)], code="associate", title="Certified Associate"
    )


def test_no_certificate_until_every_requirement_is_met(level, learner, user_factory):
    assert services.issue_certificate_if_eligible(user=learner, level=level) is None
    reviewer = user_factory(roles=[roles.EXAMINERS])
    level.required_experience_months = 6
    level.save()
    exam = level.required_exams.get().exam
    pass_exam(learner, exam)
    assert not Certificate.objects.exists()  # experience not yet attested
    attestation = services.attest_experience(
        user=learner,
        level=level,
        months=8,
        description="Eight months running MWRASP for a bank.",
    )
    services.review_experience(attestation=attestation, reviewer=reviewer, approve=True)
    certificate = Certificate.objects.get()
    assert certificate.holder == learner and certificate.level == level
    assert certificate.expires_on == services.add_months(certificate.issued_on, 36)
    assert certificate.score == 100


def test_passing_issues_once_even_when_the_signal_is_handled_twice(
    level, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attempt = pass_exam(learner, level.required_exams.get().exam)
    assert Certificate.objects.count() == 1
    assert services.issue_for_passed_attempt(attempt=attempt) == []
    assert Certificate.objects.count() == 1
    certificate = Certificate.objects.get()
    assert certificate.serial.startswith(f"MWR-ASSO-{certificate.issued_on.year}-")
    assert len(certificate.verification_code) >= 20


def test_an_issued_certificate_is_immutable(level, learner):
    pass_exam(learner, level.required_exams.get().exam)
    certificate = Certificate.objects.get()
    certificate.holder_name = "Someone Else"
    with pytest.raises(ValidationError):
        certificate.save()
    certificate.refresh_from_db()
    assert certificate.holder_name == learner.display_name


def test_early_renewal_keeps_the_remaining_months_and_supersedes(level, learner):
    exam = level.required_exams.get().exam
    exam.attempts_allowed = 0
    exam.save()
    pass_exam(learner, exam)
    first = Certificate.objects.get()
    # 60 days before expiry: inside the 90-day window.
    today = first.expires_on - timedelta(days=60)
    assert (
        services.issue_certificate_if_eligible(user=learner, level=level, today=today)
        is None
    )
    pass_exam(learner, exam)  # graded now, which is before the window opens
    renewal = services.issue_certificate_if_eligible(
        user=learner, level=level, today=first.expires_on - timedelta(days=100)
    )
    assert renewal is None  # window not open yet
    renewal = _renew_in_window(learner, level, exam, first)
    assert renewal.supersedes == first and renewal.cycle == 2
    assert renewal.expires_on == services.add_months(first.expires_on, 36)
    assert first.status_on() == CertificateStatus.SUPERSEDED
    assert renewal.status_on() == CertificateStatus.VALID


def _renew_in_window(learner, level, exam, first):
    from django.utils import timezone

    from exams.models import Attempt

    window_day = first.expires_on - timedelta(days=30)
    Attempt.objects.filter(user=learner, passed=True).update(
        graded_at=timezone.make_aware(
            timezone.datetime.combine(window_day, timezone.datetime.min.time())
        )
        + timedelta(hours=10)
    )
    return services.issue_certificate_if_eligible(
        user=learner, level=level, today=window_day
    )


def test_revocation_is_a_status_with_reason(level, learner, user_factory):
    pass_exam(learner, level.required_exams.get().exam)
    certificate = Certificate.objects.get()
    with pytest.raises(PermissionDenied):
        services.revoke_certificate(
            certificate=certificate, revoked_by=learner, reason="x"
        )
    examiner = user_factory(roles=[roles.EXAMINERS])
    with pytest.raises(ValueError):
        services.revoke_certificate(
            certificate=certificate, revoked_by=examiner, reason=" "
        )
    revoked = services.revoke_certificate(
        certificate=certificate, revoked_by=examiner, reason="Exam misconduct"
    )
    assert revoked.status_on() == CertificateStatus.REVOKED
    assert (revoked.revoked_by, revoked.revocation_reason) == (
        examiner,
        "Exam misconduct",
    )
    assert Certificate.objects.count() == 1


def test_expiry_is_computed_from_the_date(level, learner):
    pass_exam(learner, level.required_exams.get().exam)
    certificate = Certificate.objects.get()
    assert certificate.status_on(certificate.expires_on) == CertificateStatus.VALID
    assert (
        certificate.status_on(certificate.expires_on + timedelta(days=1))
        == CertificateStatus.EXPIRED
    )


def test_a_course_that_awards_a_certificate_issues_one_on_completion(learner):
    from courses import services as course_services
    from tests.factories import make_course, modules_of

    site_tree()
    course = make_course(modules=1, certificate_validity_months=24)
    course_services.enroll(user=learner, course=course)
    study_module(user=learner, module=modules_of(course)[0])
    assert services.issue_course_certificate(user=learner, course=course)
    assert services.issue_course_certificate(user=learner, course=course) is None
    certificate = Certificate.objects.get()
    assert certificate.kind == "course" and certificate.title == course.title
    assert certificate.expires_on == services.add_months(certificate.issued_on, 24)


def test_a_valid_certification_unlocks_an_equivalent_prerequisite(level, learner):
    from courses import services as course_services
    from tests.factories import make_course

    basics = make_course(equivalent_certifications="associate")
    advanced = make_course(prerequisites=[basics])
    with pytest.raises(course_services.PrerequisitesNotMet):
        course_services.enroll(user=learner, course=advanced)
    pass_exam(learner, level.required_exams.get().exam)
    assert course_services.enroll(user=learner, course=advanced)[1]


def test_add_months_handles_month_ends():
    assert services.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert services.add_months(date(2024, 2, 29), 36) == date(2027, 2, 28)
    assert services.add_months(date(2026, 11, 27), 36) == date(2029, 11, 27)


# --- reminders --------------------------------------------------------------------------


def issue_expiring(level, user, expires_on):
    cycle = Certificate.objects.filter(holder=user, level=level).count() + 1
    return Certificate.objects.create(
        cycle=cycle,
        serial=f"MWR-T-{user.pk}-{expires_on:%Y%m%d}",
        holder=user,
        holder_name=user.display_name,
        kind="certification",
        level=level,
        title=level.title,
        issued_on=expires_on - timedelta(days=365 * 3),
        expires_on=expires_on,
    )


def test_due_offset_sends_only_the_latest_due():
    offsets = [90, 30, 7, 0]
    assert services.due_offset(91, offsets) is None
    assert services.due_offset(90, offsets) == 90
    assert services.due_offset(29, offsets) == 30  # a missed 90-day run is not replayed
    assert services.due_offset(0, offsets) == 0
    assert services.due_offset(-3, offsets) == 0
    assert services.due_offset(-15, offsets) is None


def test_reminders_are_sent_once_per_offset_whatever_the_reruns(
    level, user_factory, django_capture_on_commit_callbacks
):
    today = date(2026, 11, 27)
    holder = user_factory()
    issue_expiring(level, holder, today + timedelta(days=90))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_expiry_reminders(today=today) == 1
        assert services.send_expiry_reminders(today=today) == 0
        assert services.send_expiry_reminders(today=today + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1
    assert "expires in 90 days" in mail.outbox[0].subject
    assert "/certifications/" in mail.outbox[0].body
    # Across two offsets: the 30-day and the 7-day reminders, once each.
    with django_capture_on_commit_callbacks(execute=True):
        for day in range(1, 91):
            services.send_expiry_reminders(today=today + timedelta(days=day))
    offsets = sorted(ReminderSent.objects.values_list("offset_days", flat=True))
    assert offsets == [0, 7, 30, 90]
    assert len(mail.outbox) == 4


def test_a_missed_run_catches_up_with_the_latest_offset_only(level, user_factory):
    today = date(2026, 11, 27)
    issue_expiring(level, user_factory(), today + timedelta(days=25))
    assert services.send_expiry_reminders(today=today) == 1
    assert list(ReminderSent.objects.values_list("offset_days", flat=True)) == [30]


def test_revoked_and_superseded_certificates_get_no_reminder(level, user_factory):
    today = date(2026, 11, 27)
    old = issue_expiring(level, user_factory(), today + timedelta(days=7))
    Certificate.objects.filter(pk=old.pk).update(revoked_at="2026-11-01T00:00:00Z")
    assert services.send_expiry_reminders(today=today) == 0
    holder = user_factory()
    renewed = issue_expiring(level, holder, today + timedelta(days=7))
    renewal = issue_expiring(level, holder, today + timedelta(days=7 + 365 * 3))
    Certificate.objects.filter(pk=renewal.pk).update(supersedes=renewed)
    # The renewal is not yet due; the certificate it replaced never is.
    assert services.send_expiry_reminders(today=today) == 0
    fresh = issue_expiring(level, user_factory(), today + timedelta(days=7))
    assert services.send_expiry_reminders(today=today) == 1
    assert ReminderSent.objects.get().certificate == fresh


def test_staff_reminders_copy_their_manager(
    level, user_factory, django_capture_on_commit_callbacks
):
    manager = user_factory(email="manager@example.org")
    hire = user_factory(roles=[roles.SUPPORT_HIRES], manager=manager)
    today = date(2026, 11, 27)
    issue_expiring(level, hire, today + timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        services.send_expiry_reminders(today=today)
    assert mail.outbox[0].to == [hire.email, "manager@example.org"]


def test_reminder_job_queries_follow_the_due_count_not_the_table(level, user_factory):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = date(2026, 11, 27)
    users = [user_factory() for _ in range(3)]
    far = [
        issue_expiring(level, users[i % 3], today + timedelta(days=400 + i))
        for i in range(60)
    ]
    assert far
    issue_expiring(level, users[0], today + timedelta(days=30))
    with CaptureQueriesContext(connection) as one_due:
        assert services.send_expiry_reminders(today=today) == 1
    ReminderSent.objects.all().delete()
    issue_expiring(level, users[1], today + timedelta(days=29))
    issue_expiring(level, users[2], today + timedelta(days=28))
    with CaptureQueriesContext(connection) as three_due:
        assert services.send_expiry_reminders(today=today) == 3
    per_reminder = (len(three_due) - len(one_due)) / 2
    assert len(three_due) == len(one_due) + 2 * per_reminder
    assert per_reminder <= 8


# --- external certifications -----------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_external_certification_proof_is_type_and_size_checked(user_factory):
    hire = user_factory(roles=[roles.SUPPORT_HIRES])
    fields = {
        "name": "CompTIA Security+",
        "issuer": "CompTIA",
        "category": "security",
        "issued_on": date(2026, 1, 10),
        "expires_on": date(2029, 1, 10),
    }
    for bad in (
        SimpleUploadedFile(
            "proof.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
        ),
        SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024 + 1)),
    ):
        with pytest.raises(ValueError):
            services.record_external_certification(holder=hire, proof=bad, **fields)
    assert not ExternalCertification.objects.exists()
    good = services.record_external_certification(
        holder=hire, proof=SimpleUploadedFile("proof.pdf", PDF_BYTES), **fields
    )
    assert good.proof.name.endswith(".pdf") and good.status == "pending"
    with pytest.raises(PermissionDenied):
        services.review_external_certification(
            external=good, reviewer=hire, approve=True
        )
    mentor = user_factory(roles=[roles.MENTORS])
    assert (
        services.review_external_certification(
            external=good, reviewer=mentor, approve=True
        ).status
        == "approved"
    )


def test_a_revoked_certificate_is_not_reissued_from_the_same_pass(
    level, learner, user_factory
):
    exam = level.required_exams.get().exam
    exam.attempts_allowed = 0
    exam.save()
    attempt = pass_exam(learner, exam)
    examiner = user_factory(roles=[roles.EXAMINERS])
    services.revoke_certificate(
        certificate=Certificate.objects.get(), revoked_by=examiner, reason="Misconduct"
    )
    assert services.issue_for_passed_attempt(attempt=attempt) == []
    pass_exam(learner, exam)  # a new pass after the revocation earns it again
    fresh = Certificate.objects.get(revoked_at__isnull=True)
    assert fresh.cycle == 2
