"""A page's questions are picked out of the attempt's paper by the database.

The paper holds the exam's questions in one row (eighty, about 30 KB); a save
needs the ten of its page. The database sends only those, in order, with their
answers, so the first save of a page decodes a page, not the exam. The exam page
and the review before a submit read the attempt with one page and each
question's type (what "N of M answered" counts), in one statement.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.api import json_dumps
from exams import services
from exams.models import AttemptPaper, paper_reads
from exams.models import attempts as attempt_models
from tests.factories import make_bank, make_exam

pytestmark = pytest.mark.django_db


def _sitting(user_factory, size: int):
    exam = make_exam(
        bank=make_bank(questions=size, types=("single", "short_answer")),
        count=size,
        questions_per_page=10,
    )
    learner = user_factory()
    return learner, services.start_attempt(user=learner, exam=exam)


def _decoding(monkeypatch, module) -> list[int]:
    """The length of each JSON text ``module`` decodes from now on."""
    decoded = []
    loads = module.json_loads

    def counting(text):
        decoded.append(len(text))
        return loads(text)

    monkeypatch.setattr(module, "json_loads", counting)
    return decoded


@pytest.mark.parametrize(
    "positions",
    [
        range(11, 21),
        [12, 3],
        [30],
        [3, 3, 12],
        [],
        range(1, 31),
        [0, -1, 31, 2**15, 2**70],  # none of them is a question of the attempt
    ],
    ids=["a page", "two, out of order", "the last", "twice", "none", "all", "absent"],
)
def test_the_questions_picked_are_the_papers_own_in_order_with_their_answers(
    user_factory, positions
):
    learner, attempt = _sitting(user_factory, 30)
    served = {q.position: q for q in AttemptPaper.questions_of(attempt.pk)}
    answers = {
        position: {"text": "an answer"}
        for position in (3, 12)
        if served[position].qtype == "short_answer"
    }
    services.save_answers(
        attempt=attempt, sequence=1, answers=answers, flags={12: True, 30: True}
    )
    whole = AttemptPaper.questions_of(attempt.pk)

    picked = AttemptPaper.questions_of(attempt.pk, positions)

    assert picked == [q for q in whole if q.position in set(positions)]
    assert [q.position for q in picked] == sorted(set(positions) & set(range(1, 31)))
    assert any(q.flagged for q in whole)  # the answers came along with them


def test_an_attempt_without_a_paper_has_no_questions():
    assert AttemptPaper.questions_of(2**31 - 1, [1, 2]) == []
    assert AttemptPaper.questions_of(2**31 - 1) == []


def test_the_first_save_of_a_page_decodes_that_page_alone(
    user_factory, settings, monkeypatch
):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    learner, attempt = _sitting(user_factory, 80)
    client = Client()
    client.force_login(learner)
    # The page's poll keeps the attempt's state; page 5 is not kept yet.
    client.get(reverse("exams:status", args=[attempt.public_id]))
    decoded = _decoding(monkeypatch, attempt_models)
    page = attempt.served_questions(range(41, 51))
    typed = [q.position for q in page if q.qtype == "short_answer"]
    fields = {f"q{position}": "kept" for position in typed}
    decoded.clear()

    response = client.post(
        reverse("exams:save", args=[attempt.public_id]),
        {"seq": 1, "page": 5, **fields},
    )

    assert response.status_code == 200
    assert response.json()["answered_on_page"] == len(typed) > 0
    paper = AttemptPaper.objects.get(pk=attempt.pk)
    questions_sent = decoded[0]
    # The page's ten questions: an eighth of the paper's, give or take.
    assert questions_sent * 6 < len(json_dumps(paper.questions)), decoded
    assert {int(p) for p, r in paper.responses.items() if r} == set(typed)
    assert {int(p) for p in paper.responses} == set(range(41, 51))


def _shown(client, attempt, asked) -> tuple[int, list[int], str]:
    """(status, the positions of the questions shown, the page's text)."""
    response = client.get(
        reverse("exams:attempt", args=[attempt.public_id]), {"page": asked}
    )
    html = response.content.decode()
    return (
        response.status_code,
        [int(n) for n in re.findall(r'id="question-(\d+)"', html)],
        html,
    )


def test_the_exam_page_decodes_its_page_and_each_questions_type_not_the_paper(
    user_factory, monkeypatch
):
    learner, attempt = _sitting(user_factory, 80)
    client = Client()
    client.force_login(learner)
    decoded = _decoding(monkeypatch, paper_reads)

    status, positions, html = _shown(client, attempt, 5)

    assert (status, positions) == (200, list(range(41, 51)))
    assert "of 80 answered" in html
    paper = len(json_dumps(AttemptPaper.objects.get(pk=attempt.pk).questions))
    # The page's ten questions, then every question's type (and the answers).
    assert decoded[0] * 6 < paper, decoded
    assert sum(decoded) * 4 < paper, decoded


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("0", range(1, 11)),
        ("-3", range(1, 11)),
        ("abc", range(1, 11)),
        ("4", range(21, 31)),  # past the last page: the last
        (str(2**31 - 1), range(21, 31)),
        (str(2**70), range(1, 11)),  # not a page at all: the first
    ],
)
def test_a_page_out_of_range_shows_the_nearest_page(user_factory, asked, expected):
    learner, attempt = _sitting(user_factory, 30)
    client = Client()
    client.force_login(learner)
    status, positions, html = _shown(client, attempt, asked)
    assert (status, positions) == (200, list(expected))
    assert "of 30 answered" in html


