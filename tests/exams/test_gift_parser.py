"""GIFT import: the pure parser, one question type at a time, and its errors with their lines."""

import pytest

from exams.gift import parse_gift
from tests.exams.gift_support import BROKEN_SECOND, SAMPLE, only

# --- parser: one question type at a time ------------------------------------------


def test_single_choice_with_feedback_becomes_the_explanation():
    question = only(
        "::P1::How fast is a P1 answered?{\n"
        "  =15 minutes#Right, P1 is critical.\n"
        "  ~1 hour#That is P2.\n"
        "  ~4 hours\n"
        "  ####P1 gets the fastest response.\n"
        "}\n"
    )
    assert question.qtype == "single"
    assert question.answer == {
        "choices": [
            {"text": "15 minutes", "correct": True},
            {"text": "1 hour", "correct": False},
            {"text": "4 hours", "correct": False},
        ]
    }
    assert question.stem_html == "<p>How fast is a P1 answered?</p>"
    assert question.explanation_html.startswith("<p>P1 gets the fastest response.</p>")
    assert "<b>1 hour</b>: That is P2." in question.explanation_html
    assert "Right, P1 is critical." in question.explanation_html


def test_weighted_choices_become_multiple_response_with_partial_credit():
    question = only("Which ports? {~%50%8443 ~%50%9443 ~%-100%25}")
    assert question.qtype == "multiple"
    assert question.answer == {
        "choices": [
            {"text": "8443", "correct": True},
            {"text": "9443", "correct": True},
            {"text": "25", "correct": False},
        ],
        "scoring": "partial",
    }


def test_full_weights_on_several_choices_are_all_or_nothing():
    question = only("Which ports? {~%100%8443 ~%100%9443 ~25}")
    assert question.answer["scoring"] == "all_or_nothing"


def test_uneven_weights_are_imported_with_a_warning():
    result = parse_gift("Which? {~%70%a ~%30%b ~c}")
    assert result.questions[0].answer["scoring"] == "partial"
    assert "shared equally" in result.warnings[0].message


@pytest.mark.parametrize(
    ("written", "truth"),
    [("T", True), ("TRUE", True), ("F", False), ("FALSE", False), ("true", True)],
)
def test_true_false_spellings(written, truth):
    question = only(f"mwrasp-cli system status shows the status. {{{written}}}")
    assert question.qtype == "true_false"
    assert question.answer == {"answer": truth}


def test_true_false_feedback_says_which_answer_it_is_for():
    question = only("The CLI is safe. {T#Wrong, it is safe.#Right.}")
    assert "<b>If you answered False</b>: Wrong, it is safe." in (
        question.explanation_html
    )
    assert "<b>If you answered True</b>: Right." in question.explanation_html


def test_equals_only_answers_are_a_short_answer():
    question = only("Gateway timeout code? {=QT-001 =QT001}")
    assert question.qtype == "short_answer"
    assert question.answer == {"accepted": ["QT-001", "QT001"], "pattern": ""}


def test_partially_weighted_short_answers_are_left_out_with_a_warning():
    result = parse_gift("Code?\n{=QT-001\n=%50%QT}")
    assert result.questions[0].answer["accepted"] == ["QT-001"]
    assert result.warnings[0].line == 3


@pytest.mark.parametrize(
    ("braces", "answer", "tolerance"),
    [
        ("{#15}", "15", "0"),
        ("{#15:2}", "15", "2"),
        ("{#10..20}", "15", "5"),
        ("{#1.5..2}", "1.75", "0.25"),
        ("{#=60:0 =%50%60:10}", "60", "0"),
    ],
)
def test_numeric_answers(braces, answer, tolerance):
    question = only(f"P1 response in minutes? {braces}")
    assert question.qtype == "numeric"
    assert question.answer == {"answer": answer, "tolerance": tolerance}


def test_matching_pairs():
    question = only(
        "Match the codes.{\n  =QT-001 -> Gateway timeout\n  =NET-002 -> API rate limit\n}"
    )
    assert question.qtype == "matching"
    assert question.answer == {
        "pairs": [
            {"prompt": "QT-001", "match": "Gateway timeout"},
            {"prompt": "NET-002", "match": "API rate limit"},
        ]
    }


def test_missing_word_puts_a_blank_in_the_stem():
    question = only("The gateway port {=8443 ~25} must be open.")
    assert question.stem_text == "The gateway port ___ must be open."
    assert question.qtype == "single"


