"""Practical tasks as the candidate and the examiner see them: the task page,
hand-ins, the result with feedback, appeals, and the examiners' queue in the admin."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts import roles
from exams import marking_services, services
from exams.models import AttemptFile, Marking, MarkingRole
from tests.exams.marking.support import grade, practical_position, sit
from tests.factories import make_practical_exam, site_tree


@pytest.fixture
def exam(db):
    site_tree()
    return make_practical_exam(theory=2, tasks=1, pass_mark=70)


@pytest.fixture
def examiner(user_factory):
    return user_factory(
        email="examiner@example.com", first_name="Erin", roles=[roles.EXAMINERS]
    )


@pytest.fixture
def candidate(user_factory):
    return user_factory(
        email="candidate@example.com", first_name="Casey", last_name="Quill"
    )


def test_the_task_page_shows_the_scenario_criteria_and_hand_in_controls(
    client, candidate, exam
):
    attempt = services.start_attempt(user=candidate, exam=exam)
    client.force_login(candidate)
    response = client.get(
        reverse("exams:attempt", args=[attempt.public_id]) + "?page=1"
    )
    html = response.content.decode()
    position = practical_position(attempt)
    assert "Scenario 0: agents cannot reach the gateway." in html
    assert f'<textarea name="q{position}"' in html
    assert 'accept=".pdf,.txt,.png"' in html
    assert "Diagnosis" in html and "Fix" in html
    assert "Exemplary" not in html  # level names and points are the examiners'
    assert f'id="upload-{position}"' in html


def test_hand_in_through_the_form_then_download_and_remove(client, candidate, exam):
    attempt = services.start_attempt(user=candidate, exam=exam)
    position = practical_position(attempt)
    client.force_login(candidate)
    response = client.post(
        reverse("exams:upload", args=[attempt.public_id, position]),
        {"file": SimpleUploadedFile("notes.txt", b"port 9443 blocked")},
        follow=True,
    )
    assert "“notes.txt” is handed in." in response.content.decode()
    assert "notes.txt" in response.content.decode()
    record = AttemptFile.objects.get()
    download = client.get(
        reverse("exams:download_upload", args=[attempt.public_id, record.pk])
    )
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == b"port 9443 blocked"
    response = client.post(
        reverse("exams:remove_upload", args=[attempt.public_id, record.pk]),
        follow=True,
    )
    assert "is removed" in response.content.decode()
    assert not AttemptFile.objects.exists()


def test_a_refused_hand_in_says_why_and_the_answers_stay(client, candidate, exam):
    attempt = services.start_attempt(user=candidate, exam=exam)
    position = practical_position(attempt)
    services.save_answers(
        attempt=attempt, sequence=1, answers={position: {"text": "My notes"}}
    )
    client.force_login(candidate)
    response = client.post(
        reverse("exams:upload", args=[attempt.public_id, position]),
        {"file": SimpleUploadedFile("virus.exe", b"MZ")},
        follow=True,
    )
    html = response.content.decode()
    assert "not an accepted file type" in html
    assert "My notes" in html
    assert not AttemptFile.objects.exists()


def test_someone_elses_attempt_files_are_not_found(
    client, candidate, user_factory, exam
):
    attempt = services.start_attempt(user=candidate, exam=exam)
    record = marking_services.upload_hand_in(
        attempt=attempt,
        position=practical_position(attempt),
        upload=SimpleUploadedFile("a.txt", b"x"),
    )
    intruder = user_factory(email="intruder@example.com")
    client.force_login(intruder)
    urls = [
        reverse("exams:download_upload", args=[attempt.public_id, record.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("exams:remove_upload", args=[attempt.public_id, record.pk])
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("exams:upload", args=[attempt.public_id, 1]),
            {"file": SimpleUploadedFile("b.txt", b"y")},
        ).status_code
        == 404
    )
    assert AttemptFile.objects.count() == 1


def test_a_file_of_another_attempt_is_not_reachable_through_mine(
    client, candidate, user_factory, exam
):
    other = user_factory(email="other@example.com")
    theirs = services.start_attempt(user=other, exam=exam)
    record = marking_services.upload_hand_in(
        attempt=theirs,
        position=practical_position(theirs),
        upload=SimpleUploadedFile("a.txt", b"secret"),
    )
    mine = services.start_attempt(user=candidate, exam=exam)
    client.force_login(candidate)
    url = reverse("exams:download_upload", args=[mine.public_id, record.pk])
    assert client.get(url).status_code == 404


def test_the_result_waits_with_the_theory_score_then_shows_the_feedback(
    client, candidate, exam, examiner
):
    attempt = sit(candidate, exam)
    client.force_login(candidate)
    url = reverse("exams:result", args=[attempt.public_id])
    html = client.get(url).content.decode()
    assert "Awaiting grading" in html
    assert "Theory part: <strong>100%</strong>" in html
    grade(attempt, MarkingRole.FIRST, examiner, pick=0, feedback="Port check first.")
    html = client.get(url).content.decode()
    assert "Your score: 100%" in html
    assert "Port check first." in html
    assert "Exemplary" in html and "Right" in html
    assert "Erin" not in html and examiner.email not in html


def test_a_failed_candidate_appeals_from_the_result_page(
    client, candidate, exam, examiner
):
    attempt = grade(sit(candidate, exam), MarkingRole.FIRST, examiner, pick=3)
    client.force_login(candidate)
    url = reverse("exams:result", args=[attempt.public_id])
    assert "Appeal this result" in client.get(url).content.decode()
    assert (
        client.get(reverse("exams:appeal", args=[attempt.public_id])).status_code == 405
    )
    response = client.post(
        reverse("exams:appeal", args=[attempt.public_id]),
        {"reason": "My second task covered the post-mortem."},
        follow=True,
    )
    html = response.content.decode()
    assert "Your appeal is lodged" in html
    assert "A lead examiner is re-grading" in html
    assert Marking.objects.filter(attempt=attempt, role=MarkingRole.APPEAL).exists()


# --- the examiners' admin --------------------------------------------------------------


def test_the_queue_is_for_examiners_only(client, candidate):
    client.force_login(candidate)
    assert client.get(reverse("exams_grading_queue")).status_code in (302, 403)


def test_the_queue_lists_the_oldest_first_and_hides_names_when_blind(
    client, user_factory, exam, examiner
):
    late = user_factory(email="late@example.com", first_name="Late")
    early = user_factory(email="early@example.com", first_name="Early")
    now = timezone.now()
    sit(late, exam, now=now - timedelta(hours=1))
    first = sit(early, exam, now=now - timedelta(hours=3))
    client.force_login(examiner)
    html = client.get(reverse("exams_grading_queue")).content.decode()
    assert "2 waiting" in html
    assert f"Candidate {first.candidate_number}" in html
    assert html.index(first.candidate_number) < html.index(
        Marking.objects.get(attempt__user=late).attempt.candidate_number
    )
    assert "early@example.com" not in html and "Early" not in html


def test_grading_is_blind_until_the_grade_is_submitted(
    client, candidate, exam, examiner
):
    attempt = sit(candidate, exam)
    marking = attempt.markings.get()
    client.force_login(examiner)
    url = reverse("exams_grade_marking", args=[marking.pk])
    html = client.get(url).content.decode()
    assert f"Candidate {attempt.candidate_number}" in html
    assert "Casey" not in html and "candidate@example.com" not in html
    assert "My diagnosis." in html  # the written answer
    task = practical_position(attempt)
    data = {"action": "submit", "feedback": "Solid work."}
    question = attempt.served_questions([task])[0]
    for criterion in question.snapshot["key"]["rubric"]:
        data[f"level-{task}-{criterion['id']}"] = criterion["levels"][0]["id"]
    response = client.post(url, data, follow=True)
    html = response.content.decode()
    assert "Graded: 100.00% on the practical part." in html
    assert "Casey Quill" in html and "candidate@example.com" in html
    attempt.refresh_from_db()
    assert attempt.status == "graded" and attempt.passed


def test_a_grade_with_a_criterion_missing_keeps_what_the_examiner_chose(
    client, candidate, exam, examiner
):
    attempt = sit(candidate, exam)
    marking = attempt.markings.get()
    task = practical_position(attempt)
    criterion = attempt.served_questions([task])[0].snapshot["key"]["rubric"][0]
    client.force_login(examiner)
    response = client.post(
        reverse("exams_grade_marking", args=[marking.pk]),
        {
            "action": "submit",
            "feedback": "Half way",
            f"level-{task}-{criterion['id']}": criterion["levels"][1]["id"],
        },
    )
    html = response.content.decode()
    assert "choose a level for “Fix”" in html
    assert "Half way" in html
    chosen = criterion["levels"][1]["id"]
    assert re.search(rf'id="level-{task}-{chosen}"[^>]*checked', html)
    assert not re.search(
        rf'id="level-{task}-{criterion["levels"][0]["id"]}"[^>]*checked', html
    )
    marking.refresh_from_db()
    assert marking.submitted_at is None


def test_non_blind_exams_show_the_name(client, candidate, examiner):
    site_tree()
    exam = make_practical_exam(blind_grading=False)
    attempt = sit(candidate, exam)
    client.force_login(examiner)
    html = client.get(
        reverse("exams_grade_marking", args=[attempt.markings.get().pk])
    ).content.decode()
    assert "Casey Quill" in html


def test_own_and_mentees_attempts_are_not_offered(client, exam, examiner, user_factory):
    sit(examiner, exam)
    report = user_factory(email="report@example.com")
    report.manager = examiner
    report.save()
    sit(report, exam)
    client.force_login(examiner)
    html = client.get(reverse("exams_grading_queue")).content.decode()
    assert "0 waiting" in html
    own = Marking.objects.get(attempt__user=examiner)
    response = client.get(reverse("exams_grade_marking", args=[own.pk]), follow=True)
    assert "cannot grade your own attempt" in response.content.decode()


def test_examiners_download_hand_ins_only_for_work_they_may_grade(
    client, candidate, exam, examiner
):
    attempt = services.start_attempt(user=candidate, exam=exam)
    record = marking_services.upload_hand_in(
        attempt=attempt,
        position=practical_position(attempt),
        upload=SimpleUploadedFile("log.txt", b"handshake timeout"),
    )
    services.submit_attempt(attempt=attempt)
    marking = Marking.objects.get(attempt=attempt)
    client.force_login(examiner)
    url = reverse("exams_marking_file", args=[marking.pk, record.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"handshake timeout"
    client.force_login(candidate)
    assert client.get(url).status_code in (302, 403)


def test_the_queue_runs_a_fixed_number_of_queries(client, user_factory, exam, examiner):
    client.force_login(examiner)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("exams_grading_queue")).status_code == 200
        return len(queries)

    for n in range(2):
        sit(user_factory(email=f"a{n}@example.com"), exam)
    few = count()
    for n in range(12):
        sit(user_factory(email=f"b{n}@example.com"), exam)
    assert count() == few


def test_training_admins_read_every_grade_but_cannot_change_one(
    client, candidate, exam, examiner, user_factory
):
    attempt = grade(sit(candidate, exam), MarkingRole.FIRST, examiner, pick=1)
    marking = attempt.markings.get()
    admin = user_factory(email="ta@example.com", roles=[roles.TRAINING_ADMINS])
    client.force_login(admin)
    listing = client.get("/admin/practical-grades/")
    assert listing.status_code == 200
    assert escape(str(examiner)) in listing.content.decode()
    assert "60.00" in listing.content.decode()  # the practical score
    inspect = client.get(f"/admin/practical-grades/inspect/{marking.pk}/")
    assert inspect.status_code == 200
    edit = client.post(
        f"/admin/practical-grades/edit/{marking.pk}/", {"feedback": "Changed"}
    )
    assert edit.status_code in (302, 403)
    marking.refresh_from_db()
    assert marking.feedback == "Clear and ordered."
