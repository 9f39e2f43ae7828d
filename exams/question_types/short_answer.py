"""Short answer: a few words, matched against accepted answers or a pattern."""

from __future__ import annotations

import re
from decimal import Decimal

from .base import MAX_TEXT_ANSWER, QuestionType, normalise_text


class ShortAnswer(QuestionType):
    code = "short_answer"
    label = "Short answer"
    spec_fields = frozenset({"accepted", "pattern"})
    optional_spec_fields = frozenset({"pattern"})

    def snapshot(self, answer, *, make_id, rng, shuffle_choices):
        key = {
            "accepted": [str(a) for a in answer["accepted"]],
            "pattern": answer.get("pattern") or "",
        }
        return {}, key

    def parse_form(self, name, public, data):
        return {"text": data.get(name, "")}

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
