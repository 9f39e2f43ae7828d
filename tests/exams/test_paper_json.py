"""An attempt's paper is written and read with orjson (``FastJSONField``): what a
learner wrote comes back exactly, the database reads the column as JSON, rows
written by the standard library's ``json`` read the same, and a start asks the
system for random option ids a block at a time."""

import json
import re
import secrets

import pytest
from django.db import connection

from exams import grading, services
from exams.models import AttemptPaper
from tests.factories import make_bank, make_exam

pytestmark = pytest.mark.django_db

WRITTEN = {
    "text": 'Zürich — 東京 🚀 "quoted" back\\slash\nnew line\t<b>&amp;</b>',
    "numbers": [0, -1, 2**53, 1.5, 1e-7],
    "nested": {"empty": {}, "none": None, "yes": True, "list": []},
}


def _paper(user_factory, size=3):
    exam = make_exam(
        bank=make_bank(questions=size, types=("short_answer",)), count=size
    )
    return services.start_attempt(user=user_factory(), exam=exam)


def _in_the_database(attempt_id: int, position: str) -> str:
    """The answer's text at ``position``, as the database reads the column."""
    if connection.vendor == "postgresql":
        sql = (
            "SELECT responses -> %s ->> 'text' FROM exams_attemptpaper "
            "WHERE attempt_id = %s"
        )
        params = [position, attempt_id]
    else:
        sql = (
            "SELECT json_extract(responses, %s) FROM exams_attemptpaper "
            "WHERE attempt_id = %s"
        )
        params = [f'$."{position}".text', attempt_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_what_a_learner_wrote_comes_back_exactly(user_factory):
    attempt = _paper(user_factory)
    paper = attempt.paper
    # Positions are keys; one written as a number is kept as its text, as
    # ``json`` keeps it.
    paper.responses = {1: WRITTEN, "2": {"text": ""}}
    paper.save(update_fields=["responses"])
    paper = AttemptPaper.objects.get(pk=attempt.pk)
    assert paper.responses == {"1": WRITTEN, "2": {"text": ""}}
    assert _in_the_database(attempt.pk, "1") == WRITTEN["text"]


def test_a_paper_written_by_the_standard_library_reads_the_same(user_factory):
    attempt = _paper(user_factory)
    stored = json.dumps({"3": WRITTEN})  # spaced, non-ASCII escaped
    with connection.cursor() as cursor:
        cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
        cursor.execute(
            f"UPDATE exams_attemptpaper SET responses = {cast} WHERE attempt_id = %s",  # noqa: S608 - a cast from code
            [stored, attempt.pk],
        )
    assert AttemptPaper.objects.get(pk=attempt.pk).responses == {"3": WRITTEN}


def test_a_save_merges_an_answer_the_database_reads(user_factory):
    attempt = _paper(user_factory)
    services.save_answers(
        attempt=attempt, sequence=1, answers={1: {"text": WRITTEN["text"]}}
    )
    assert _in_the_database(attempt.pk, "1") == WRITTEN["text"]
    served = AttemptPaper.objects.get(pk=attempt.pk).question_list()
    assert served[0].response == {"text": WRITTEN["text"]}


def test_a_start_asks_the_system_for_random_ids_a_block_at_a_time(
    user_factory, monkeypatch
):
    asked = []
    token_bytes = secrets.token_bytes

    def counted(nbytes):
        asked.append(nbytes)
        return token_bytes(nbytes)

    monkeypatch.setattr(grading.secrets, "token_bytes", counted)
    exam = make_exam(
        bank=make_bank(questions=80, types=("single", "multiple", "matching")),
        count=80,
    )
    attempt = services.start_attempt(user=user_factory(), exam=exam)
    ids = []
    for question in attempt.served_questions():
        public = question.snapshot["public"]
        mine = [
            option["id"]
            for part in ("choices", "prompts", "options", "items")
            for option in public.get(part, [])
        ]
        assert len(mine) == len(set(mine)), mine  # unique within the question
        ids += mine
    assert len(ids) >= 240
    assert all(re.fullmatch(r"o[0-9a-f]{8}", option) for option in ids)
    # Some three hundred ids of four bytes each: two blocks, not one call each.
    assert len(asked) == -(-len(ids) * 4 // 1024), (len(asked), len(ids))
    # Ids of one question never repeat even when the random part does.
    again = iter(["00000000", "00000000", "11111111"])
    make = grading.opaque_ids(lambda _n: next(again))
    assert [make("choice", 0), make("choice", 1)] == ["o00000000", "o11111111"]
