"""Short answer: a few words, matched against accepted answers or a pattern."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from . import markup
from .base import MAX_TEXT_ANSWER, QuestionType, normalise_text
from .editing import block_error

# --- the author's block ---------------------------------------------------------


class ShortAnswerBlock(blocks.StructBlock):
    accepted = blocks.ListBlock(
        blocks.CharBlock(label=gettext_lazy("accepted answer")),
        min_num=1,
        label=gettext_lazy("accepted"),
    )
    pattern = blocks.CharBlock(
        label=gettext_lazy("regular expression"),
        required=False,
        help_text=gettext_lazy(
            "Optional; matched against the whole answer, ignoring case."
        ),
    )

    class Meta:
        icon = "edit"
        label = gettext_lazy("Short answer")

    def clean(self, value):
        value = super().clean(value)
        if value["pattern"]:
            try:
                re.compile(value["pattern"])
            except re.error as exc:
                raise block_error(
                    {
                        "pattern": ValidationError(
                            gettext_lazy("Invalid expression: %s") % exc
                        )
                    }
                ) from exc
        return value


# --- the type ---------------------------------------------------------------------


class ShortAnswer(QuestionType):
    code = "short_answer"
    label = "Short answer"
    editor_block_class = ShortAnswerBlock
    spec_fields = frozenset({"accepted", "pattern"})
    optional_spec_fields = frozenset({"pattern"})

    def snapshot(self, answer, *, make_id, rng, shuffle_choices):
        key = {
            "accepted": [str(a) for a in answer["accepted"]],
            "pattern": answer.get("pattern") or "",
        }
        return {}, key

    def sample_form_fields(self, name, public, rng):
        return [(name, rng.choice(["QT-001", "qt 001", "no idea"]))]

    def parse_form(self, name, public, data):
        return {"text": data.get(name, "")}

    def form_html(self, question, *, locked, context):
        name = f"q{question.position}"
        return markup.labelled_text(
            name,
            f"{name}-text",
            _("Your answer"),
            markup.response_of(question).get("text") or "",
            max_length=MAX_TEXT_ANSWER,
            locked=locked,
        )

    def clean(self, public, raw):
        text = str(raw.get("text", ""))[:MAX_TEXT_ANSWER]
        return {"text": text} if text.strip() else None

    def is_answered(self, response):
        return bool(str(response.get("text", "")).strip())

    def fraction(self, key, response):
        text = normalise_text(response.get("text", ""))[:MAX_TEXT_ANSWER]
        if text in {normalise_text(a) for a in key["accepted"]}:
            return Decimal(1)
        pattern = key.get("pattern")
        if pattern and re.fullmatch(pattern, text, flags=re.IGNORECASE):
            return Decimal(1)
        return Decimal(0)

    def correct_response(self, key):
        return {"text": key["accepted"][0]}

    def answer_from_spec(self, spec):
        return {"accepted": list(spec.accepted), "pattern": spec.pattern or ""}

    def example_answer(self):
        return {"accepted": ["QT-001"], "pattern": ""}


TYPE = ShortAnswer()
