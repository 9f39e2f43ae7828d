"""Matching: pair each prompt with its match; options always shuffled."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from . import markup
from .base import QuestionType, shuffled

# --- the author's block ---------------------------------------------------------


class PairBlock(blocks.StructBlock):
    prompt = blocks.CharBlock(label=gettext_lazy("prompt"))
    match = blocks.CharBlock(label=gettext_lazy("match"))


class MatchingBlock(blocks.StructBlock):
    pairs = blocks.ListBlock(PairBlock(), min_num=2, label=gettext_lazy("pairs"))

    class Meta:
        icon = "link"
        label = gettext_lazy("Matching")


# --- the type ---------------------------------------------------------------------


class Matching(QuestionType):
    code = "matching"
    label = "Matching"
    editor_block_class = MatchingBlock
    spec_fields = frozenset({"pairs"})

    def snapshot(self, answer, *, make_id, rng, shuffle_choices):
        pairs = answer["pairs"]
        prompt_ids = [make_id("prompt", i) for i in range(len(pairs))]
        option_ids = [make_id("match", i) for i in range(len(pairs))]
        prompts = [
            {"id": prompt_ids[i], "text": p["prompt"]} for i, p in enumerate(pairs)
        ]
        options = [
            {"id": option_ids[i], "text": p["match"]} for i, p in enumerate(pairs)
        ]
        # Served in authoring order, the options' order would be the key.
        public = {"prompts": shuffled(prompts, rng), "options": shuffled(options, rng)}
        key = {"pairs": {prompt_ids[i]: option_ids[i] for i in range(len(pairs))}}
        return public, key

    def sample_form_fields(self, name, public, rng):
        options = [option["id"] for option in public["options"]]
        return [
            (f"{name}-{prompt['id']}", rng.choice(options))
            for prompt in public["prompts"]
        ]

    def form_html(self, question, *, locked, context):
        options = [
            (option["id"], option["text"]) for option in question.public["options"]
        ]
        return markup.joined(
            markup.labelled_select(
                "match-row",
                f"q{question.position}-{prompt['id']}",
                prompt["text"],
                options,
                chosen=prompt["chosen"],
                blank=_("Choose…"),
                locked=locked,
            )
            for prompt in question.match_rows
        )

    def parse_form(self, name, public, data):
        return {
            "matches": {
                p["id"]: data.get(f"{name}-{p['id']}", "") for p in public["prompts"]
            }
        }

    def clean(self, public, raw):
        prompts = {p["id"] for p in public["prompts"]}
        options = {o["id"] for o in public["options"]}
        matches = raw.get("matches") or {}
        if not isinstance(matches, dict):
            raise ValueError(_("the matches are not in a form this question takes"))
        cleaned = {k: v for k, v in matches.items() if v}
        if not set(cleaned) <= prompts or not set(cleaned.values()) <= options:
            raise ValueError(_("one of the matches is not an option of this question"))
        return {"matches": cleaned} if cleaned else None

    def is_answered(self, response):
        return bool(response.get("matches"))

    def fraction(self, key, response):
        matches = response.get("matches") or {}
        pairs = key["pairs"]
        right = sum(
            1 for prompt, match in pairs.items() if matches.get(prompt) == match
        )
        return Decimal(right) / Decimal(len(pairs))

    def correct_response(self, key):
        return {"matches": dict(key["pairs"])}

    def check_spec(self, spec):
        if len(spec.pairs) < 2:
            raise ValueError("give at least two pairs")

    def answer_from_spec(self, spec):
        return {"pairs": [{"prompt": p.prompt, "match": p.match} for p in spec.pairs]}

    def example_answer(self):
        return {
            "pairs": [
                {"prompt": "QT-001", "match": "Gateway timeout"},
                {"prompt": "NET-002", "match": "Rate limit"},
            ]
        }


TYPE = Matching()
