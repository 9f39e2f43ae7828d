"""Every registered question type passes the same checks, so a new type is tested
by registering it: the learner's view holds no part of the key; the correct
answer round-trips through the form, cleaning and scoring to full marks; blank
and hostile input is refused or scores nothing, and never raises in grading."""

import json
import random
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.template.loader import get_template

from exams import grading, question_types

TYPES = question_types.all_types()
HOSTILE = [
    {"choice": "zz"},
    {"choices": ["zz", 1]},
    {"value": "1e999999999"},
    {"value": "NaN"},
    {"matches": {"p9": "m9"}},
    {"matches": ["not", "a", "dict"]},
    {"order": ["x", "y"]},
    {"text": "x" * 100_000},
    {"value": object()},
]


def served(question_type, seed=7):
    return grading.build_snapshot(
        qtype=question_type.code,
        answer=question_type.example_answer(),
        stem="<p>Stem</p>",
        rng=random.Random(seed),
        ids=grading.opaque_ids(),
    )


# Parts of a key that the learner is meant to see (a criterion's title) or that
# reveal nothing (how a question is scored).
SHOWN_OR_HARMLESS = {"source", "scoring", "max_points", "title", "description", "id"}


def key_values(key) -> set[str]:
    """Every text and figure in the key, as JSON tokens."""
    found: set[str] = set()
    if isinstance(key, dict):
        for name, value in key.items():
            if name not in SHOWN_OR_HARMLESS:
                found |= key_values(value)
    elif isinstance(key, list):
        for value in key:
            found |= key_values(value)
    elif isinstance(key, str):
        found.add(json.dumps(key))
    return found


def public_ids(public: dict) -> set[str]:
    """The ids of what the learner sees listed: random per attempt, so showing
    them gives nothing away."""
    return {
        json.dumps(entry["id"])
        for listing in ("choices", "options", "items", "prompts")
        for entry in public.get(listing, [])
    }


def as_form(question_type, name, public, response) -> QueryDict:
    """The form fields a browser would send for ``response``."""
    data = QueryDict(mutable=True)
    if "choice" in response:
        data[name] = response["choice"]
    elif "choices" in response:
        data.setlist(name, response["choices"])
    elif "value" in response:
        data[name] = str(response["value"]).lower()
    elif "text" in response:
        data[name] = response["text"]
    elif "matches" in response:
        for prompt, match in response["matches"].items():
            data[f"{name}-{prompt}"] = match
    elif "order" in response:
        for rank, item in enumerate(response["order"], start=1):
            data[f"{name}-{item}"] = str(rank)
    return data


