"""An exam can ask for courses completed and approved experience before it
starts; the start service enforces it and the exam page says what is missing."""

import pytest
from django.utils import timezone

from certificates.models import AttestationStatus, ExperienceAttestation
from courses.models import Enrollment
from exams import services
from exams.models import Attempt, ExamRequiredCourse
from tests.factories import make_course, make_exam, make_level, site_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def gated(db):
    site_tree()
    course = make_course(title="Advanced Administration", modules=1)
    exam = make_exam(count=3, title="Expert exam", requires_experience_attestation=True)
    ExamRequiredCourse.objects.create(exam=exam, course=course)
    level = make_level(exams=[exam], title="Certified Expert", code="expert")
    level.required_experience_months = 60
    level.save_revision().publish()
    return exam, course, level


def complete(user, course):
    enrollment = Enrollment.objects.create(user=user, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        completed_at=timezone.now() + timezone.timedelta(minutes=1)
    )


def test_a_learner_who_is_not_eligible_cannot_start_and_is_told_why(
    client, learner, gated
):
    exam, course, level = gated
    with pytest.raises(services.RequirementsNotMet) as refusal:
        services.start_attempt(user=learner, exam=exam)
    message = str(refusal.value)
    assert "Complete the course “Advanced Administration”." in message
    assert "Have your experience approved for Certified Expert" in message
    client.force_login(learner)
    page = client.get(exam.url).content.decode()
    assert "Complete the course “Advanced Administration”." in page
    response = client.post(exam.url + "start/")
    assert response.status_code in (302, 200, 403)
    assert not Attempt.objects.exists()


def test_a_pending_attestation_is_not_enough(learner, gated):
    exam, course, level = gated
    complete(learner, course)
    ExperienceAttestation.objects.create(
        user=learner, level=level, months=72, description="Six years of support."
    )
    with pytest.raises(services.RequirementsNotMet, match="experience approved"):
        services.start_attempt(user=learner, exam=exam)


def test_an_eligible_learner_starts(learner, gated):
    exam, course, level = gated
    complete(learner, course)
    ExperienceAttestation.objects.create(
        user=learner,
        level=level,
        months=72,
        description="Six years of support.",
        status=AttestationStatus.APPROVED,
    )
    assert services.start_attempt(user=learner, exam=exam).pk
