"""Known-answer tests: small response matrices worked by hand."""

import math
import random

import pytest

from exams.item_analysis import (
    LOW_DISCRIMINATION,
    TOO_EASY,
    TOO_HARD,
    AttemptItems,
    ItemScore,
    analyse,
)

# Five attempts (rows) by four 0/1 questions (columns), totals 4, 3, 2, 2, 1.
MATRIX = [
    [1, 1, 1, 1],
    [1, 1, 1, 0],
    [1, 1, 0, 0],
    [1, 0, 1, 0],
    [1, 0, 0, 0],
]
Q2_CHOICES = ["a", "a", "a", "b", "b"]


def attempts_from(matrix, choices_of_q2=None):
    attempts = []
    for row_index, row in enumerate(matrix):
        items = []
        for column, score in enumerate(row):
            choices = ()
            if column == 1 and choices_of_q2:
                choices = (choices_of_q2[row_index],)
            items.append(
                ItemScore(item=f"q{column + 1}", points=score, choices=choices)
            )
        attempts.append(AttemptItems(items))
    return attempts


@pytest.fixture
def stats():
    return analyse(
        attempts_from(MATRIX, Q2_CHOICES),
        options={"q2": ["a", "b", "c"]},
        correct_options={"q2": ["a"]},
    )


def item(stats, key):
    return next(i for i in stats.items if i.item == key)


def test_facility_is_the_share_correct(stats):
    assert [item(stats, f"q{n}").facility for n in (1, 2, 3, 4)] == [1, 0.6, 0.6, 0.2]


def test_upper_lower_discrimination(stats):
    # 27 % of 5 rounds to 1: the top attempt (total 4) against the bottom (total 1).
    assert item(stats, "q1").discrimination == 0
    assert item(stats, "q2").discrimination == 1
    assert item(stats, "q4").discrimination == 1


def test_point_biserial_against_the_rest_score(stats):
    # q2 scores 1,1,1,0,0 against rest scores 3,2,1,2,1: r = 0.6 / sqrt(1.2 * 2.8).
    assert item(stats, "q2").point_biserial == pytest.approx(0.6 / math.sqrt(3.36))
    assert item(stats, "q1").point_biserial is None  # everybody right: no variance


def test_kr20_and_standard_error_of_measurement(stats):
    # Total variance 1.04; item variances 0 + .24 + .24 + .16 = .64;
    # KR-20 = 4/3 * (1 - .64/1.04) = 20/39; SEM = sqrt(1.04) * sqrt(19/39).
    assert stats.attempts == 5
    assert stats.mean_score == pytest.approx(2.4)
    assert stats.score_variance == pytest.approx(1.04)
    assert stats.reliability_method == "kr20"
    assert stats.reliability == pytest.approx(20 / 39)
    assert stats.sem == pytest.approx(math.sqrt(1.04 * 19 / 39))


def test_distractor_counts_include_options_nobody_chose(stats):
    options = {o.option: o for o in item(stats, "q2").options}
    assert {k: o.count for k, o in options.items()} == {"a": 3, "b": 2, "c": 0}
    assert options["a"].correct and not options["b"].correct
    assert options["b"].share == pytest.approx(0.4)
    assert item(stats, "q2").unanswered == 0
    assert item(stats, "q1").options == ()


def test_flags(stats):
    assert item(stats, "q1").flags == (TOO_EASY, LOW_DISCRIMINATION)
    assert item(stats, "q2").flags == ()
    assert item(stats, "q4").flags == ()  # 0.2 is not below 0.2
    hard = analyse(attempts_from([[0, 1], [0, 1], [1, 0], [0, 0], [0, 1], [0, 1]]))
    assert item(hard, "q1").facility == pytest.approx(1 / 6)
    assert TOO_HARD in item(hard, "q1").flags


def test_too_few_answers_are_never_flagged():
    stats = analyse(attempts_from(MATRIX), min_exposure_for_flags=6)
    assert all(i.flags == () for i in stats.items)
    assert item(stats, "q1").facility == 1


def test_cronbach_alpha_with_partial_credit():
    # Totals 3, 2, 0 (variance 14/9); item variances 2/3 and 2/9: alpha = 6/7.
    attempts = [
        AttemptItems([ItemScore("a", 2, 2), ItemScore("b", 1)]),
        AttemptItems([ItemScore("a", 1, 2), ItemScore("b", 1)]),
        AttemptItems([ItemScore("a", 0, 2), ItemScore("b", 0)]),
    ]
    stats = analyse(attempts)
    assert stats.reliability_method == "alpha"
    assert stats.reliability == pytest.approx(6 / 7)
    assert item(stats, "a").facility == pytest.approx(0.5)


def test_questions_drawn_at_random_have_exposure_and_an_estimated_reliability():
    attempts = [
        AttemptItems([ItemScore("x", 1), ItemScore("y", 1)]),
        AttemptItems([ItemScore("x", 0), ItemScore("z", 0)]),
        AttemptItems([ItemScore("y", 1), ItemScore("z", 1)]),
        AttemptItems([ItemScore("x", 1), ItemScore("y", 0)]),
    ]
    stats = analyse(attempts)
    assert {i.item: i.exposure for i in stats.items} == {"x": 3, "y": 3, "z": 2}
    assert item(stats, "z").exposure_rate == 0.5
    assert stats.reliability_method == "kr20_estimate"
    # Totals 2, 0, 2, 1: variance 0.6875. Item variances 2/9, 2/9, 1/4 weighted by
    # exposure 3, 3, 2 -> 11/48; k = 2: 2 * (1 - 2 * (11/48) / 0.6875) = 2/3.
    assert stats.reliability == pytest.approx(2 / 3)


def test_empty_one_attempt_and_zero_variance():
    empty = analyse([])
    assert empty.attempts == 0 and empty.items == [] and empty.reliability is None
    one = analyse(attempts_from([[1, 0, 1]]))
    assert one.reliability is None and one.sem is None
    assert item(one, "q1").discrimination is None
    assert item(one, "q1").point_biserial is None
    same = analyse(attempts_from([[1, 0], [1, 0], [1, 0]]))
    assert same.score_variance == 0 and same.reliability is None
    assert item(same, "q2").discrimination is None
    assert item(same, "q2").facility == 0


def test_two_thousand_attempts_of_eighty_questions():
    """The bench times this (item analysis on 2,000 attempts x 80 questions);
    here it must give sound figures for every question in the bank."""
    rng = random.Random(1)
    bank = [f"q{i}" for i in range(120)]
    attempts = []
    for _ in range(2000):
        skill = rng.random()
        attempts.append(
            AttemptItems(
                [
                    ItemScore(key, float(rng.random() < skill), choices=("a",))
                    for key in rng.sample(bank, 80)
                ]
            )
        )
    stats = analyse(attempts, options=dict.fromkeys(bank, "abcd"))
    assert len(stats.items) == 120
    assert stats.attempts == 2000
    assert all(0 < entry.facility < 1 for entry in stats.items)
    assert stats.reliability > 0.8
