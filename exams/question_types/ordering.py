"""Ordering: put the items in order; never served in the order of the key."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import blocks

from . import markup
from .base import QuestionType, shuffled

# --- the author's block ---------------------------------------------------------


class OrderingBlock(blocks.StructBlock):
    items = blocks.ListBlock(
        blocks.CharBlock(label=gettext_lazy("item")),
        min_num=2,
        label=gettext_lazy("items in the correct order"),
    )

    class Meta:
        icon = "list-ol"
        label = gettext_lazy("Ordering")


# --- the type ---------------------------------------------------------------------


class Ordering(QuestionType):
    code = "ordering"
    label = "Ordering"
    editor_block_class = OrderingBlock
    spec_fields = frozenset({"items"})

    def snapshot(self, answer, *, make_id, rng, shuffle_choices):
        items = [
            {"id": make_id("item", i), "text": text}
            for i, text in enumerate(answer["items"])
        ]
        shown = shuffled(items, rng)
        if rng is not None and len(items) > 1 and shown == items:
            shown = shown[1:] + shown[:1]  # never serve the answer itself
        return {"items": shown}, {"order": [item["id"] for item in items]}

    def sample_form_fields(self, name, public, rng):
        ranks = list(range(1, len(public["items"]) + 1))
        rng.shuffle(ranks)
        return [
            (f"{name}-{item['id']}", str(rank))
            for item, rank in zip(public["items"], ranks, strict=True)
        ]

    def form_html(self, question, *, locked, context):
        ranks = [(rank, rank) for rank in question.rank_choices]
        return format_html(
            '<p class="helptext">{}</p>{}',
            _("Number the items in order, 1 first."),
            markup.joined(
                markup.labelled_select(
                    "order-row",
                    f"q{question.position}-{item['id']}",
                    item["text"],
                    ranks,
                    chosen=item["rank"],
                    blank="–",
                    locked=locked,
                )
                for item in question.order_rows
            ),
        )

    def parse_form(self, name, public, data):
        ranks = {i["id"]: data.get(f"{name}-{i['id']}", "") for i in public["items"]}
        if all(not rank for rank in ranks.values()):
            return {}
        numbers = {item_id: _rank(rank) for item_id, rank in ranks.items()}
        if sorted(n for n in numbers.values() if n is not None) != list(
            range(1, len(ranks) + 1)
        ):
            return {"order": ["invalid"]}
        return {"order": sorted(numbers, key=numbers.__getitem__)}

    def clean(self, public, raw):
        ids = [i["id"] for i in public["items"]]
        order = raw.get("order") or []
        if sorted(order) != sorted(ids):
            raise ValueError(_("the order must list every item once"))
        return {"order": list(order)}

    def is_answered(self, response):
        return bool(response.get("order"))

    def fraction(self, key, response):
        return Decimal(list(response.get("order") or []) == key["order"])

    def correct_response(self, key):
        return {"order": list(key["order"])}

    def check_spec(self, spec):
        if len(spec.items) < 2:
            raise ValueError("give at least two items")

    def answer_from_spec(self, spec):
        return {"items": list(spec.items)}

    def example_answer(self):
        return {"items": ["Detect", "Contain", "Resolve"]}


TYPE = Ordering()


def _rank(value: str) -> int | None:
    """A rank typed in the form (a few decimal digits), or None for anything else."""
    value = value.strip()
    if value.isdecimal() and len(value) <= 4:
        return int(value)
    return None
