"""Multiple response: several correct options, all or nothing or partial credit."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from courses.api import ChoiceBlock

from . import markup
from .editing import block_error
from .single import ChoiceQuestion

# --- the author's block ---------------------------------------------------------


class MultipleResponseBlock(blocks.StructBlock):
    choices = blocks.ListBlock(ChoiceBlock(), min_num=2, label=gettext_lazy("choices"))
    scoring = blocks.ChoiceBlock(
        label=gettext_lazy("scoring"),
        choices=[
            ("all_or_nothing", gettext_lazy("All or nothing")),
            ("partial", gettext_lazy("Partial credit")),
        ],
        default="all_or_nothing",
    )

    class Meta:
        icon = "tasks"
        label = gettext_lazy("Multiple response")

    def clean(self, value):
        value = super().clean(value)
        if sum(1 for c in value["choices"] if c["correct"]) < 2:
            raise block_error(
                {
                    "choices": ValidationError(
                        gettext_lazy("Mark at least two correct choices.")
                    )
                }
            )
        return value


# --- the type ---------------------------------------------------------------------


class MultipleResponse(ChoiceQuestion):
    code = "multiple"
    label = "Multiple response"
    editor_block_class = MultipleResponseBlock
    spec_fields = frozenset({"choices", "scoring"})
    optional_spec_fields = frozenset({"scoring"})

    def snapshot(self, answer, *, make_id, rng, shuffle_choices):
        public, key = super().snapshot(
            answer, make_id=make_id, rng=rng, shuffle_choices=shuffle_choices
        )
        key["scoring"] = answer.get("scoring") or "all_or_nothing"
        return public, key

    def sample_form_fields(self, name, public, rng):
        ids = [choice["id"] for choice in public["choices"]]
        return [(name, i) for i in rng.sample(ids, rng.randint(1, min(2, len(ids))))]

    def parse_form(self, name, public, data):
        return {"choices": data.getlist(name)}

    def form_html(self, question, *, locked, context):
        chosen = markup.response_of(question).get("choices")
        return format_html(
            '<p class="helptext" id="hint-{}">{}</p>{}',
            question.position,
            _("Select all that apply."),
            markup.choices(
                "checkbox",
                f"q{question.position}",
                question.public["choices"],
                chosen if isinstance(chosen, list) else (),
                locked=locked,
            ),
        )

    def clean(self, public, raw):
        chosen = raw.get("choices") or []
        if not isinstance(chosen, list) or not set(chosen) <= {
            c["id"] for c in public["choices"]
        }:
            raise ValueError(_("that choice is not one of this question's"))
        return {"choices": sorted(set(chosen))} if chosen else None

    def is_answered(self, response):
        return bool(response.get("choices"))

    def fraction(self, key, response):
        chosen = set(response.get("choices") or [])
        correct = set(key["correct"])
        if key.get("scoring") == "partial":
            earned = len(chosen & correct) - len(chosen - correct)
            return max(Decimal(0), Decimal(earned) / Decimal(len(correct)))
        return Decimal(chosen == correct)

    def correct_response(self, key):
        return {"choices": sorted(key["correct"])}

    def analysis_choices(self, response, source):
        return tuple(source.get(str(c), str(c)) for c in response.get("choices") or ())

    def check_spec(self, spec):
        super().check_spec(spec)
        if sum(1 for c in spec.choices if c.correct) < 2:
            raise ValueError(
                "a multiple-response question has two or more correct choices"
            )

    def answer_from_spec(self, spec):
        return {
            **super().answer_from_spec(spec),
            "scoring": spec.scoring or "all_or_nothing",
        }

    def example_answer(self):
        return {
            "choices": [
                {"text": "8443", "correct": True},
                {"text": "9443", "correct": True},
                {"text": "25", "correct": False},
            ],
            "scoring": "partial",
        }


TYPE = MultipleResponse()
