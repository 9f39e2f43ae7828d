import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exams import services
from exams.models import Attempt, AttemptStatus, Question, QuestionBank
from tests.factories import any_answer_stored, make_exam, served_question, site_tree

pytestmark = pytest.mark.django_db

SECRET_BANK = [
    (
        "single",
        {
            "choices": [
                {"text": "Alpha", "correct": False},
                {"text": "Bravo", "correct": True},
            ]
        },
    ),
    ("short_answer", {"accepted": ["SECRET-ANSWER-XYZ"], "pattern": ""}),
    ("numeric", {"answer": "424242", "tolerance": "0"}),
    ("true_false", {"answer": False}),
    (
        "matching",
        {
            "pairs": [
                {"prompt": "One", "match": "Uno"},
                {"prompt": "Two", "match": "Dos"},
            ]
        },
    ),
    ("ordering", {"items": ["First step", "Second step", "Third step"]}),
    (
        "multiple",
        {
            "choices": [
                {"text": "Red", "correct": True},
                {"text": "Blue", "correct": True},
                {"text": "Green", "correct": False},
            ],
            "scoring": "partial",
        },
    ),
]


@pytest.fixture
def secret_exam(db):
    site_tree()
    bank = QuestionBank(key="secret", title="Secret bank")
    bank.questions = [
        Question(
            key=f"q{i}",
            topic="t",
            stem=f"<p>Stem {i}</p>",
            explanation="<p>EXPLANATION-MARKER</p>",
            answer=[{"type": qtype, "value": value}],
            sort_order=i,
        )
        for i, (qtype, value) in enumerate(SECRET_BANK)
    ]
    bank.save()
    bank.save_revision().publish()
    return make_exam(
        bank=bank,
        count=len(SECRET_BANK),
        questions_per_page=4,
        shuffle_choices=True,
        review_policy="answers",
    )


def attempt_urls(attempt):
    pid = attempt.public_id
    return {
        name: reverse(f"exams:{name}", args=[pid])
        for name in ("attempt", "save", "answer", "status", "submit", "result")
    }


def started_from_the_exam_page(client, learner, exam):
    """``learner`` signed in and started ``exam`` from its page: the attempt and
    its URLs."""
    client.force_login(learner)
    client.post(exam.url + "start/")
    attempt = Attempt.objects.get()
    return attempt, attempt_urls(attempt)


def test_the_exam_can_be_taken_end_to_end_without_javascript(
    client, learner, secret_exam
):
    client.force_login(learner)
    overview = client.get(secret_exam.url).content.decode()
    assert "Start the exam" in overview and "30 minutes" in overview
    response = client.post(secret_exam.url + "start/")
    attempt = Attempt.objects.get()
    urls = attempt_urls(attempt)
    assert response["Location"] == urls["attempt"]
    page = client.get(urls["attempt"]).content.decode()
    assert "Question 1" in page and "Page 1 of 2" in page
    single = served_question(attempt, 1)
    bravo = next(
        c["id"] for c in single.snapshot["public"]["choices"] if c["text"] == "Bravo"
    )
    response = client.post(
        urls["answer"],
        {
            "page": 1,
            "q1": bravo,
            "q2": " secret-answer-xyz ",
            "q3": "424242",
            "flag4": "on",
            "go": "2",
        },
    )
    assert response["Location"] == urls["attempt"] + "?page=2"
    assert "Question 5" in client.get(response["Location"]).content.decode()
    summary = client.get(urls["submit"]).content.decode()
    assert "3</strong> answered" in summary and "1</strong> flagged" in summary
    response = client.post(urls["submit"])
    assert response["Location"] == urls["result"]
    result = client.get(urls["result"]).content.decode()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.points == 3
    assert "Your score: 42.86%" in result and "Not passed" in result
    # Failed with attempts left: which answers were right, but no key that the
    # next attempt (drawing the same bank) could use.
    assert "Incorrect" in result
    assert "EXPLANATION-MARKER" not in result
    assert "once you pass or have used your last attempt" in result


def test_a_saved_matching_answer_shows_chosen_when_the_learner_comes_back(
    client, learner, secret_exam
):
    import re

    attempt, urls = started_from_the_exam_page(client, learner, secret_exam)
    matching = served_question(attempt, qtype="matching")
    public = matching.snapshot["public"]
    prompt = {p["text"]: p["id"] for p in public["prompts"]}
    option = {o["text"]: o["id"] for o in public["options"]}
    page = attempt.page_of(matching.position)
    field = f"q{matching.position}-{prompt['One']}"
    client.post(urls["answer"], {"page": page, field: option["Uno"], "go": str(page)})
    html = client.get(f"{urls['attempt']}?page={page}").content.decode()
    selected = re.findall(r'<option value="(\w+)" selected>', html)
    # "One" shows "Uno"; "Two", not answered, shows no choice.
    assert selected == [option["Uno"]], selected
    select = html.split(f'name="{field}"')[1].split("</select>")[0]
    assert f'<option value="{option["Uno"]}" selected>Uno</option>' in select