@pytest.mark.parametrize("question_type", TYPES, ids=lambda t: t.code)
class TestEveryQuestionType:
    def test_it_has_a_label_and_a_review_template(self, question_type):
        # Its form: tests/exams/test_exam_form.py
        assert question_type.label
        get_template(question_type.review_template)

    def test_the_learners_view_holds_no_part_of_the_key(self, question_type):
        snapshot = served(question_type)
        public = json.dumps(snapshot["public"])
        ids = public_ids(snapshot["public"])
        leaked = [
            token
            for token in key_values(snapshot["key"])
            if token not in ids and token in public
        ]
        assert leaked == []
        assert '"correct"' not in public and '"answer"' not in public
        for prompt, match in snapshot["key"].get("pairs", {}).items():
            assert prompt[1:] != match[1:]  # no id pairs a prompt with its match
        if "order" in snapshot["key"]:
            shown = [item["id"] for item in snapshot["public"]["items"]]
            assert shown != snapshot["key"]["order"]

    def test_the_correct_answer_round_trips_to_full_marks(self, question_type):
        snapshot = served(question_type)
        response = question_type.correct_response(snapshot["key"])
        form = as_form(question_type, "q1", snapshot["public"], response)
        raw = question_type.parse_form("q1", snapshot["public"], form)
        cleaned = question_type.clean(snapshot["public"], raw)
        assert cleaned is not None
        assert question_type.is_answered(cleaned)
        if question_type.manual:
            return
        result = grading.grade_question(snapshot, cleaned)
        assert result.answered and result.points == result.max_points

    def test_a_blank_answer_is_not_answered_and_earns_nothing(self, question_type):
        snapshot = served(question_type)
        raw = question_type.parse_form("q1", snapshot["public"], QueryDict())
        cleaned = question_type.clean(snapshot["public"], raw) if raw else None
        assert cleaned is None or not question_type.is_answered(cleaned)
        result = grading.grade_question(snapshot, cleaned)
        assert result.points == 0 and not result.answered

    def test_hostile_input_is_refused_or_scores_within_bounds(self, question_type):
        snapshot = served(question_type)
        for raw in HOSTILE:
            try:
                cleaned = question_type.clean(snapshot["public"], raw)
            except (ValueError, TypeError):
                cleaned = None
            # Grading is total even for what cleaning would never let through.
            for response in (cleaned, raw):
                result = grading.grade_question(snapshot, response)
                assert Decimal(0) <= result.points <= result.max_points

    def test_partial_credit_stays_within_the_points(self, question_type):
        if question_type.manual:
            pytest.skip("examiners grade it against a rubric")
        snapshot = served(question_type)
        right = question_type.correct_response(snapshot["key"])
        halves = [right]
        if "choices" in right:
            halves = [{"choices": right["choices"][:1]}, {"choices": []}]
        if "matches" in right:
            first = next(iter(right["matches"]))
            halves = [{"matches": {first: right["matches"][first]}}]
        for response in halves:
            result = grading.grade_question(snapshot, response)
            assert Decimal(0) <= result.points <= result.max_points

    def test_item_analysis_names_options_the_same_way_in_every_attempt(
        self, question_type
    ):
        first, second = served(question_type, seed=1), served(question_type, seed=2)
        options_1, keyed_1 = question_type.analysis_options(first)
        options_2, keyed_2 = question_type.analysis_options(second)
        assert options_1 == options_2 and keyed_1 == keyed_2
        if options_1:
            chosen = question_type.analysis_choices(
                question_type.correct_response(first["key"]),
                first["key"].get("source", {}),
            )
            assert set(chosen) <= {o["id"] for o in options_1}


def test_every_type_in_use_is_registered():
    assert set(question_types.codes()) >= {
        "single",
        "multiple",
        "true_false",
        "short_answer",
        "numeric",
        "matching",
        "ordering",
        "practical",
    }
    with pytest.raises(ValueError, match="unknown question type"):
        question_types.get("essay")


def test_the_editor_offers_one_block_per_registered_type_from_its_module():
    from exams.blocks import AnswerBlock

    children = AnswerBlock().child_blocks
    assert list(children) == list(question_types.codes())
    for question_type in TYPES:
        block = children[question_type.code]
        assert isinstance(block, question_type.editor_block_class)
        # The block lives with its type, not in a shared list of blocks.
        assert block.__class__.__module__ == question_type.__class__.__module__


def test_a_type_without_an_editor_block_is_refused():
    from exams.question_types.true_false import TrueFalse

    class Essay(TrueFalse):
        code = "essay"
        label = "Essay"
        editor_block_class = None

    with pytest.raises(ValueError, match="no editor block"):
        question_types.register(Essay())
    with pytest.raises(ValueError, match="unknown question type"):
        question_types.get("essay")


@pytest.mark.parametrize("question_type", TYPES, ids=lambda t: t.code)
def test_sampled_form_answers_are_well_formed_and_vary(question_type):
    """Load tests post what ``sample_form_fields`` gives: each must be an answer
    the form reads and cleaning keeps, and the samples must not all be the same."""
    public = served(question_type)["public"]
    seen = set()
    for seed in range(30):
        fields = question_type.sample_form_fields("q1", public, random.Random(seed))
        data = QueryDict(mutable=True)
        for field, value in fields:
            data.appendlist(field, value)
        cleaned = question_type.clean(
            public, question_type.parse_form("q1", public, data)
        )
        assert cleaned is not None and question_type.is_answered(cleaned)
        seen.add(json.dumps(cleaned, sort_keys=True))
    assert len(seen) > 1


def test_a_type_that_leaves_out_part_of_the_protocol_cannot_be_made():
    class Half(question_types.QuestionType):
        code = "half"
        label = "Half a type"

    with pytest.raises(TypeError, match="abstract"):
        Half()
