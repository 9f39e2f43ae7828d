"""A page's questions are picked out of the attempt's paper by the database.

The paper holds the exam's questions in one row (eighty, about 30 KB); a save
needs the ten of its page. The database sends only those, in order, with their
answers, so the first save of a page decodes a page, not the exam.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.api import json_dumps
from exams import services
from exams.models import AttemptPaper
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
    decoded = []
    loads = attempt_models.json_loads

    def counting(text):
        decoded.append(len(text))
        return loads(text)

    monkeypatch.setattr(attempt_models, "json_loads", counting)
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
