"""The pure grading module: known answers for every type, no database."""

import random
from decimal import Decimal

import pytest

from exams import grading
from tests.factories import QUESTION_TEMPLATES, correct_response


def snap(qtype, points=1, rng=None):
    return grading.build_snapshot(
        qtype=qtype,
        answer=QUESTION_TEMPLATES[qtype],
        stem="<p>Q</p>",
        points=points,
        rng=rng,
    )


@pytest.mark.parametrize("qtype", grading.AUTO_TYPES)
def test_the_right_answer_earns_full_points_and_blank_earns_none(qtype):
    snapshot = snap(qtype, points=2)
    assert grading.grade_question(
        snapshot, correct_response(snapshot)
    ).points == Decimal("2.00")
    blank = grading.grade_question(snapshot, None)
    assert (blank.points, blank.answered) == (Decimal(0), False)


def test_single_choice_wrong_answer():
    snapshot = snap("single")
    assert grading.grade_question(snapshot, {"choice": "b"}).points == 0


def test_multiple_response_partial_credit_subtracts_wrong_picks():
    snapshot = snap("multiple", points=4)
    assert grading.grade_question(snapshot, {"choices": ["a"]}).points == Decimal(
        "2.00"
    )
    assert grading.grade_question(snapshot, {"choices": ["a", "c"]}).points == 0
    assert grading.grade_question(
        snapshot, {"choices": ["a", "b", "c"]}
    ).points == Decimal("2.00")


def test_multiple_response_all_or_nothing():
    answer = QUESTION_TEMPLATES["multiple"] | {"scoring": "all_or_nothing"}
    snapshot = grading.build_snapshot(qtype="multiple", answer=answer, stem="")
    assert grading.grade_question(snapshot, {"choices": ["a"]}).points == 0
    assert grading.grade_question(snapshot, {"choices": ["a", "b"]}).points == 1


def test_short_answer_ignores_case_and_spacing_and_honours_a_pattern():
    snapshot = snap("short_answer")
    assert grading.grade_question(snapshot, {"text": "  qt-001 "}).correct
    assert not grading.grade_question(snapshot, {"text": "QT-002"}).correct
    with_pattern = grading.build_snapshot(
        qtype="short_answer",
        answer={"accepted": ["8443"], "pattern": r"(port )?8443"},
        stem="",
    )
    assert grading.grade_question(with_pattern, {"text": "Port 8443"}).correct


def test_numeric_tolerance_edges():
    snapshot = grading.build_snapshot(
        qtype="numeric", answer={"answer": "10", "tolerance": "0.5"}, stem=""
    )
    assert grading.grade_question(snapshot, {"value": "10.5"}).correct
    assert grading.grade_question(snapshot, {"value": "9,5"}).correct
    assert not grading.grade_question(snapshot, {"value": "10.51"}).correct
    assert not grading.grade_question(snapshot, {"value": "ten"}).correct
    assert not grading.grade_question(snapshot, {"value": "NaN"}).correct


def test_matching_gives_credit_per_pair():
    snapshot = snap("matching", points=2)
    assert (
        grading.grade_question(snapshot, {"matches": {"p0": "m0", "p1": "m0"}}).points
        == 1
    )


def test_ordering_is_all_or_nothing_and_never_served_in_the_right_order():
    for seed in range(30):
        snapshot = snap("ordering", rng=random.Random(seed))
        shown = [item["id"] for item in snapshot["public"]["items"]]
        assert shown != snapshot["key"]["order"]
    snapshot = snap("ordering")
    assert not grading.grade_question(snapshot, {"order": ["i1", "i0", "i2"]}).correct


def test_public_part_never_carries_the_key():
    for qtype in grading.AUTO_TYPES:
        public = snap(qtype)["public"]
        text = repr(public)
        assert "correct" not in text and "answer" not in text and "accepted" not in text


def test_shuffle_is_deterministic_for_a_seed():
    first = snap("single", rng=random.Random(7))
    second = snap("single", rng=random.Random(7))
    assert first == second


def test_attempt_grade_with_sections_and_pass_mark_boundary():
    single, tf = snap("single"), snap("true_false")
    items = [
        (0, "Priorities", single, {"choice": "a"}),
        (0, "Priorities", single, {"choice": "b"}),
        (1, "Codes", tf, {"value": True}),
        (1, "Codes", tf, {"value": True}),
    ]
    result = grading.grade_attempt(items, pass_mark=75)
    assert (result.points, result.max_points, result.percent) == (
        3,
        4,
        Decimal("75.00"),
    )
    assert result.passed  # exactly at the pass mark passes
    assert not grading.grade_attempt(items, pass_mark=Decimal("75.01")).passed
    assert [(s.title, s.correct, s.percent) for s in result.sections] == [
        ("Priorities", 1, Decimal("50.00")),
        ("Codes", 2, Decimal("100.00")),
    ]


def test_an_empty_exam_never_passes():
    assert not grading.grade_attempt([], pass_mark=0).passed
