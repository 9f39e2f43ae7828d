"""The migration that turns a knowledge check's typed right answer into a ticked
choice: old lessons (either list format Wagtail stored) keep their right answer."""

import copy
import importlib

migration = importlib.import_module("courses.migrations.0004_ticked_choices")

OLD_PLAIN = {
    "question": "Which port?",
    "choices": ["9443", "25", "80"],
    "answer": 2,
    "explanation": "Because.",
}
OLD_ITEMS = {
    "question": "Which port?",
    "choices": [
        {"type": "item", "value": "9443", "id": "a"},
        {"type": "item", "value": "25", "id": "b"},
    ],
    "answer": 1,
    "explanation": "",
}


def test_the_typed_answer_becomes_the_ticked_choice():
    new = migration._forward_block(copy.deepcopy(OLD_PLAIN))
    assert "answer" not in new
    assert [(c["value"]["text"], c["value"]["correct"]) for c in new["choices"]] == [
        ("9443", False),
        ("25", True),
        ("80", False),
    ]
    items = migration._forward_block(copy.deepcopy(OLD_ITEMS))
    assert [c["id"] for c in items["choices"]] == ["a", "b"]  # ids kept
    assert [c["value"]["correct"] for c in items["choices"]] == [True, False]
    # Converting twice changes nothing.
    assert migration._forward_block(copy.deepcopy(items)) == items


def test_the_reverse_gives_back_the_number():
    back = migration._backward_block(migration._forward_block(copy.deepcopy(OLD_PLAIN)))
    assert back["answer"] == 2
    assert [c["value"] for c in back["choices"]] == ["9443", "25", "80"]


def test_only_knowledge_checks_are_touched():
    stream = [
        {"type": "heading", "value": "Start"},
        {"type": "knowledge_check", "value": copy.deepcopy(OLD_PLAIN), "id": "k"},
    ]
    assert migration._convert_stream(stream, migration._forward_block)
    assert stream[0] == {"type": "heading", "value": "Start"}
    assert "answer" not in stream[1]["value"]
    assert not migration._convert_stream(
        [{"type": "heading", "value": "x"}], migration._forward_block
    )