def test_escaped_characters_are_literal_text():
    question = only(
        r"::Escapes \: all::Braces \{x\} and \~ \= \# stay.{=a\=b\#c ~d\~e \{f\}}"
    )
    assert question.title == "Escapes : all"
    assert question.stem_text == "Braces {x} and ~ = # stay."
    assert [c["text"] for c in question.answer["choices"]] == ["a=b#c", "d~e {f}"]


def test_categories_set_the_topic_of_the_questions_after_them():
    result = parse_gift(
        "Before any category? {T}\n\n"
        "$CATEGORY: $course$/top/Support/Response Times\n\n"
        "First? {T}\n\n"
        "Second? {F}\n\n"
        "$CATEGORY: Error codes\n"
        "Third? {T}\n"
    )
    assert result.errors == []
    assert [q.topic for q in result.questions] == [
        None,
        "response-times",
        "response-times",
        "error-codes",
    ]


def test_keys_come_from_titles_or_positions_and_are_unique():
    result = parse_gift(
        "::Port check::A? {T}\n\n"
        "B? {T}\n\n"
        "::Port check::C? {T}\n\n"
        "::Port check::D? {T}\n"
    )
    assert [q.key for q in result.questions] == [
        "port-check",
        "q-2",
        "port-check-2",
        "port-check-3",
    ]


def test_html_keeps_simple_tags_and_drops_attributes_and_scripts():
    question = only(
        '[html]Is <b onclick="steal()">P1</b> urgent?<script>alert(1)</script>'
        '<a href="javascript:x">link</a> {T}'
    )
    assert question.stem_html == "<p>Is <b>P1</b> urgent?link</p>"


def test_plain_text_is_escaped_not_interpreted():
    question = only("[plain]Is <b>P1</b> urgent? {T}")
    assert question.stem_html == "<p>Is &lt;b&gt;P1&lt;/b&gt; urgent?</p>"


def test_comments_are_ignored_and_descriptions_are_skipped_with_a_warning():
    result = parse_gift(
        "// a comment {not an answer}\n"
        "Question? {T}\n\n"
        "Just some text about the exam.\n"
    )
    assert len(result.questions) == 1
    assert result.warnings[0].line == 4
    assert "description" in result.warnings[0].message


def test_the_sample_file_parses_and_covers_every_supported_type():
    result = parse_gift(SAMPLE.read_text(encoding="utf-8"))
    assert result.errors == [] and result.warnings == []
    assert 6 <= len(result.questions) <= 8
    assert {q.qtype for q in result.questions} == {
        "single",
        "multiple",
        "true_false",
        "short_answer",
        "numeric",
        "matching",
    }


# --- parser: errors and their lines -------------------------------------------------


def test_an_unclosed_brace_is_reported_on_the_line_that_opens_it():
    result = parse_gift("First? {T}\n\nSecond?\n{=a\n~b\n")
    assert [(e.line, "never closed" in e.message) for e in result.errors] == [(4, True)]
    assert [q.stem_text for q in result.questions] == ["First?"]


def test_a_single_choice_without_a_correct_answer_is_an_error():
    result = parse_gift(BROKEN_SECOND)
    assert len(result.errors) == 1
    assert result.errors[0].line == 4
    assert "no correct answer" in result.errors[0].message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("// c\nWhat?\n{blah blah}", 3, "unknown answer syntax"),
        ("Essay question? {}", 1, "essay"),
        ("Two right? {=a =b ~c}", 1, "2 choices are marked right"),
        ("Stray } brace {T}", 1, "closes nothing"),
        ("One {=a ~b}\nTwo {=c ~d}", 2, "blank line"),
        ("::Unclosed title\nQ? {T}", 1, "title"),
        ("Bad weight? {~%abc%a ~%50%b}", 1, "weight"),
        ("Bad number? {#fifteen}", 1, "not a number"),
        ("Backwards? {#20..10}", 1, "backwards"),
        ("One pair? {=a -> b}", 1, "two pairs"),
        ("$CATEGORY: /\n\nQ? {T}", 1, "category"),
        ("// only comments\n", 1, "no questions"),
    ],
)
def test_broken_input_gets_a_clear_error_on_its_line(text, line, words):
    result = parse_gift(text)
    assert not result.ok
    assert result.errors[0].line == line
    assert words in result.errors[0].message


def test_every_broken_question_is_reported_not_just_the_first():
    result = parse_gift("A? {~a ~b}\n\nB? {T}\n\nC?\n{}\n")
    assert [e.line for e in result.errors] == [1, 6]
