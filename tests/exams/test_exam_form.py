"""The exam form as a browser reads it. Each type's inputs (written in code for
the types on most exam pages, a template for the rest) show the learner's answer
so that sending the page unchanged sends the same answer back; every field the
type reads is on the form; a locked form sends nothing; every value is escaped;
an answer of another shape shows the question blank instead of failing."""

import random
from html.parser import HTMLParser

import pytest
from django.http import QueryDict
from django.template import engines

from exams import question_types
from exams.selectors import ServedQuestion

from .test_question_types_contract import served

TYPES = question_types.all_types()
PAGE = engines["django"].from_string(
    "{% load exam_form %}{% question_form q locked=locked trying=trying %}"
)


class Submission(HTMLParser):
    """What a browser sends when the form is submitted as shown: checked radio
    buttons and checkboxes, each select's selected option (else its first),
    text inputs and textareas, and nothing that is disabled (``shown``: what
    the form shows, disabled or not). ``names`` holds every control's name."""

    def __init__(self, html: str, *, shown: bool = False):
        super().__init__()
        self.shown = shown
        self.data = QueryDict(mutable=True)
        self.names: set[str] = set()
        self._select: list | None = None
        self._textarea: list | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "option" and self._select is not None:
            if self._select[1] is None or "selected" in attributes:
                self._select[1] = attributes["value"]
            return
        if not name or tag not in ("input", "select", "textarea"):
            return
        self.names.add(name)
        sent = self.shown or "disabled" not in attributes
        kind = attributes.get("type", "text")
        if tag == "select":
            self._select = [name, None] if sent else None
        elif tag == "textarea":
            self._textarea = [name, ""] if sent else None
        elif sent and kind in ("radio", "checkbox"):
            if "checked" in attributes:
                self.data.appendlist(name, attributes.get("value", "on"))
        elif sent and kind == "text":
            self.data.appendlist(name, attributes.get("value", ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            self.data.appendlist(*self._select)
            self._select = None
        if tag == "textarea" and self._textarea is not None:
            self.data.appendlist(*self._textarea)
            self._textarea = None


def form(question_type, public, response, *, locked=False, trying=False, **extra):
    question = ServedQuestion(
        position=4,
        section_title=extra.pop("section_title", "Networking"),
        qtype=question_type.code,
        stem=extra.pop("stem", "<p>Which <em>one</em>?</p>"),
        public=public,
        response=response,
        flagged=extra.pop("flagged", False),
    )
    return PAGE.render({"q": question, "locked": locked, "trying": trying, **extra})


@pytest.mark.parametrize("question_type", TYPES, ids=lambda t: t.code)
class TestTheFormOfEveryType:
    def test_it_sends_back_the_answer_it_shows(self, question_type):
        snapshot = served(question_type)
        public = snapshot["public"]
        answer = question_type.clean(
            public, question_type.correct_response(snapshot["key"])
        )
        sent = Submission(form(question_type, public, answer)).data
        assert (
            question_type.clean(public, question_type.parse_form("q4", public, sent))
            == answer
        )

    def test_a_blank_question_sends_a_blank_answer(self, question_type):
        public = served(question_type)["public"]
        sent = Submission(form(question_type, public, None)).data
        raw = question_type.parse_form("q4", public, sent)
        assert not raw or question_type.clean(public, raw) is None
        assert "flag4" not in sent

    def test_every_field_the_type_reads_is_on_the_form(self, question_type):
        public = served(question_type)["public"]
        shown = Submission(form(question_type, public, None)).names
        for seed in range(5):
            fields = question_type.sample_form_fields("q4", public, random.Random(seed))
            assert {name for name, _value in fields} <= shown

    def test_a_locked_question_shows_its_answer_and_sends_nothing(self, question_type):
        snapshot = served(question_type)
        public = snapshot["public"]
        answer = question_type.clean(
            public, question_type.correct_response(snapshot["key"])
        )
        html = form(question_type, public, answer, locked=True, flagged=True)
        submission = Submission(html)
        assert "flag4" in submission.names and not submission.data
        shown = Submission(html, shown=True).data
        assert (
            question_type.clean(public, question_type.parse_form("q4", public, shown))
            == answer
        )

    def test_an_answer_of_another_shape_shows_the_question_blank(self, question_type):
        public = served(question_type)["public"]
        for stored in (
            {},
            {"choice": 5},
            {"choices": "abc"},
            {"matches": ["x"]},
            {"order": "x"},
        ):
            sent = Submission(form(question_type, public, stored)).data
            raw = question_type.parse_form("q4", public, sent)
            assert not raw or question_type.clean(public, raw) is None


def test_the_frame_numbers_the_question_and_keeps_its_flag():
    single = question_types.get("single")
    public = served(single)["public"]
    html = form(single, public, None, flagged=True)
    assert 'id="question-4"' in html and "Question 4" in html
    assert Submission(html).data.getlist("flag4") == ["on"]
    assert "flag4" not in form(single, public, None, trying=True)


def test_text_from_the_bank_and_from_the_learner_is_escaped():
    single = question_types.get("single")
    hostile = '"><script>alert(1)</script>'
    public = {"choices": [{"id": "c1", "text": hostile}, {"id": 'c2"x', "text": "B"}]}
    html = form(single, public, {"choice": 'c2"x'}, section_title=hostile)
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") == 2
    # The stem is the bank's sanitised rich text, shown as markup.
    assert "<p>Which <em>one</em>?</p>" in html
    assert Submission(html).data["q4"] == 'c2"x'

    short = question_types.get("short_answer")
    html = form(short, {}, {"text": hostile})
    assert "<script>" not in html
    assert Submission(html).data["q4"] == hostile