def test_no_answer_key_reaches_the_browser_during_an_attempt(
    client, learner, secret_exam
):
    attempt, urls = started_from_the_exam_page(client, learner, secret_exam)
    bodies = [
        client.get(urls["attempt"] + f"?page={n}").content.decode() for n in (1, 2)
    ]
    bodies.append(client.get(urls["submit"]).content.decode())
    bodies.append(client.get(urls["status"]).content.decode())
    bodies.append(
        client.post(urls["save"], {"seq": 1, "page": 1, "q2": "guess"}).content.decode()
    )
    for body in bodies:
        for secret in (
            "SECRET-ANSWER-XYZ",
            "424242",
            "EXPLANATION-MARKER",
            "correct",
            '"key"',
        ):
            assert secret not in body, secret
    # Ordering items are never served already in the right order.
    ordering = served_question(attempt, qtype="ordering")
    shown = [item["text"] for item in ordering.snapshot["public"]["items"]]
    assert shown != ["First step", "Second step", "Third step"]


def test_every_attempt_url_is_404_for_another_learner(
    client, learner, user_factory, secret_exam
):
    attempt = services.start_attempt(user=learner, exam=secret_exam)
    before = (attempt.last_save_sequence, attempt.status)
    client.force_login(user_factory())
    urls = attempt_urls(attempt)
    for name in ("attempt", "status", "submit", "result"):
        assert client.get(urls[name]).status_code == 404, name
    for name in ("save", "answer", "submit"):
        assert (
            client.post(urls[name], {"seq": 9, "page": 1, "q1": "a"}).status_code == 404
        ), name
    attempt.refresh_from_db()
    assert (attempt.last_save_sequence, attempt.status) == before
    assert not any_answer_stored()


def test_anonymous_visitors_are_sent_to_sign_in(client, learner, secret_exam):
    attempt = services.start_attempt(user=learner, exam=secret_exam)
    for name, url in attempt_urls(attempt).items():
        response = (
            client.get(url)
            if name in ("attempt", "status", "result")
            else client.post(url)
        )
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        ), name
    assert client.post(secret_exam.url + "start/").status_code == 302
    assert Attempt.objects.count() == 1


def test_changes_require_post_and_csrf(learner, secret_exam):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.get(secret_exam.url + "start/").status_code == 405
    assert client.post(secret_exam.url + "start/").status_code == 403
    attempt = services.start_attempt(user=learner, exam=secret_exam)
    urls = attempt_urls(attempt)
    assert client.get(urls["save"]).status_code == 405
    for name in ("save", "answer", "submit"):
        assert client.post(urls[name], {"seq": 1}).status_code == 403
    attempt.refresh_from_db()
    assert attempt.is_open and attempt.last_save_sequence == 0


def test_autosave_json_contract(client, learner, secret_exam):
    client.force_login(learner)
    attempt = services.start_attempt(user=learner, exam=secret_exam)
    urls = attempt_urls(attempt)
    ok = client.post(urls["save"], {"seq": 2, "page": 1, "q2": "first"}).json()
    assert ok["ok"] and ok["applied"] and ok["seq"] == 2 and ok["remaining_seconds"] > 0
    stale = client.post(urls["save"], {"seq": 1, "page": 1, "q2": "older"}).json()
    assert stale["ok"] and not stale["applied"] and stale["seq"] == 2
    assert served_question(attempt, 2).response == {"text": "first"}
    assert client.post(urls["save"], {"page": 1}).status_code == 400
    bad = client.post(urls["save"], {"seq": 3, "page": 1, "q1": "not-a-choice"})
    assert bad.status_code == 400 and "Not saved" in bad.json()["message"]
    attempt.refresh_from_db()
    with time_machine.travel(attempt.cutoff + timedelta(seconds=5), tick=False):
        late = client.post(urls["save"], {"seq": 4, "page": 1, "q2": "too late"})
        assert late.status_code == 409 and "Time is up" in late.json()["message"]
        assert served_question(attempt, 2).response == {"text": "first"}
        status = json.loads(client.get(urls["status"]).content)
    assert status["remaining_seconds"] == 0 and status["accepts_answers"] is False


def test_result_page_closes_an_overdue_attempt_with_its_saved_answers(
    client, learner, secret_exam
):
    client.force_login(learner)
    attempt = services.start_attempt(user=learner, exam=secret_exam)
    client.post(
        attempt_urls(attempt)["save"], {"seq": 1, "page": 1, "q2": "SECRET-ANSWER-XYZ"}
    )
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(seconds=5),
        cutoff=timezone.now() - timedelta(seconds=5),
    )
    response = client.get(attempt_urls(attempt)["attempt"])
    assert response["Location"] == attempt_urls(attempt)["result"]
    page = client.get(response["Location"]).content.decode()
    attempt.refresh_from_db()
    assert attempt.auto_submitted and attempt.points == 1
    assert "submitted automatically at the deadline" in page