def test_the_exam_page_reads_the_same_for_10_and_80_questions(user_factory):
    counts = []
    for size in (10, 80):
        learner, attempt = _sitting(user_factory, size)
        client = Client()
        client.force_login(learner)
        _shown(client, attempt, 1)  # the session and the kept exam, read once
        with CaptureQueriesContext(connection) as asked:
            assert _shown(client, attempt, 1)[0] == 200
        with CaptureQueriesContext(connection) as past_the_end:
            assert _shown(client, attempt, 99)[0] == 200
        counts.append((len(asked), len(past_the_end)))
    # The attempt with its page in one statement; a page it did not pick
    # (here, past the end: the last is shown) in one more.
    assert counts[0] == counts[1]
    assert counts[0][1] == counts[0][0] + 1


def test_the_review_lists_the_unanswered_and_flagged_of_every_page(user_factory):
    learner, attempt = _sitting(user_factory, 30)
    served = {q.position: q for q in AttemptPaper.questions_of(attempt.pk)}
    texts = [p for p in (5, 17, 28) if served[p].qtype == "short_answer"]
    choices = [p for p in (6, 18, 29) if served[p].qtype == "single"]
    answers = {p: {"text": "an answer"} for p in texts}
    answers.update(
        {
            p: {"choice": served[p].snapshot["public"]["choices"][0]["id"]}
            for p in choices
        }
    )
    services.save_answers(
        attempt=attempt, sequence=1, answers=answers, flags={17: True, 30: True}
    )
    client = Client()
    client.force_login(learner)

    html = client.get(
        reverse("exams:submit", args=[attempt.public_id])
    ).content.decode()

    unanswered = sorted(set(range(1, 31)) - set(answers))
    listed = [int(n) for n in re.findall(r"#question-(\d+)\">", html)]
    assert listed == unanswered + [17, 30]  # the unanswered, then the flagged
    assert f"<strong>{len(answers)}</strong> answered" in html
    assert '?page=3#question-30">30<' in html  # each links to its page


def test_the_review_decodes_no_question_and_reads_the_same_for_10_and_80(
    user_factory, monkeypatch
):
    counts, decoded_sizes = [], []
    for size in (10, 80):
        learner, attempt = _sitting(user_factory, size)
        client = Client()
        client.force_login(learner)
        review = reverse("exams:submit", args=[attempt.public_id])
        client.get(review)  # the session and the kept exam, read once
        decoded = _decoding(monkeypatch, paper_reads)
        with CaptureQueriesContext(connection) as asked:
            html = client.get(review).content.decode()
        assert "<strong>0</strong> answered" in html
        assert len(re.findall(r"#question-(\d+)\">", html)) == size
        counts.append(len(asked))
        # The types, answers and flags; the page's questions an empty list.
        picked, types = decoded[0], decoded[1]
        decoded_sizes.append(picked)
        assert types > 0
        monkeypatch.undo()
    assert counts[0] == counts[1]
    assert decoded_sizes == [2, 2]  # "[]": no question decoded
