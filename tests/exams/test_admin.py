import html
from datetime import UTC, datetime, timedelta

import pytest

from accounts import roles
from exams import services
from exams.models import Accommodation, QuestionBank

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_examiners_see_every_attempt_and_cannot_edit_one(
    client, exam, learner, user_factory
):
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    client.force_login(user_factory(roles=[roles.EXAMINERS]))
    listing = client.get("/admin/attempts/")
    assert listing.status_code == 200
    assert html.escape(str(learner)) in listing.content.decode()
    assert client.get(f"/admin/attempts/inspect/{attempt.pk}/").status_code == 200
    assert client.get(f"/admin/attempts/edit/{attempt.pk}/").status_code in (302, 403)
    client.force_login(learner)
    assert client.get("/admin/attempts/").status_code == 302


def test_a_training_admin_sets_an_accommodation_through_the_admin(
    client, exam, learner, user_factory
):
    examiner = user_factory(roles=[roles.TRAINING_ADMINS])
    client.force_login(examiner)
    response = client.post(
        "/admin/accommodations/new/",
        {
            "user": learner.pk,
            "exam": exam.pk,
            "extra_time_percent": 25,
            "extra_attempts": 1,
            "extended_closes_at": "",
            "note": "Reading support",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    accommodation = Accommodation.objects.get()
    assert (accommodation.set_by, accommodation.extra_time_percent) == (examiner, 25)
    attempt = services.start_attempt(user=learner, exam=exam, now=T0)
    assert attempt.deadline == T0 + timedelta(minutes=30 * 1.25)


def test_extra_attempts_and_an_extended_window(exam, learner, user_factory):
    examiner = user_factory(roles=[roles.TRAINING_ADMINS])
    exam.attempts_allowed = 1
    exam.closes_at = T0 + timedelta(hours=1)
    exam.save()
    first = services.start_attempt(user=learner, exam=exam, now=T0)
    services.submit_attempt(attempt=first, now=T0 + timedelta(minutes=1))
    with pytest.raises(services.NoAttemptsLeft):
        services.start_attempt(user=learner, exam=exam, now=T0 + timedelta(minutes=2))
    services.set_accommodation(
        user=learner,
        exam=exam,
        set_by=examiner,
        extra_attempts=1,
        extended_closes_at=T0 + timedelta(days=1),
    )
    late = T0 + timedelta(hours=3)  # after the normal window, inside the extension
    second = services.start_attempt(user=learner, exam=exam, now=late)
    assert second.number == 2
    assert second.deadline == late + timedelta(minutes=30)


def test_a_start_near_the_extended_close_ends_at_it(exam, learner, user_factory):
    """The extension is read with the learner's lock, to the microsecond."""
    exam.closes_at = T0 + timedelta(hours=1)
    exam.save()
    closes = T0 + timedelta(hours=2, microseconds=123456)
    services.set_accommodation(
        user=learner,
        exam=exam,
        set_by=user_factory(roles=[roles.TRAINING_ADMINS]),
        extra_time_percent=50,
        extended_closes_at=closes,
    )
    attempt = services.start_attempt(
        user=learner, exam=exam, now=closes - timedelta(minutes=10)
    )
    assert attempt.deadline == closes
    other = services.start_attempt(user=user_factory(), exam=exam, now=T0)
    assert other.deadline == T0 + timedelta(minutes=30)


def test_question_banks_are_snippets_with_revisions(client, user_factory):
    from tests.factories import make_bank

    bank = make_bank(questions=3)
    assert bank.revisions.count() == 1 and bank.live
    client.force_login(user_factory(roles=[roles.TRAINING_ADMINS]))
    listing = client.get("/admin/snippets/exams/questionbank/")
    assert listing.status_code == 200 and bank.title in listing.content.decode()
    edit = client.get(f"/admin/snippets/exams/questionbank/edit/{bank.pk}/")
    assert edit.status_code == 200
    assert QuestionBank.objects.get(pk=bank.pk).questions.count() == 3


def test_practical_tasks_and_their_grading_rules_are_edited_in_the_admin(
    client, user_factory
):
    from exams.models import ExamSection
    from tests.factories import make_practical_exam, site_tree

    site_tree()
    exam = make_practical_exam(minimum_practical_percent=70)
    bank = ExamSection.objects.get(exam=exam, title="Practical").bank
    client.force_login(user_factory(roles=[roles.TRAINING_ADMINS]))
    edit = client.get(f"/admin/snippets/exams/questionbank/edit/{bank.pk}/")
    html = edit.content.decode()
    assert edit.status_code == 200
    assert "Practical task (graded by an examiner)" in html
    assert "Diagnosis" in html and "Exemplary" in html
    page = client.get(f"/admin/pages/{exam.pk}/edit/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Practical tasks: grading" in html
    assert 'name="minimum_practical_percent"' in html
