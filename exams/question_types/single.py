"""Single choice: one correct option among several."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from courses.api import ChoiceBlock

from . import markup
from .base import LETTERS, QuestionType, shuffled
from .editing import block_error

# --- the author's block ---------------------------------------------------------


class SingleChoiceBlock(blocks.StructBlock):
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, label=gettext_lazy("choices"))

    class Meta:
        icon = "radio-full"
        label = gettext_lazy("Single choice")

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for c in value["choices"] if c["correct"]) != 1:
            raise block_error(
                {
                    "choices": ValidationError(
                        gettext_lazy("Mark exactly one correct choice.")
                    )
                }
            )
        return value


# --- the type ---------------------------------------------------------------------


class ChoiceQuestion(QuestionType):
    """What single and multiple choice share: options with random ids per
    attempt, shuffled unless the exam keeps the authoring order."""

    spec_fields = frozenset({"choices"})

    def snapshot(self, answer, *, make_id, rng, shuffle_choices):
        ids = [make_id("choice", i) for i in range(len(answer["choices"]))]
        choices = [
            {"id": ids[i], "text": choice["text"]}
            for i, choice in enumerate(answer["choices"])
        ]
        key = {
            "correct": [
                ids[i]
                for i, choice in enumerate(answer["choices"])
                if choice["correct"]
            ],
            # Item analysis compares attempts by authoring letter.
            "source": {ids[i]: LETTERS[i] for i in range(len(ids))},
        }
        public = {"choices": shuffled(choices, rng if shuffle_choices else None)}
        return public, key

    def analysis_options(self, snapshot):
        source = snapshot["key"].get("source") or {}
        choices = sorted(
            (
                {"id": source.get(c["id"], c["id"]), "text": strip_tags(c["text"])}
                for c in snapshot["public"]["choices"]
            ),
            key=lambda c: c["id"],
        )
        return choices, [source.get(c, c) for c in snapshot["key"].get("correct", [])]

    def check_spec(self, spec):
        if len(spec.choices) < 2:
            raise ValueError("give at least two choices")

    def answer_from_spec(self, spec):
        return {
            "choices": [{"text": c.text, "correct": c.correct} for c in spec.choices]
        }


class SingleChoice(ChoiceQuestion):
    code = "single"
    label = "Single choice"
    editor_block_class = SingleChoiceBlock

    def sample_form_fields(self, name, public, rng):
        return [(name, rng.choice(public["choices"])["id"])]

    def parse_form(self, name, public, data):
        return {"choice": data.get(name, "")}

    def form_html(self, question, *, locked, context):
        chosen = markup.response_of(question).get("choice")
        return markup.choices(
            "radio",
            f"q{question.position}",
            question.public["choices"],
            (chosen,),
            locked=locked,
        )

    def clean(self, public, raw):
        choice = raw.get("choice")
        if choice in (None, ""):
            return None
        if choice not in {c["id"] for c in public["choices"]}:
            raise ValueError(_("that choice is not one of this question's"))
        return {"choice": choice}

    def is_answered(self, response):
        return bool(response.get("choice"))

    def fraction(self, key, response):
        return Decimal(response.get("choice") in key["correct"])

    def correct_response(self, key):
        return {"choice": key["correct"][0]}

    def analysis_choices(self, response, source):
        if not response.get("choice"):
            return ()
        choice = str(response["choice"])
        return (source.get(choice, choice),)

    def check_spec(self, spec):
        super().check_spec(spec)
        if sum(1 for c in spec.choices if c.correct) != 1:
            raise ValueError("a single-choice question has exactly one correct choice")

    def example_answer(self):
        return {
            "choices": [
                {"text": "15 minutes", "correct": True},
                {"text": "1 hour", "correct": False},
                {"text": "4 hours", "correct": False},
            ]
        }


TYPE = SingleChoice()
