"""Numeric: a number, right within a tolerance."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from . import markup
from .base import MAX_NUMERIC_CHARACTERS, QuestionType, parse_number

# --- the author's block ---------------------------------------------------------


class NumericBlock(blocks.StructBlock):
    answer = blocks.DecimalBlock(label=gettext_lazy("answer"))
    tolerance = blocks.DecimalBlock(
        label=gettext_lazy("tolerance (±)"), min_value=0, required=False
    )

    class Meta:
        icon = "order"
        label = gettext_lazy("Numeric")


# --- the type ---------------------------------------------------------------------


class Numeric(QuestionType):
    code = "numeric"
    label = "Numeric"
    editor_block_class = NumericBlock
    spec_fields = frozenset({"answer", "tolerance"})
    optional_spec_fields = frozenset({"tolerance"})

    def snapshot(self, answer, *, make_id, rng, shuffle_choices):
        key = {
            "answer": str(answer["answer"]),
            "tolerance": str(answer.get("tolerance") or 0),
        }
        return {}, key

    def sample_form_fields(self, name, public, rng):
        return [(name, str(rng.randint(0, 30)))]

    def form_html(self, question, *, locked, context):
        name = f"q{question.position}"
        return markup.labelled_text(
            name,
            f"{name}-number",
            _("Your answer (a number)"),
            markup.response_of(question).get("value") or "",
            max_length=MAX_NUMERIC_CHARACTERS,
            locked=locked,
            decimal=True,
        )

    def clean(self, public, raw):
        text = str(raw.get("value", "")).strip()
        if not text:
            return None
        if parse_number(text) is None:
            raise ValueError(
                _(
                    "“%(text)s” is not a number this question can take: write a "
                    "plain number such as 15 or 0.75"
                )
                % {"text": text[:20]}
            )
        return {"value": text}

    def is_answered(self, response):
        return bool(str(response.get("value", "")).strip())

    def fraction(self, key, response):
        value = parse_number(response.get("value", ""))
        if value is None:
            return Decimal(0)
        return Decimal(abs(value - Decimal(key["answer"])) <= Decimal(key["tolerance"]))

    def correct_response(self, key):
        return {"value": key["answer"]}

    def check_spec(self, spec):
        if isinstance(spec.answer, bool):
            raise ValueError(_("the answer must be a number"))

    def answer_from_spec(self, spec):
        return {"answer": str(spec.answer), "tolerance": str(spec.tolerance or 0)}

    def example_answer(self):
        return {"answer": "15", "tolerance": "0"}


TYPE = Numeric()
