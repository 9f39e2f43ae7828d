""" "N of M answered" on the attempt page stays true as the learner saves.

The autosave answers for its own page only (it reads no other page); the page
was served with the count of the other pages, and the script adds the two.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from exams import marking_services, services
from tests.exams.marking.support import PDF, practical_position, upload
from tests.factories import make_bank, make_exam, make_practical_exam, site_tree

pytestmark = pytest.mark.django_db


def sitting(learner, exam):
    attempt = services.start_attempt(user=learner, exam=exam)
    client = Client()
    client.force_login(learner)
    return client, attempt


def shown(client, attempt, page):
    """(the count shown, the other pages' count the script adds to)."""
    html = client.get(
        reverse("exams:attempt", args=[attempt.public_id]), {"page": page}
    ).content.decode()
    match = re.search(
        r'<span id="answered-count" data-elsewhere="(\d+)">(\d+)</span>', html
    )
    return int(match.group(2)), int(match.group(1))


def save(client, attempt, seq, page, **fields):
    response = client.post(
        reverse("exams:save", args=[attempt.public_id]),
        {"seq": seq, "page": page, **fields},
    )
    return response.json()


def test_the_count_adds_the_saved_page_to_the_others(learner):
    exam = make_exam(
        bank=make_bank(questions=20, types=("short_answer",)),
        count=20,
        questions_per_page=10,
    )
    client, attempt = sitting(learner, exam)
    assert shown(client, attempt, 1) == (0, 0)

    body = save(client, attempt, 1, 2, q12="on page two", q15="and another")
    assert body["applied"] and body["answered_on_page"] == 2
    assert shown(client, attempt, 2) == (2, 0)  # both answers are on page 2
    assert shown(client, attempt, 1) == (2, 2)  # page 1 adds its own to 2

    body = save(client, attempt, 2, 1, q1="first", q2="second", q3="")
    assert body["answered_on_page"] == 2  # the script shows 2 + 2
    assert shown(client, attempt, 1) == (4, 2)

    body = save(client, attempt, 3, 1, q1="", q2="second")  # the first cleared
    assert body["answered_on_page"] == 1
    assert shown(client, attempt, 1) == (3, 2)

    stale = save(client, attempt, 2, 1, q1="late")  # an older sequence
    assert stale["applied"] is False
    assert shown(client, attempt, 1) == (3, 2)


def test_a_handed_in_file_counts_as_an_answer(learner):
    site_tree()
    exam = make_practical_exam(theory=2, tasks=1)
    client, attempt = sitting(learner, exam)
    position = practical_position(attempt)
    marking_services.upload_hand_in(
        attempt=attempt, position=position, upload=upload("notes.pdf", PDF)
    )
    body = save(client, attempt, 1, 1, **{f"q{position}": ""})
    assert body["answered_on_page"] == 1  # no text, but a file handed in
    assert shown(client, attempt, 1)[0] == 1
