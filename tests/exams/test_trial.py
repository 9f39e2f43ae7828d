""" "Try this exam": an author takes the exam as a learner would and sees the
score, and nothing is stored: no attempt, nothing counted against anyone."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from exams.models import Attempt, ExamSection, Question
from tests.factories import make_bank, make_course, make_exam, make_practical_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, user_factory):
    client.force_login(user_factory(roles=[roles.TRAINING_ADMINS]))
    return client


def true_false_exam(count=3, questions=3, **fields):
    bank = make_bank(questions=questions, types=("true_false",))  # all true
    return make_exam(bank=bank, count=count, pass_mark=70, **fields)


def shown(response) -> dict:
    page = response.content.decode()
    return {
        "seed": re.search(r'name="seed" value="(\d+)"', page).group(1),
        "questions": re.search(r'name="questions" value="([\d,]*)"', page).group(1),
        "positions": [
            int(n) for n in re.findall(r'name="q(\d+)" id="q\d+-true"', page)
        ],
    }


def answers(form, value):
    data = {"seed": form["seed"], "questions": form["questions"]}
    data.update({f"q{n}": value for n in form["positions"]})
    return data


def test_an_admin_tries_an_exam_and_is_graded_without_an_attempt(admin_client):
    exam = true_false_exam(count=3, questions=5)
    url = f"/admin/exams/{exam.pk}/try/"
    response = admin_client.get(url)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "does not count as an attempt" in page
    assert "Flag this question" not in page  # nothing to come back to in a try
    assert "A learner has 30 minutes; the pass mark is 70%." in page
    form = shown(response)
    assert form["positions"] == [1, 2, 3]
    assert len(form["questions"].split(",")) == 3

    right = admin_client.post(url, answers(form, "true"))
    page = html.unescape(right.content.decode())
    assert "Score: 100%" in page and "✔ A pass" in page
    assert "3 of 3 points." in page
    assert page.count("✔ Correct") == 3
    assert "Because of fact" in page  # the explanations are shown

    wrong = admin_client.post(url, answers(form, "false"))
    page = html.unescape(wrong.content.decode())
    assert "Score: 0%" in page and "✘ Not a pass" in page
    assert page.count("✘ Incorrect") == 3
    assert not Attempt.objects.exists()


def test_an_unreadable_answer_is_named_and_kept_and_nothing_is_graded(admin_client):
    exam = true_false_exam()
    url = f"/admin/exams/{exam.pk}/try/"
    form = shown(admin_client.get(url))
    data = answers(form, "true")
    data["q2"] = "maybe"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Question 2: the answer must be true or false" in page
    assert "Score:" not in page
    # the other answers are still ticked
    assert re.search(r'id="q1-true" value="true"\s+checked', page)
    assert not Attempt.objects.exists()


@pytest.mark.parametrize(
    "tamper",
    [
        {"questions": lambda shown: ",".join(reversed(shown.split(",")))},
        {"questions": lambda shown: shown.rsplit(",", 1)[0]},
        {"questions": ""},
        {"seed": "not a number"},
        {"seed": "99999999999999999999"},
        {"seed": "-4"},
        {"questions": "9" * 6000},
    ],
)
def test_a_tampered_try_gets_new_questions_not_a_grade(admin_client, tamper):
    exam = true_false_exam()
    url = f"/admin/exams/{exam.pk}/try/"
    data = answers(shown(admin_client.get(url)), "true")
    data.update(
        {
            name: value(data[name]) if callable(value) else value
            for name, value in tamper.items()
        }
    )
    response = admin_client.post(url, data, follow=True)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Score:" not in page
    assert "these are new questions" in page
    assert not Attempt.objects.exists()


def test_a_bank_changed_during_the_try_gives_new_questions(admin_client):
    exam = true_false_exam(count=2, questions=4)
    url = f"/admin/exams/{exam.pk}/try/"
    data = answers(shown(admin_client.get(url)), "true")
    drawn = [int(pk) for pk in data["questions"].split(",")]
    Question.objects.filter(pk=drawn[0]).delete()
    response = admin_client.post(url, data, follow=True)
    page = html.unescape(response.content.decode())
    assert "changed while you were trying it" in page
    assert "Score:" not in page


def test_the_try_uses_the_draft_and_says_when_it_cannot_be_drawn(admin_client):
    exam = true_false_exam(count=3, questions=3)
    draft = exam.get_latest_revision_as_object()
    draft.sections = [ExamSection(title="Main", bank=exam.sections.get().bank, count=5)]
    draft.save_revision()
    response = admin_client.get(f"/admin/exams/{exam.pk}/try/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "draws 5 questions, but only 3" in page
    assert 'name="seed"' not in page


@pytest.mark.parametrize("exam_id", ["999999", "abc", "9" * 40])
def test_no_such_exam_is_404(admin_client, exam_id):
    assert admin_client.get(f"/admin/exams/{exam_id}/try/").status_code == 404


def test_only_its_editors_may_try_it(client, user_factory):
    exam = true_false_exam()
    url = f"/admin/exams/{exam.pk}/try/"
    client.force_login(user_factory(roles=[roles.EXAMINERS]))
    assert client.get(url).status_code == 403
    assert client.post(url, {"seed": "1", "questions": ""}).status_code == 403
    client.force_login(user_factory())  # a learner: no admin at all
    assert client.get(url).status_code in (302, 403)
    assert not Attempt.objects.exists()


def test_linked_from_the_editor_and_the_outline(admin_client):
    course = make_course(modules=1)
    exam = make_exam(course, bank=make_bank(questions=3), count=2)
    editor = admin_client.get(f"/admin/pages/{exam.pk}/edit/").content.decode()
    assert f"/admin/exams/{exam.pk}/try/?next=" in editor
    outline = admin_client.get(f"/admin/courses/{course.pk}/outline/")
    assert f"/admin/exams/{exam.pk}/try/" in outline.content.decode()


def test_the_try_reads_the_same_for_3_questions_as_for_30(admin_client):
    def queries(count):
        exam = true_false_exam(count=count, questions=count)
        url = f"/admin/exams/{exam.pk}/try/"
        with CaptureQueriesContext(connection) as shown_queries:
            form = shown(admin_client.get(url))
        with CaptureQueriesContext(connection) as graded_queries:
            admin_client.post(url, answers(form, "true"))
        return len(shown_queries), len(graded_queries)

    queries(2)  # the first request warms the site's caches
    assert queries(3) == queries(30)


def test_practical_tasks_are_shown_but_left_out_of_a_trys_score(admin_client):
    mixed = make_practical_exam(theory=2, tasks=1)
    url = f"/admin/exams/{mixed.pk}/try/"
    page = html.unescape(admin_client.get(url).content.decode())
    assert "Scenario 0: agents cannot reach the gateway." in page
    assert "a try leaves it out of the score" in page
    assert 'type="file"' not in page  # nothing is handed in during a try
    form = shown(admin_client.get(url))
    seed = form["seed"]
    questions = form["questions"]
    graded = admin_client.post(url, {"seed": seed, "questions": questions})
    page = html.unescape(graded.content.decode())
    assert "0 of 2 points." in page  # the two theory questions only

    practical_only = make_practical_exam(theory=0, tasks=1)
    url = f"/admin/exams/{practical_only.pk}/try/"
    form = shown(admin_client.get(url))
    graded = admin_client.post(
        url, {"seed": form["seed"], "questions": form["questions"]}
    )
    page = html.unescape(graded.content.decode())
    assert "Nothing in this draw is graded automatically" in page
    assert "Score:" not in page
    assert not Attempt.objects.exists()