def test_sequential_navigation_closes_earlier_pages(client, learner, secret_exam):
    secret_exam.navigation = "sequential"
    secret_exam.save()
    client.force_login(learner)
    attempt = services.start_attempt(user=learner, exam=secret_exam)
    urls = attempt_urls(attempt)
    client.post(urls["answer"], {"page": 1, "q2": "x", "go": "2"})
    assert "Question 1" not in client.get(urls["attempt"] + "?page=1").content.decode()
    response = client.post(
        urls["answer"], {"page": 1, "q2": "changed", "go": ""}, follow=True
    )
    assert "were not saved" in response.content.decode()
    assert served_question(attempt, 2).response == {"text": "x"}


def test_malformed_form_input_is_refused_with_a_message(client, learner, secret_exam):
    client.force_login(learner)
    attempt = services.start_attempt(user=learner, exam=secret_exam)
    urls = attempt_urls(attempt)
    ordering = served_question(attempt, qtype="ordering")
    ids = [i["id"] for i in ordering.snapshot["public"]["items"]]
    page = (ordering.position - 1) // 4 + 1
    data = {"page": page, "go": ""}
    data.update(
        {f"q{ordering.position}-{item}": "1" for item in ids}
    )  # all ranked first
    response = client.post(urls["answer"], data, follow=True)
    assert "were not saved" in response.content.decode()
    assert client.get(urls["attempt"] + "?page=abc").status_code == 200
    assert client.get(urls["attempt"] + "?page=999").status_code == 200


def test_an_autosave_reads_its_attempts_paper_once(
    client, learner, secret_exam, django_assert_max_num_queries
):
    """A save reads the attempt's questions as one row, its paper, once: the
    same one statement however long the exam (see test_exam_day_queries)."""
    client.force_login(learner)
    attempt = services.start_attempt(user=learner, exam=secret_exam)
    urls = attempt_urls(attempt)

    # Session, user, attempt, its paper, the save, the answered count…
    with django_assert_max_num_queries(13) as queries:
        response = client.post(urls["save"], {"seq": 1, "page": 1, "q2": "mine"})

    assert response.json().get("applied"), response.json()
    saved = served_question(attempt, 2)
    assert saved.response == {"text": "mine"}
    paper_reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and '"exams_attemptpaper"' in q["sql"]
    ]
    assert len(paper_reads) == 1, paper_reads


@pytest.mark.parametrize(("attempts_allowed", "keys_shown"), [(3, False), (1, True)])
def test_answer_keys_wait_for_the_last_attempt(
    client, learner, secret_exam, attempts_allowed, keys_shown
):
    secret_exam.attempts_allowed = attempts_allowed
    secret_exam.save()
    client.force_login(learner)
    attempt = services.start_attempt(user=learner, exam=secret_exam)
    services.submit_attempt(attempt=attempt)
    result = client.get(attempt_urls(attempt)["result"]).content.decode()
    assert ("SECRET-ANSWER-XYZ" in result) is keys_shown
    assert ("EXPLANATION-MARKER" in result) is keys_shown


def test_a_pass_shows_the_keys_where_the_exam_shows_answers(
    client, learner, secret_exam
):
    from tests.factories import correct_response

    client.force_login(learner)
    attempt = services.start_attempt(user=learner, exam=secret_exam)
    services.save_answers(
        attempt=attempt,
        sequence=1,
        answers={
            q.position: correct_response(q.snapshot) for q in attempt.served_questions()
        },
    )
    services.submit_attempt(attempt=attempt)
    result = client.get(attempt_urls(attempt)["result"]).content.decode()
    assert "Passed" in result and "EXPLANATION-MARKER" in result


def test_a_certification_exam_shows_scores_never_keys(client, learner, secret_exam):
    from exams.models import ExamPage, ReviewPolicy

    assert ExamPage._meta.get_field("review_policy").default == ReviewPolicy.SCORE
    secret_exam.review_policy = ReviewPolicy.SCORE
    secret_exam.attempts_allowed = 1
    secret_exam.save()
    client.force_login(learner)
    attempt = services.start_attempt(user=learner, exam=secret_exam)
    services.submit_attempt(attempt=attempt)
    result = client.get(attempt_urls(attempt)["result"]).content.decode()
    assert "Your score" in result
    for secret in ("SECRET-ANSWER-XYZ", "EXPLANATION-MARKER", "Incorrect", "Bravo"):
        assert secret not in result, secret
