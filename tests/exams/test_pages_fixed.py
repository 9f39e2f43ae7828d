"""An attempt's pages are fixed when it starts.

An editor may change an exam's questions per page or its navigation while
learners sit it. Before, a sitting under way took the new setting at once: a
save sent from a page drawn under the old setting was read against the new one,
so answers on that page were dropped and the questions the new page holds were
blanked.
"""

import pytest
from django.urls import reverse

from exams import services
from exams.models import Attempt
from tests.factories import make_bank, make_exam

pytestmark = pytest.mark.django_db


def responses(attempt) -> dict:
    return {q.position: q.response for q in attempt.served_questions()}


def test_an_editors_change_of_page_size_moves_no_answer(client, learner):
    exam = make_exam(
        bank=make_bank(questions=20, types=("short_answer",)),
        count=20,
        questions_per_page=10,
    )
    client.force_login(learner)
    attempt = services.start_attempt(user=learner, exam=exam)
    save = reverse("exams:save", args=[attempt.public_id])
    first = {f"q{n}": f"answer {n}" for n in range(1, 11)}
    assert client.post(save, {"seq": 1, "page": 1, **first}).json()["applied"]

    exam.questions_per_page = 5  # the editor publishes a new layout
    exam.save_revision().publish()

    # The learner's page 2 was drawn with ten questions: 11 to 20.
    second = {f"q{n}": f"answer {n}" for n in range(11, 21)}
    body = client.post(save, {"seq": 2, "page": 2, **second}).json()
    assert body["applied"] and body["answered_on_page"] == 10

    saved = responses(attempt)
    assert all(saved[n] == {"text": f"answer {n}"} for n in range(1, 21)), saved
    page = client.get(
        reverse("exams:attempt", args=[attempt.public_id]), {"page": 2}
    ).content.decode()
    assert 'name="q11"' in page and 'name="q20"' in page
    assert 'name="q6"' not in page

    # A new attempt takes the new layout.
    services.submit_attempt(attempt=attempt)
    later = services.start_attempt(user=learner, exam=exam)
    assert later.questions_per_page == 5 and later.page_count() == 4
    assert Attempt.objects.get(pk=attempt.pk).page_count() == 2


def test_navigation_stays_as_it_was_when_the_attempt_started(client, learner):
    exam = make_exam(
        bank=make_bank(questions=4, types=("short_answer",)),
        count=4,
        questions_per_page=2,
    )
    client.force_login(learner)
    attempt = services.start_attempt(user=learner, exam=exam)
    answer = reverse("exams:answer", args=[attempt.public_id])
    client.post(answer, {"page": 1, "q1": "one", "go": "2"})

    exam.navigation = "sequential"
    exam.save_revision().publish()

    # Free navigation still: page 1 can be changed after moving on.
    client.post(answer, {"page": 1, "q1": "changed", "go": ""})
    assert responses(attempt)[1] == {"text": "changed"}

    services.submit_attempt(attempt=attempt)
    later = services.start_attempt(user=learner, exam=exam)
    assert later.sequential
    client.post(
        reverse("exams:answer", args=[later.public_id]),
        {"page": 1, "q1": "one", "go": "2"},
    )
    client.post(
        reverse("exams:answer", args=[later.public_id]),
        {"page": 1, "q1": "changed", "go": ""},
    )
    assert responses(later)[1] == {"text": "one"}
