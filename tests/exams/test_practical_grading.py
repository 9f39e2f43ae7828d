"""The pure rules of practical grading: rubric scores, the combined result, the
second-marking decision and the sampled share. Known answers worked by hand."""

from decimal import Decimal

import pytest

from exams import grading
from tests.factories import PRACTICAL_TEMPLATE


def practical_snapshot():
    return grading.build_snapshot(
        qtype="practical", answer=PRACTICAL_TEMPLATE, stem="<p>Scenario</p>"
    )


def test_the_snapshot_shows_criteria_but_keeps_level_points_for_examiners():
    snapshot = practical_snapshot()
    public = snapshot["public"]
    assert [c["title"] for c in public["criteria"]] == ["Diagnosis", "Fix"]
    assert "points" not in repr(public["criteria"])
    assert public["accepts_text"] and public["accepts_files"]
    assert snapshot["key"]["max_points"] == "20"
    assert snapshot["points"] == "20"


@pytest.mark.parametrize(
    ("diagnosis", "fix", "points"),
    [(0, 0, "20"), (1, 1, "12"), (2, 1, "9"), (3, 2, "0"), (1, 0, "17")],
)
def test_rubric_score_adds_the_chosen_levels(diagnosis, fix, points):
    key = practical_snapshot()["key"]
    levels = {
        "c0": key["rubric"][0]["levels"][diagnosis]["id"],
        "c1": key["rubric"][1]["levels"][fix]["id"],
    }
    assert grading.rubric_score(key, levels) == (Decimal(points), Decimal(20))


def test_rubric_score_refuses_a_missing_or_foreign_level():
    key = practical_snapshot()["key"]
    with pytest.raises(ValueError, match="Fix"):
        grading.rubric_score(key, {"c0": "c0l0"})
    with pytest.raises(ValueError, match="unknown level"):
        grading.rubric_score(key, {"c0": "c0l0", "c1": "c0l1"})


def test_combined_result_weighs_the_parts():
    result = grading.combine(
        theory_percent=Decimal(90),
        practical_percent=Decimal(70),
        practical_weight=50,
        pass_mark=80,
    )
    assert (result.percent, result.passed) == (Decimal("80.00"), True)
    weighted = grading.combine(
        theory_percent=Decimal(90),
        practical_percent=Decimal(70),
        practical_weight=25,
        pass_mark=80,
    )
    assert weighted.percent == Decimal("85.00")


def test_a_high_theory_score_does_not_carry_a_practical_below_its_minimum():
    result = grading.combine(
        theory_percent=Decimal(100),
        practical_percent=Decimal(65),
        practical_weight=50,
        pass_mark=80,
        minimum_practical=70,
    )
    assert result.percent == Decimal("82.50")
    assert not result.passed
    assert result.reasons == ("practical",)


def test_the_theory_minimum_and_the_overall_mark_are_separate_rules():
    result = grading.combine(
        theory_percent=Decimal(50),
        practical_percent=Decimal(100),
        practical_weight=50,
        pass_mark=70,
        minimum_theory=60,
    )
    assert result.percent == Decimal("75.00")
    assert result.reasons == ("theory",)
    assert not result.passed


def test_practical_only_exam_counts_the_practical_alone():
    result = grading.combine(
        theory_percent=None,
        practical_percent=Decimal(80),
        practical_weight=50,
        pass_mark=80,
    )
    assert (result.percent, result.passed) == (Decimal("80.00"), True)


@pytest.mark.parametrize(
    ("kwargs", "final", "needs"),
    [
        ({"first": None, "second_required": False}, None, "first"),
        ({"first": 80, "second_required": False}, Decimal(80), ""),
        ({"first": 80, "second_required": True}, None, "second"),
        ({"first": 80, "second": 72, "second_required": True}, Decimal(76), ""),
        ({"first": 80, "second": 70, "second_required": True}, Decimal(75), ""),
        ({"first": 80, "second": 69.99, "second_required": True}, None, "lead"),
        (
            {"first": 80, "second": 50, "lead": 64, "second_required": True},
            Decimal(64),
            "",
        ),
    ],
)
def test_second_marking_rule(kwargs, final, needs):
    decision = grading.settle_markings(tolerance=10, **kwargs)
    assert decision.final_percent == final
    assert decision.needs == needs


def test_the_sampled_share_is_stable_and_close_to_the_setting():
    tokens = [f"{i:032x}" for i in range(4000)]
    assert not any(grading.sampled_for_second_marking(t, 0) for t in tokens)
    assert all(grading.sampled_for_second_marking(t, 100) for t in tokens)
    share = sum(grading.sampled_for_second_marking(t, 25) for t in tokens) / 4000
    assert 0.22 < share < 0.28
    assert [grading.sampled_for_second_marking(t, 25) for t in tokens[:50]] == [
        grading.sampled_for_second_marking(t, 25) for t in tokens[:50]
    ]


def test_theory_grading_leaves_practical_tasks_to_examiners():
    items = [
        (
            0,
            "Theory",
            grading.build_snapshot(
                qtype="true_false", answer={"answer": True}, stem="s"
            ),
            {"value": True},
        ),
        (1, "Practical", practical_snapshot(), {"text": "my answer"}),
    ]
    result = grading.grade_attempt(items, pass_mark=70)
    assert (result.points, result.max_points, result.percent) == (
        Decimal(1),
        Decimal(1),
        Decimal("100.00"),
    )
    assert [s.title for s in result.sections] == ["Theory"]
