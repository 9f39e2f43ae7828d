"""True or false."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from . import markup
from .base import QuestionType

# --- the author's block ---------------------------------------------------------


class TrueFalseBlock(blocks.StructBlock):
    answer = blocks.BooleanBlock(
        label=gettext_lazy("the statement is true"), required=False
    )

    class Meta:
        icon = "tick-inverse"
        label = gettext_lazy("True / false")


# --- the type ---------------------------------------------------------------------


class TrueFalse(QuestionType):
    code = "true_false"
    label = "True / false"
    editor_block_class = TrueFalseBlock
    spec_fields = frozenset({"answer"})

    def snapshot(self, answer, *, make_id, rng, shuffle_choices):
        return {}, {"answer": bool(answer["answer"])}

    def sample_form_fields(self, name, public, rng):
        return [(name, rng.choice(["true", "false"]))]

    def form_html(self, question, *, locked, context):
        name = f"q{question.position}"
        value = markup.response_of(question).get("value")
        return markup.choices(
            "radio",
            name,
            ({"id": "true", "text": _("True")}, {"id": "false", "text": _("False")}),
            ("true",) if value is True else ("false",) if value is False else (),
            locked=locked,
        )

    def clean(self, public, raw):
        value = raw.get("value")
        if value in ("true", True):
            return {"value": True}
        if value in ("false", False):
            return {"value": False}
        if value in (None, ""):
            return None
        raise ValueError(_("the answer must be true or false"))

    def is_answered(self, response):
        return isinstance(response.get("value"), bool)

    def fraction(self, key, response):
        return Decimal(response.get("value") is key["answer"])

    def correct_response(self, key):
        return {"value": key["answer"]}

    def analysis_options(self, snapshot):
        return (
            [{"id": "true", "text": "True"}, {"id": "false", "text": "False"}],
            ["true" if snapshot["key"]["answer"] else "false"],
        )

    def analysis_choices(self, response, source):
        if not isinstance(response.get("value"), bool):
            return ()
        return ("true" if response["value"] else "false",)

    def check_spec(self, spec):
        if not isinstance(spec.answer, bool):
            raise ValueError("answer must be true or false")

    def answer_from_spec(self, spec):
        return {"answer": spec.answer}

    def example_answer(self):
        return {"answer": True}


TYPE = TrueFalse()
